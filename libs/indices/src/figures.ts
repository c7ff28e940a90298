// The headline figures (satisfaction rate, bad rate, mean score, index) derived from counts of 1–5 scores.

import { wilsonInterval, Z95 } from './wilson.js';

/** Counts of scores 1, 2, 3, 4 and 5, in that order. */
export type Levels = readonly [number, number, number, number, number];

export interface Figures {
  n: number;
  levels: { '1': number; '2': number; '3': number; '4': number; '5': number };
  satisfactionRate: number | null;
  satisfactionRateInterval: [number, number] | null;
  badRate: number | null;
  meanScore: number | null;
  index: number | null;
}

/**
 * Figures for one population of scores. Values are unrounded fractions so that callers decide presentation,
 * and so that ties in rankings are exact rather than artefacts of rounding. Everything but the counts is null
 * when there are no scores, because a rate of nothing is undefined, not zero.
 */
export function figuresOf(levels: Levels): Figures {
  for (const count of levels) {
    // Counts come from event projections; a negative or fractional one means corrupted input, not a figure.
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new RangeError(`level counts must be non-negative integers, got [${levels.join(', ')}]`);
    }
  }
  const [n1, n2, n3, n4, n5] = levels;
  const n = n1 + n2 + n3 + n4 + n5;
  const counts = { '1': n1, '2': n2, '3': n3, '4': n4, '5': n5 };
  if (n === 0) {
    return {
      n,
      levels: counts,
      satisfactionRate: null,
      satisfactionRateInterval: null,
      badRate: null,
      meanScore: null,
      index: null,
    };
  }
  const satisfied = n3 + n4 + n5;
  const meanScore = (1 * n1 + 2 * n2 + 3 * n3 + 4 * n4 + 5 * n5) / n;
  return {
    n,
    levels: counts,
    satisfactionRate: satisfied / n,
    satisfactionRateInterval: wilsonInterval(satisfied, n, Z95),
    badRate: (n1 + n2) / n,
    meanScore,
    index: (100 * (meanScore - 1)) / 4,
  };
}
