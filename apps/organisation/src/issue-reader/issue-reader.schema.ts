// The request body of POST /v1/readers.
import { ID_PATTERN } from '@minyi/contracts';
import { RequestSchema } from '@minyi/platform';

export interface IssueReaderBody {
  id: string;
  role: 'analyst' | 'leader';
  unitId?: string | null;
}

export const issueReaderSchema = new RequestSchema<IssueReaderBody>({
  type: 'object',
  additionalProperties: false,
  required: ['id', 'role'],
  properties: {
    id: { type: 'string', pattern: ID_PATTERN, description: '1–64 of A-Za-z0-9._:-', example: 'leader-futian' },
    role: { enum: ['analyst', 'leader'], description: 'analyst reads everything; leader reads one unit’s subtree' },
    unitId: { type: ['string', 'null'], pattern: ID_PATTERN, description: 'required for a leader: the unit whose subtree it may read' },
  },
  if: { properties: { role: { const: 'leader' } } },
  then: { required: ['unitId'], properties: { unitId: { type: 'string' } } },
  else: { properties: { unitId: { type: 'null' } } },
});
