// The query string of a ledger (GET /v1/complaints, /v1/followups, …), made from the ledger's definition.
import { RequestSchema } from '@minyi/platform';
import { DATE_PATTERN } from '../satisfaction/get-satisfaction.schema.js';
import { CURSOR_PATTERN } from './ledger-cursor.js';
import type { LedgerDefinition } from './ledgers.js';

export interface GetLedgerParams {
  scope: string;
  state?: string;
  category?: string;
  overdue?: 'true' | 'false';
  from?: string;
  to?: string;
  limit?: string;
  cursor?: string;
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

export function ledgerSchema(ledger: LedgerDefinition): RequestSchema<GetLedgerParams> {
  return new RequestSchema<GetLedgerParams>({
    type: 'object',
    additionalProperties: false,
    required: ['scope'],
    properties: {
      scope: { type: 'string', pattern: '^unit:[A-Za-z0-9._:-]{1,64}$', description: 'unit:<id>: the cases whose responsible unit is it or below it' },
      state: { enum: [...ledger.states] },
      category: { type: 'string', minLength: 1, maxLength: 128, description: `the ${ledger.categoryName}, exactly` },
      overdue: { enum: ['true', 'false'], description: 'overdue now: a deadline past, not handled, not closed' },
      from: { type: 'string', pattern: DATE_PATTERN, description: 'filed on or after this local date (YYYY-MM-DD, MINYI_TZ)' },
      to: { type: 'string', pattern: DATE_PATTERN, description: 'filed on or before this local date' },
      limit: { type: 'string', pattern: '^\\d{1,3}$', description: `items per page, 1–${MAX_LIMIT} (default ${DEFAULT_LIMIT})` },
      cursor: { type: 'string', pattern: CURSOR_PATTERN, description: 'the nextCursor of the page before' },
    },
  });
}
