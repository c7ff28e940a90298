// The request body of POST /v1/clients.
import { CLIENT_SCOPE_NAMES, ID_PATTERN, type ClientRegisteredV1 } from '@minyi/contracts';
import { CLIENT_SCOPES, RequestSchema, type ClientScope } from '@minyi/platform';

export interface RegisterClientBody {
  id: string;
  name: string;
  scopes: ClientScope[];
  unitId?: string | null;
}

// The scopes a principal carries and those its registration records are one list, kept in two libraries.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const scopesAgree: Same<ClientScope, ClientRegisteredV1['scopes'][number]> = true;
void scopesAgree;
if (CLIENT_SCOPES.join() !== CLIENT_SCOPE_NAMES.join()) throw new Error('CLIENT_SCOPES and CLIENT_SCOPE_NAMES differ');

export const registerClientSchema = new RequestSchema<RegisterClientBody>({
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'scopes'],
  properties: {
    id: { type: 'string', pattern: ID_PATTERN, description: '1–64 of A-Za-z0-9._:-', example: 'hotline-12345' },
    name: { type: 'string', minLength: 1, maxLength: 200, description: 'what the client is, for people', example: '12345 市民服务热线' },
    scopes: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { enum: [...CLIENT_SCOPES] },
      description: 'the channels it may file into (`…:write`), and `cases:write` to take steps on cases; each at most once',
      example: ['complaints:write', 'cases:write'],
    },
    unitId: {
      type: ['string', 'null'],
      pattern: ID_PATTERN,
      description: 'the unit it may act for, with every unit below it; absent or null: every unit',
      example: 'sz-futian',
    },
  },
});
