// The ledgers' opaque cursor: the (filing instant, id) of the last item of a page, whence the next page goes on.
// Decoded strictly: anything that is not a cursor this code wrote is a 400 naming `cursor`, never a 500.
import { CASE_ID_PATTERN, InvalidInput } from '@minyi/contracts';

export interface LedgerPosition {
  /** The filing's occurredAt, ISO with milliseconds (as the ledger keeps it). */
  filedAt: string;
  caseId: string;
}

const VERSION = 'c1';
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CASE_ID = new RegExp(CASE_ID_PATTERN);
export const CURSOR_PATTERN = '^[A-Za-z0-9_-]{1,400}$';

export function encodeCursor(p: LedgerPosition): string {
  return Buffer.from(JSON.stringify([VERSION, p.filedAt, p.caseId]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): LedgerPosition {
  const refuse = (): never => {
    throw new InvalidInput('the cursor is not one this ledger gave', [{ path: 'cursor', message: 'is not a cursor of this ledger' }]);
  };
  if (!new RegExp(CURSOR_PATTERN).test(cursor)) refuse();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return refuse();
  }
  if (!Array.isArray(value) || value.length !== 3 || value[0] !== VERSION) return refuse();
  const [, filedAt, caseId] = value as unknown[];
  if (typeof filedAt !== 'string' || !ISO_MS.test(filedAt) || typeof caseId !== 'string' || !CASE_ID.test(caseId)) return refuse();
  const ms = Date.parse(filedAt as string);
  if (!Number.isFinite(ms) || new Date(ms).toISOString() !== filedAt) return refuse();
  const position = { filedAt: filedAt as string, caseId: caseId as string };
  // Only the very text this code writes: base64 that decodes alike with other padding bits or trailing characters is refused.
  if (encodeCursor(position) !== cursor) return refuse();
  return position;
}
