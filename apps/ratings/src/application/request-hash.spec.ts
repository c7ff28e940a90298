// The intake's fixed-shape request hash must be the generic canonical content hash, byte for byte: hashes
// stored with ratings decide later whether a resent rating is a retry or a clash.
import { createHash } from 'node:crypto';
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

// Hashes stored with ratings years ago must still match their retries: the value itself is pinned, and so is the
// canonical text it is the SHA-256 of (written out by hand here, not by the code under test).
it('when the golden rating is hashed, then the hash is the pinned value, the SHA-256 of its canonical text', () => {
  const golden: RatingBody = { id: 'r-golden', score: 4, occurredAt: '2026-10-21T09:30:00+08:00', officerId: 'o-wang', serviceType: '户籍办理', reasons: ['态度好', '效率 "快"'], comment: '民警\n很好 👍' };
  const canonicalText =
    '{"comment":"民警\\n很好 👍","id":"r-golden","occurredAt":"2026-10-21T01:30:00.000Z","officerId":"o-wang",' +
    '"reasons":["态度好","效率 \\"快\\""],"score":4,"serviceType":"户籍办理","terminalId":"t-ft-xm-w1"}';
  expect(requestHashOf(golden, 't-ft-xm-w1')).toBe('c2282dc0ff028cff85612fa31331a531b35b8dcd28bde0577e9d1eef55190c68');
  expect(createHash('sha256').update(canonicalText, 'utf8').digest('hex')).toBe('c2282dc0ff028cff85612fa31331a531b35b8dcd28bde0577e9d1eef55190c68');
});

it('when a retry writes the same instant in another offset or with more digits, or sends reasons: [] instead of none, then the hash is the same', () => {
  const base: RatingBody = { id: 'r1', score: 5, occurredAt: '2026-10-21T10:00:00+08:00' };
  const same = [
    { ...base, occurredAt: '2026-10-21T02:00:00Z' },
    { ...base, occurredAt: '2026-10-20T21:00:00-05:00' },
    { ...base, occurredAt: '2026-10-21T10:00:00.000+08:00' },
    { ...base, occurredAt: '2026-10-21T10:00+08:00' },
    { ...base, reasons: [] },
  ];
  for (const b of same) expect([b, requestHashOf(b, 't1')]).toEqual([b, requestHashOf(base, 't1')]);
  const different = [{ ...base, occurredAt: '2026-10-21T10:00:00.001+08:00' }, { ...base, reasons: [''] }, { ...base, comment: '' }, { ...base, serviceType: 'x' }];
  for (const b of different) expect(requestHashOf(b, 't1')).not.toBe(requestHashOf(base, 't1'));
  expect(requestHashOf(base, 't2')).not.toBe(requestHashOf(base, 't1'));
});
