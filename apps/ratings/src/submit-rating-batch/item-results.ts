// The per-item answer of a batch or an import, in request order.
import type { ItemResult } from '../application/rating-intake.js';

export function itemResults(results: ItemResult[]) {
  return {
    results: results.map((r) => (r.status === 'rejected' ? { id: r.id, status: r.status, problem: r.problem } : { id: r.id, status: r.status })),
  };
}

export const itemResultsDescription =
  '{ results: [ { id, status: "accepted" | "duplicate" | "rejected", problem? } ] } in request order; ' +
  'a rejected item carries an RFC 9457 problem (status 400 invalid, 409 id clash, 422 refused) and one bad item does not stop the others';
