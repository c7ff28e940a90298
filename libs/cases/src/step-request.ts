// What tells a retried step from a clash: the step's name and body, with the instant normalised.
import { contentHash } from '@minyi/contracts';

/** The same stepId with this hash again is a duplicate; with another, a 409. */
export function stepRequestHash(step: string, body: Record<string, unknown>): string {
  const at = typeof body.occurredAt === 'string' ? Date.parse(body.occurredAt) : NaN;
  return contentHash({ ...body, step, occurredAt: Number.isFinite(at) ? new Date(at).toISOString() : body.occurredAt });
}
