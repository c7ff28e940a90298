// Checks the headline figures against values worked out by hand from small score counts.

import { figuresOf } from './figures.js';

describe('figuresOf', () => {
  it('when scores are 1×1, 2×2, 3×3, 4×4, 10×5, then the figures follow from the counts', () => {
    const figures = figuresOf([1, 2, 3, 4, 10]);
    // n = 20; satisfied = 3 + 4 + 10 = 17; bad = 1 + 2 = 3; Σ s·n_s = 1 + 4 + 9 + 16 + 50 = 80.
    expect(figures.n).toBe(20);
    expect(figures.levels).toEqual({ '1': 1, '2': 2, '3': 3, '4': 4, '5': 10 });
    expect(figures.satisfactionRate).toBe(0.85);
    expect(figures.badRate).toBe(0.15);
    expect(figures.meanScore).toBe(4);
    expect(figures.index).toBe(75);
    // Wilson 95% for 17/20, solved independently as the roots of the score-test quadratic.
    expect(figures.satisfactionRateInterval![0]).toBeCloseTo(0.6395811333571356, 12);
    expect(figures.satisfactionRateInterval![1]).toBeCloseTo(0.9476312545132737, 12);
  });

  it('when every score is 1, then the index is 0 and nobody is satisfied', () => {
    const figures = figuresOf([7, 0, 0, 0, 0]);
    expect(figures.meanScore).toBe(1);
    expect(figures.index).toBe(0);
    expect(figures.satisfactionRate).toBe(0);
    expect(figures.badRate).toBe(1);
    expect(figures.satisfactionRateInterval![0]).toBe(0);
  });

  it('when every score is 5, then the index is 100', () => {
    const figures = figuresOf([0, 0, 0, 0, 3]);
    expect(figures.meanScore).toBe(5);
    expect(figures.index).toBe(100);
    expect(figures.satisfactionRate).toBe(1);
    expect(figures.badRate).toBe(0);
  });

  it('when only 3s are given, then they count as satisfied and the index is the midpoint', () => {
    const figures = figuresOf([0, 0, 4, 0, 0]);
    expect(figures.satisfactionRate).toBe(1);
    expect(figures.badRate).toBe(0);
    expect(figures.index).toBe(50);
  });

  it('when the rates are repeating fractions, then they are returned unrounded', () => {
    const figures = figuresOf([1, 0, 1, 0, 1]);
    expect(figures.satisfactionRate).toBe(2 / 3);
    expect(figures.badRate).toBe(1 / 3);
    expect(figures.meanScore).toBe(3);
    const skewed = figuresOf([0, 1, 0, 0, 2]);
    expect(skewed.meanScore).toBe(12 / 3);
    expect(figuresOf([0, 0, 0, 2, 1]).index).toBe((100 * (13 / 3 - 1)) / 4);
  });

  it('when there are no scores, then every derived figure is null', () => {
    expect(figuresOf([0, 0, 0, 0, 0])).toEqual({
      n: 0,
      levels: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 },
      satisfactionRate: null,
      satisfactionRateInterval: null,
      badRate: null,
      meanScore: null,
      index: null,
    });
  });

  it('when a count is negative or fractional, then it refuses it', () => {
    expect(() => figuresOf([-1, 0, 0, 0, 2])).toThrow(RangeError);
    expect(() => figuresOf([0.5, 0, 0, 0, 2])).toThrow(RangeError);
  });
});
