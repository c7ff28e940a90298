// The request body of POST /v1/surveys/{id}/responses (API.md "Surveys"): the answers' values are checked against the
// survey's own questions (domain/questionnaire.ts); here only their outer shape.
import { ID_PATTERN, SURVEY_LIMITS } from '@minyi/contracts';
import { occurredAtSchema } from '@minyi/case-api';
import { RequestSchema } from '@minyi/platform';
import { MAX_TOKEN_LENGTH } from '../application/invitation-token.js';

export interface SubmitResponseBody {
  id: string;
  token?: string;
  answers: Record<string, unknown>;
  submittedAt: string;
}

const L = SURVEY_LIMITS;

export const submitResponseSchema = new RequestSchema<SubmitResponseBody>({
  type: 'object',
  additionalProperties: false,
  required: ['id', 'answers', 'submittedAt'],
  properties: {
    id: { type: 'string', pattern: ID_PATTERN, description: 'client-made id of the response: 1–64 of A-Za-z0-9._:- (a uuid is recommended; with an anonymous survey, a random one)', example: '3b0c8f0e-6f55-4d0b-9b1b-3c8a1f9e2d11' },
    token: { type: 'string', minLength: 1, maxLength: 256, description: `an invitation token (then no Authorization is needed); at most ${MAX_TOKEN_LENGTH} characters as issued` },
    answers: {
      type: 'object',
      maxProperties: L.questions,
      propertyNames: { pattern: ID_PATTERN },
      additionalProperties: {
        anyOf: [
          { type: 'integer' },
          { type: 'string', maxLength: L.textAnswerLength },
          { type: 'array', maxItems: L.maxOptions, items: { type: 'string', maxLength: L.optionLength } },
        ],
      },
      description:
        'question id → answer: level5 an integer 1–5, nps 0–10, single one of the options, multi a non-empty list of distinct options, ' +
        `text a string of 1–${L.textAnswerLength} characters. A required question left out makes the response not valid (stored, counted as responded only).`,
      example: { q1: 4, q2: 9, q3: '经费装备', q4: ['住房', '体检'], q5: '建议增加基层警力配备。' },
    },
    submittedAt: { ...occurredAtSchema, description: 'when it was answered, with its offset: at most 5 minutes ahead and 365 days old (it may precede the publication: paper typed in later)' },
  },
});
