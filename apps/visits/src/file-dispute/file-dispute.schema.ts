// The request body of POST /v1/disputes (API.md "Disputes and hazards").
import { ID_PATTERN } from '@minyi/contracts';
import { occurredAtSchema } from '@minyi/case-api';
import { RequestSchema } from '@minyi/platform';

export interface FileDisputeBody {
  id: string;
  unitId: string;
  kind: string;
  occurredAt: string;
  visitId?: string | null;
  summary?: string | null;
}

const common = {
  id: { type: 'string', pattern: ID_PATTERN, description: 'client-made id: 1–64 of A-Za-z0-9._:- (a uuid is recommended)', example: 'd-2026-10-21-0001' },
  unitId: { type: 'string', pattern: ID_PATTERN, description: 'the unit that found it (1–64 of A-Za-z0-9._:-)', example: 'bt-kdl-ss' },
  occurredAt: { ...occurredAtSchema, description: 'when it was found, with its offset: at most 5 minutes ahead and 365 days old' },
  visitId: { type: ['string', 'null'], pattern: ID_PATTERN, description: 'the visit that found it; it must be recorded already (else 422)', example: 'v-2026-10-21-0001' },
} as const;

export const fileDisputeSchema = new RequestSchema<FileDisputeBody>({
  type: 'object',
  additionalProperties: false,
  required: ['id', 'unitId', 'kind', 'occurredAt'],
  properties: {
    ...common,
    kind: { type: 'string', minLength: 1, maxLength: 64, description: 'what kind of dispute, 1–64 characters (the ledger’s category)', example: '邻里纠纷' },
    summary: { type: ['string', 'null'], minLength: 1, maxLength: 5000, description: 'what it is about, 1–5000 characters, kept as sent', example: '楼上楼下因漏水引发矛盾。' },
  },
});
