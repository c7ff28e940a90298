// The request body of POST /v1/units.
import { ID_PATTERN } from '@minyi/contracts';
import { RequestSchema } from '@minyi/platform';

export interface RegisterUnitBody {
  id: string;
  name: string;
  parentId: string | null;
  kind: string;
}

export const registerUnitSchema = new RequestSchema<RegisterUnitBody>({
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'parentId', 'kind'],
  properties: {
    id: { type: 'string', pattern: ID_PATTERN, description: '1–64 of A-Za-z0-9._:-', example: 'sz-futian' },
    name: { type: 'string', minLength: 1, maxLength: 200, example: '福田分局' },
    parentId: { type: ['string', 'null'], pattern: ID_PATTERN, description: 'the parent unit, or null for the root', example: 'sz' },
    kind: { type: 'string', minLength: 1, maxLength: 64, description: 'e.g. bureau, branch, station, brigade', example: 'branch' },
  },
});
