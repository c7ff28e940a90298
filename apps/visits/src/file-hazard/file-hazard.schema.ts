// The request body of POST /v1/hazards (API.md "Disputes and hazards").
import { ID_PATTERN } from '@minyi/contracts';
import { occurredAtSchema } from '@minyi/case-api';
import { RequestSchema } from '@minyi/platform';

export interface FileHazardBody {
  id: string;
  unitId: string;
  kind: string;
  occurredAt: string;
  location?: string | null;
  visitId?: string | null;
}

export const fileHazardSchema = new RequestSchema<FileHazardBody>({
  type: 'object',
  additionalProperties: false,
  required: ['id', 'unitId', 'kind', 'occurredAt'],
  properties: {
    id: { type: 'string', pattern: ID_PATTERN, description: 'client-made id: 1–64 of A-Za-z0-9._:- (a uuid is recommended)', example: 'h-2026-10-21-0001' },
    unitId: { type: 'string', pattern: ID_PATTERN, description: 'the unit that found it (1–64 of A-Za-z0-9._:-)', example: 'bt-kdl-ss' },
    kind: { type: 'string', minLength: 1, maxLength: 64, description: 'what kind of hazard, 1–64 characters (the ledger’s category)', example: '消防通道堵塞' },
    occurredAt: { ...occurredAtSchema, description: 'when it was found, with its offset: at most 5 minutes ahead and 365 days old' },
    location: { type: ['string', 'null'], minLength: 1, maxLength: 256, description: 'where, 1–256 characters, kept as sent', example: '昆区少先路 12 号楼北侧' },
    visitId: { type: ['string', 'null'], pattern: ID_PATTERN, description: 'the visit that found it; it must be recorded already (else 422)', example: 'v-2026-10-21-0001' },
  },
});
