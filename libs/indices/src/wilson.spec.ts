// Checks the Wilson interval against published values and against the roots of the score-test quadratic.

import { wilsonInterval, Z95 } from './wilson.js';

// Independent route to the same interval: its bounds are the roots p of (p̂ − p)² = z²·p(1 − p)/n.
function quadraticRoots(successes: number, n: number, z: number): [number, number] {
  const pHat = successes / n;
  const a = 1 + (z * z) / n;
  const b = -(2 * pHat + (z * z) / n);
  const c = pHat * pHat;
  const root = Math.sqrt(b * b - 4 * a * c);
  return [(-b - root) / (2 * a), (-b + root) / (2 * a)];
}

describe('wilsonInterval', () => {
  it('when 8 of 10 succeed, then the 95% interval is the textbook 0.4902–0.9433', () => {
    const [low, high] = wilsonInterval(8, 10)!;
    expect(low).toBeCloseTo(0.4902, 4);
    expect(high).toBeCloseTo(0.9433, 4);
  });

  it('when none of 10 succeed, then the interval is 0 to 0.2775 rather than collapsing to a point', () => {
    const [low, high] = wilsonInterval(0, 10)!;
    expect(low).toBe(0);
    expect(high).toBeCloseTo(0.2775, 4);
  });

  it('when all of 10 succeed, then the interval mirrors the all-failure one', () => {
    const [low, high] = wilsonInterval(10, 10)!;
    expect(low).toBeCloseTo(1 - 0.2775328, 6);
    expect(high).toBeCloseTo(1, 12);
    expect(high).toBeLessThanOrEqual(1);
  });

  it('when half of 100 succeed, then the interval is symmetric around one half', () => {
    const [low, high] = wilsonInterval(50, 100)!;
    expect(low).toBeCloseTo(0.4038, 4);
    expect(high).toBeCloseTo(0.5962, 4);
    expect(low + high).toBeCloseTo(1, 12);
  });

  it.each([
    [1, 1],
    [1, 3],
    [17, 20],
    [81, 100],
    [0, 1],
    [999, 1000],
    [12345, 20000],
  ])('when %i of %i succeed, then the bounds are the roots of the score-test quadratic', (successes, n) => {
    const [low, high] = wilsonInterval(successes, n)!;
    const [expectedLow, expectedHigh] = quadraticRoots(successes, n, Z95);
    expect(low).toBeCloseTo(expectedLow, 12);
    expect(high).toBeCloseTo(expectedHigh, 12);
  });

  it('when another z is given, then it is used instead of the 95% quantile', () => {
    const [low, high] = wilsonInterval(8, 10, 2.575829)!;
    const [expectedLow, expectedHigh] = quadraticRoots(8, 10, 2.575829);
    expect(low).toBeCloseTo(expectedLow, 12);
    expect(high).toBeCloseTo(expectedHigh, 12);
    expect(high - low).toBeGreaterThan(0.943317849 - 0.490162469);
  });

  it('when n is 0, then there is no interval', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it('when the counts are impossible, then it refuses them', () => {
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(1, Number.NaN)).toThrow(RangeError);
  });

  it('when the default z is used, then it is the two-sided 95% normal quantile', () => {
    expect(Z95).toBe(1.959964);
    expect(wilsonInterval(8, 10)).toEqual(wilsonInterval(8, 10, 1.959964));
  });
});
