// Checks period-over-period changes against hand-computed differences, including empty periods.

import { changeBetween } from './change.js';
import { figuresOf } from './figures.js';

describe('changeBetween', () => {
  it('when volume grew from 100 to 120 and scores improved, then the change and deltas are plain differences', () => {
    const earlier = figuresOf([10, 10, 20, 30, 30]); // rate 80/100 = 0.8, mean 360/100 = 3.6, index 65
    const current = figuresOf([6, 6, 24, 36, 48]); // rate 108/120 = 0.9, mean 474/120 = 3.95, index 73.75
    const change = changeBetween(current, earlier)!;
    expect(change.nChange).toBeCloseTo(0.2, 15);
    expect(change.satisfactionRateDelta).toBeCloseTo(0.1, 12);
    expect(change.indexDelta).toBeCloseTo(8.75, 12);
  });

  it('when things got worse, then the deltas are negative (this minus that, not the reverse)', () => {
    const earlier = figuresOf([0, 0, 0, 0, 4]); // rate 1, index 100
    const current = figuresOf([1, 1, 0, 0, 0]); // rate 0, index 12.5
    const change = changeBetween(current, earlier)!;
    expect(change.nChange).toBe(-0.5);
    expect(change.satisfactionRateDelta).toBe(-1);
    expect(change.indexDelta).toBe(-87.5);
  });

  it('when the current period is empty, then volume fell by 100% and the deltas are null', () => {
    expect(changeBetween(figuresOf([0, 0, 0, 0, 0]), figuresOf([1, 2, 3, 4, 5]))).toEqual({
      nChange: -1,
      satisfactionRateDelta: null,
      indexDelta: null,
    });
  });

  it('when there is no earlier period or it was empty, then there is no change', () => {
    expect(changeBetween(figuresOf([1, 2, 3, 4, 5]), null)).toBeNull();
    expect(changeBetween(figuresOf([1, 2, 3, 4, 5]), figuresOf([0, 0, 0, 0, 0]))).toBeNull();
  });
});
