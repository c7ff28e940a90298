// The request body of POST /v1/surveys/{id}/invitations (API.md "Surveys").
import { ID_PATTERN, SURVEY_LIMITS } from '@minyi/contracts';
import { RequestSchema } from '@minyi/platform';

export interface IssueInvitationsBody {
  id: string;
  count: number;
}

export const issueInvitationsSchema = new RequestSchema<IssueInvitationsBody>({
  type: 'object',
  additionalProperties: false,
  required: ['id', 'count'],
  properties: {
    id: { type: 'string', pattern: ID_PATTERN, description: 'client-made id of this batch of invitations: 1–64 of A-Za-z0-9._:-', example: 'inv-station-01' },
    count: { type: 'integer', minimum: 1, maximum: SURVEY_LIMITS.invitationsPerRequest, description: `how many one-time tokens: 1–${SURVEY_LIMITS.invitationsPerRequest}`, example: 500 },
  },
});
