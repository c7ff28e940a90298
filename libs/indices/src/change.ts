// Comparison of a period's figures with an earlier period's (volume change and deltas of rate and index).

import type { Figures } from './figures.js';

export interface Change {
  nChange: number | null;
  satisfactionRateDelta: number | null;
  indexDelta: number | null;
}

/**
 * How `current` moved relative to `earlier`. Null when there is no baseline to compare with, since a relative
 * change against zero ratings is undefined. Volume change stays meaningful when the current period is empty
 * (it is −1, everything was lost), whereas the deltas are not, so they become null.
 */
export function changeBetween(current: Figures, earlier: Figures | null): Change | null {
  if (earlier === null || earlier.n === 0) return null;
  const nChange = (current.n - earlier.n) / earlier.n;
  if (current.n === 0) return { nChange, satisfactionRateDelta: null, indexDelta: null };
  return {
    nChange,
    satisfactionRateDelta: difference(current.satisfactionRate, earlier.satisfactionRate),
    indexDelta: difference(current.index, earlier.index),
  };
}

// Both figures are non-null whenever both populations are non-empty; the guard only satisfies the types.
function difference(value: number | null, baseline: number | null): number | null {
  return value === null || baseline === null ? null : value - baseline;
}
