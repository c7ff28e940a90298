// The request body of POST /v1/officers.
import { ID_PATTERN } from '@minyi/contracts';
import { RequestSchema } from '@minyi/platform';

export interface RegisterOfficerBody {
  id: string;
  unitId: string;
  name: string;
}

export const registerOfficerSchema = new RequestSchema<RegisterOfficerBody>({
  type: 'object',
  additionalProperties: false,
  required: ['id', 'unitId', 'name'],
  properties: {
    id: { type: 'string', pattern: ID_PATTERN, description: '1–64 of A-Za-z0-9._:-', example: 'pn-004512' },
    unitId: { type: 'string', pattern: ID_PATTERN, example: 'ft-huzheng' },
    name: { type: 'string', minLength: 1, maxLength: 200, example: '王建国' },
  },
});
