// The request body of POST /v1/terminals.
import { ID_PATTERN } from '@minyi/contracts';
import { RequestSchema } from '@minyi/platform';

export interface RegisterTerminalBody {
  id: string;
  windowId: string;
}

export const registerTerminalSchema = new RequestSchema<RegisterTerminalBody>({
  type: 'object',
  additionalProperties: false,
  required: ['id', 'windowId'],
  properties: {
    id: { type: 'string', pattern: ID_PATTERN, description: '1–64 of A-Za-z0-9._:-', example: 'term-ft-hz-w03' },
    windowId: { type: 'string', pattern: ID_PATTERN, example: 'ft-hz-w03' },
  },
});
