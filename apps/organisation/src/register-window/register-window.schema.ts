// The request body of POST /v1/windows.
import { ID_PATTERN } from '@minyi/contracts';
import { RequestSchema } from '@minyi/platform';

export interface RegisterWindowBody {
  id: string;
  unitId: string;
  name: string;
  serviceTypes?: string[];
}

export const registerWindowSchema = new RequestSchema<RegisterWindowBody>({
  type: 'object',
  additionalProperties: false,
  required: ['id', 'unitId', 'name'],
  properties: {
    id: { type: 'string', pattern: ID_PATTERN, description: '1–64 of A-Za-z0-9._:-', example: 'ft-hz-w03' },
    unitId: { type: 'string', pattern: ID_PATTERN, example: 'ft-huzheng' },
    name: { type: 'string', minLength: 1, maxLength: 200, example: '户政窗口3号' },
    serviceTypes: {
      type: 'array',
      maxItems: 50,
      uniqueItems: true,
      items: { type: 'string', minLength: 1, maxLength: 64 },
      description: 'services this window offers; when given, a rating’s serviceType must be one of them',
      example: ['户籍办理', '身份证办理'],
    },
  },
});
