// The rating the bench's database workers write: RatingSubmitted as minyi records it for one of 16 windows
// (two per station), with its metadata, unit and time — the same rows for the raw INSERT, Emmett and the store.
import { createHash, randomUUID } from 'node:crypto';

const SCORES = [5, 5, 5, 5, 5, 5, 4, 4, 3, 2, 1, 5, 4, 5, 5, 4, 5, 2, 5, 5];

/** A source of new ratings whose ids start with `idPrefix`. */
export function ratingEvents(idPrefix) {
  let seq = 0;
  return function next() {
    const n = seq++;
    const w = n % 16;
    const id = `${idPrefix}-${n}`;
    const score = SCORES[n % 20];
    const occurredAt = new Date(Date.now() - 1000);
    const body = `{"id":"${id}","occurredAt":"${occurredAt.toISOString()}","score":${score},"terminalId":"term-w${w}"}`;
    return {
      id,
      unitId: `s${w >> 1}`,
      occurredAt,
      data: { ratingId: id, terminalId: `term-w${w}`, windowId: `w${w}`, unitId: `s${w >> 1}`, score, officerId: null, serviceType: null, reasons: [], comment: null, source: 'terminal' },
      metadata: { actor: `terminal:term-w${w}`, correlationId: randomUUID(), causationId: null, requestHash: createHash('sha256').update(body).digest('hex') },
    };
  };
}
