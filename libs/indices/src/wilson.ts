// Wilson score confidence intervals for a proportion, used to say how much a satisfaction rate can be trusted.

/** Two-sided 95% normal quantile, fixed so that every service reports identical intervals. */
export const Z95 = 1.959964;

/**
 * Wilson score interval for `successes` out of `n`, or null when there is nothing to estimate.
 * Wilson rather than the normal approximation because it stays inside [0, 1] and behaves at p = 0 or 1
 * and for the small samples that small organisational units produce.
 */
export function wilsonInterval(successes: number, n: number, z: number = Z95): [number, number] | null {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`n must be a non-negative number, got ${n}`);
  if (!Number.isFinite(successes) || successes < 0 || successes > n) {
    throw new RangeError(`successes must lie in [0, n], got ${successes} of ${n}`);
  }
  if (!Number.isFinite(z) || z < 0) throw new RangeError(`z must be a non-negative number, got ${z}`);
  if (n === 0) return null;

  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Mathematically the bounds are already within [0, 1]; clamping only absorbs rounding at p = 0 or 1.
  return [Math.max(0, center - half), Math.min(1, center + half)];
}
