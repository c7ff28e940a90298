// The request body of POST /v1/complaints (API.md "Complaints").
import { COMPLAINT_CHANNELS, ID_PATTERN } from '@minyi/contracts';
import { occurredAtSchema } from '@minyi/case-api';
import { contactRequestSchema } from '@minyi/personal-data';
import { RequestSchema } from '@minyi/platform';

export interface FileComplaintBody {
  id: string;
  unitId: string;
  channel: (typeof COMPLAINT_CHANNELS)[number];
  category: string;
  text: string;
  occurredAt: string;
  /** Absent or null: no contact. */
  contact?: { name?: string; phone?: string } | null;
}

export const fileComplaintSchema = new RequestSchema<FileComplaintBody>({
  type: 'object',
  additionalProperties: false,
  required: ['id', 'unitId', 'channel', 'category', 'text', 'occurredAt'],
  properties: {
    id: { type: 'string', pattern: ID_PATTERN, description: 'client-made id: 1–64 of A-Za-z0-9._:- (a uuid is recommended)', example: '7d9f1c2e-5b1a-4c3e-9a77-0f1e2d3c4b5a' },
    unitId: { type: 'string', pattern: ID_PATTERN, description: 'the unit the complaint is filed for (1–64 of A-Za-z0-9._:-)', example: 'ft-xm' },
    channel: { enum: [...COMPLAINT_CHANNELS], description: 'how it came in', example: 'hotline' },
    category: { type: 'string', minLength: 1, maxLength: 64, description: '1–64 characters, kept as sent', example: '噪音扰民' },
    text: { type: 'string', minLength: 1, maxLength: 5000, description: '1–5000 characters, kept exactly as sent (no trimming or normalisation)', example: '楼下烧烤店每晚营业到凌晨两点，油烟和噪音扰民。' },
    occurredAt: { ...occurredAtSchema, description: 'when it was made, with its offset: at most 5 minutes ahead and 365 days old' },
    contact: { ...contactRequestSchema, description: 'the complainant’s contact (personal data): sealed before it is stored, shown only to the admin and to clients with cases:write covering the complaint; absent or null: none' },
  },
});
