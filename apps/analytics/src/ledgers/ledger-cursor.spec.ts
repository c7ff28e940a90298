// The ledgers' cursor: what it writes reads back; anything else is a 400 naming `cursor`.
import { InvalidInput } from '@minyi/contracts';
import { decodeCursor, encodeCursor } from './ledger-cursor.js';

it('when a position is written as a cursor, then it reads back the same, and the cursor is URL-safe', () => {
  const p = { filedAt: '2026-05-05T04:00:00.123Z', caseId: 'survey-1:resp_2:q.3-x' };
  const c = encodeCursor(p);
  expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(decodeCursor(c)).toEqual(p);
});

it('when a cursor decodes alike but is not the text this code wrote (padding, other final bits, extra characters), then it is refused', () => {
  const c = encodeCursor({ filedAt: '2026-05-05T04:00:00.000Z', caseId: 'a' });
  const variants = [`${c}=`, `${c}A`, `${c.slice(0, -1)}${c.at(-1) === 'A' ? 'B' : 'A'}`];
  for (const v of variants) expect(() => decodeCursor(v)).toThrow(InvalidInput);
});

it('when a cursor is not one, then InvalidInput names cursor', () => {
  try {
    decodeCursor(Buffer.from('["c1","2026-13-01T00:00:00.000Z","a"]').toString('base64url'));
    throw new Error('accepted');
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidInput);
    expect((err as InvalidInput).errors).toEqual([{ path: 'cursor', message: 'is not a cursor of this ledger' }]);
  }
});
