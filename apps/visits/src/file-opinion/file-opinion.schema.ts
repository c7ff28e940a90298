// The request body of POST /v1/opinions (API.md "Opinions and suggestions"). `survey` is not among the sources a
// client may send: such opinions arise from surveys' suggestions only.
import { ID_PATTERN, OPINION_SOURCES } from '@minyi/contracts';
import { occurredAtSchema } from '@minyi/case-api';
import { contactRequestSchema } from '@minyi/personal-data';
import { RequestSchema } from '@minyi/platform';

export const CLIENT_OPINION_SOURCES = OPINION_SOURCES.filter((s) => s !== 'survey');

export interface FileOpinionBody {
  id: string;
  unitId: string;
  source: (typeof CLIENT_OPINION_SOURCES)[number];
  visitId?: string | null;
  category: string;
  text: string;
  occurredAt: string;
  contact?: { name?: string; phone?: string } | null;
}

export const fileOpinionSchema = new RequestSchema<FileOpinionBody>({
  type: 'object',
  additionalProperties: false,
  required: ['id', 'unitId', 'source', 'category', 'text', 'occurredAt'],
  properties: {
    id: { type: 'string', pattern: ID_PATTERN, description: 'client-made id: 1–64 of A-Za-z0-9._:- (a uuid is recommended)', example: 'op-2026-10-21-0001' },
    unitId: { type: 'string', pattern: ID_PATTERN, description: 'the unit the opinion is collected for (1–64 of A-Za-z0-9._:-)', example: 'bt-kdl-ss' },
    source: { enum: [...CLIENT_OPINION_SOURCES], description: 'how it was heard (`survey` is not allowed: survey suggestions become opinions by themselves)', example: 'visit' },
    visitId: { type: ['string', 'null'], pattern: ID_PATTERN, description: 'the visit it was heard on; it must be recorded already (else 422)', example: 'v-2026-10-21-0001' },
    category: { type: 'string', minLength: 1, maxLength: 64, description: '1–64 characters, kept as sent (分类汇总)', example: '养犬管理' },
    text: {
      type: 'string',
      minLength: 1,
      maxLength: 5000,
      description: '1–5000 characters (Unicode code points), kept verbatim (原汁原味, 不加工、不删减): no trimming, no normalisation, line breaks as sent',
      example: '小区里流浪狗越来越多，晚上叫个不停，孩子上学都害怕。',
    },
    occurredAt: { ...occurredAtSchema, description: 'when it was said, with its offset: at most 5 minutes ahead and 365 days old' },
    contact: { ...contactRequestSchema, description: 'the resident’s contact (personal data): sealed before it is stored, shown only to the admin and to clients with cases:write covering the opinion; absent or null: none' },
  },
});
