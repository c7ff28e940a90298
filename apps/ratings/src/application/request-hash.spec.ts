// The intake's fixed-shape request hash must be the generic canonical content hash, byte for byte: hashes
// stored with ratings decide later whether a resent rating is a retry or a clash.
import { contentHash } from '@minyi/contracts';
import { normalised, requestHashOf } from './rating-intake.js';
import type { RatingBody } from './rating.schema.js';

const bodies: RatingBody[] = [
  { id: 'r1', score: 5, occurredAt: '2026-10-21T10:00:00+08:00' },
  { id: 'r-2', score: 1, occurredAt: '2026-10-21T02:00:00Z', officerId: 'o1', serviceType: '户籍', reasons: ['态度', '效率 "快"'], comment: '民警\n很好 \\ "👍"' },
  { id: 'r3', score: 3, occurredAt: '2026-02-29T23:59:59.999-05:30', reasons: [] },
  { id: 'r4', score: 2, occurredAt: 'not a time', comment: null as unknown as string },
];

it.each(bodies.map((b) => [b.id, b]))('when rating %s is hashed, then the hash is the canonical content hash', (_id, body) => {
  for (const terminal of ['t1', 'terminal "x"']) {
    expect(requestHashOf(body as RatingBody, terminal)).toBe(contentHash(normalised(body as RatingBody, terminal)));
  }
});
