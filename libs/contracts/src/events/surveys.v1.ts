// Survey events, version 1 (问卷调查, 警意调查): a questionnaire defined, published and closed; invitations issued as
// one-time tokens (only their hashes recorded); a token's use; a response. The use of a token and the response it
// let in are two facts with nothing in common (API.md "Surveys", anonymity): the use names the token's hash and its
// invitation and nothing of the response; the response names neither.
import { ID_PATTERN } from '../ids.js';
import type { EventDefinition } from '../event-definition.js';

const id = { type: 'string', pattern: ID_PATTERN } as const;
const instant = { type: 'string', minLength: 20, maxLength: 40 } as const;

export const SURVEY_AUDIENCES = ['residents', 'staff', 'enterprises'] as const;
export type SurveyAudience = (typeof SURVEY_AUDIENCES)[number];
export const QUESTION_KINDS = ['level5', 'nps', 'single', 'multi', 'text'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];
export const SURVEY_STATUSES = ['draft', 'open', 'closed'] as const;
export type SurveyStatus = (typeof SURVEY_STATUSES)[number];

/** The limits of a definition (API.md gives the counts; the lengths are minyi's, documented in /docs). */
export const SURVEY_LIMITS = {
  questions: 100,
  titleLength: 200,
  questionTextLength: 1000,
  minOptions: 2,
  maxOptions: 50,
  optionLength: 64,
  textAnswerLength: 2000,
  invitationsPerRequest: 10_000,
  /** Token hashes per SurveyInvitationTokensIssued event (a Kafka message stays well under its 1 MiB). */
  tokenHashesPerEvent: 1000,
} as const;

export interface SurveyQuestionV1 {
  id: string;
  kind: QuestionKind;
  text: string;
  /** single and multi only; null otherwise. */
  options: string[] | null;
  required: boolean;
  /** level5 only: its answers count in channel `surveys` of /v1/satisfaction. */
  satisfaction: boolean;
}

const questionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'kind', 'text', 'options', 'required', 'satisfaction'],
  properties: {
    id,
    kind: { enum: [...QUESTION_KINDS] },
    text: { type: 'string', minLength: 1, maxLength: SURVEY_LIMITS.questionTextLength },
    options: {
      anyOf: [
        { type: 'array', minItems: SURVEY_LIMITS.minOptions, maxItems: SURVEY_LIMITS.maxOptions, items: { type: 'string', minLength: 1, maxLength: SURVEY_LIMITS.optionLength } },
        { type: 'null' },
      ],
    },
    required: { type: 'boolean' },
    satisfaction: { type: 'boolean' },
  },
} as const;

export interface SurveyDefinedV1 {
  surveyId: string;
  unitId: string;
  title: string;
  audience: SurveyAudience;
  anonymous: boolean;
  targetSize: number | null;
  questions: SurveyQuestionV1[];
}
export const SurveyDefined: EventDefinition<SurveyDefinedV1, 'SurveyDefined'> = {
  type: 'SurveyDefined',
  version: 1,
  context: 'surveys',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['surveyId', 'unitId', 'title', 'audience', 'anonymous', 'targetSize', 'questions'],
    properties: {
      surveyId: id,
      unitId: id,
      title: { type: 'string', minLength: 1, maxLength: SURVEY_LIMITS.titleLength },
      audience: { enum: [...SURVEY_AUDIENCES] },
      anonymous: { type: 'boolean' },
      targetSize: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }] },
      questions: { type: 'array', minItems: 1, maxItems: SURVEY_LIMITS.questions, items: questionSchema },
    },
  },
};

export interface SurveyStatusChangedV1 {
  surveyId: string;
  unitId: string;
}
const statusSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['surveyId', 'unitId'],
  properties: { surveyId: id, unitId: id },
} as const;
export const SurveyPublished: EventDefinition<SurveyStatusChangedV1, 'SurveyPublished'> = { type: 'SurveyPublished', version: 1, context: 'surveys', schema: statusSchema };
export const SurveyClosed: EventDefinition<SurveyStatusChangedV1, 'SurveyClosed'> = { type: 'SurveyClosed', version: 1, context: 'surveys', schema: statusSchema };

/** An invitation: `count` one-time tokens issued (counted in `invited`); their hashes follow in TokensIssued events. */
export interface SurveyInvitationsIssuedV1 {
  surveyId: string;
  unitId: string;
  invitationId: string;
  count: number;
}
export const SurveyInvitationsIssued: EventDefinition<SurveyInvitationsIssuedV1, 'SurveyInvitationsIssued'> = {
  type: 'SurveyInvitationsIssued',
  version: 1,
  context: 'surveys',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['surveyId', 'unitId', 'invitationId', 'count'],
    properties: { surveyId: id, unitId: id, invitationId: id, count: { type: 'integer', minimum: 1, maximum: SURVEY_LIMITS.invitationsPerRequest } },
  },
};

const tokenHash = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;

/** Up to SURVEY_LIMITS.tokenHashesPerEvent of an invitation's token hashes (sha256, hex); never a token. */
export interface SurveyInvitationTokensIssuedV1 {
  surveyId: string;
  invitationId: string;
  tokenHashes: string[];
}
export const SurveyInvitationTokensIssued: EventDefinition<SurveyInvitationTokensIssuedV1, 'SurveyInvitationTokensIssued'> = {
  type: 'SurveyInvitationTokensIssued',
  version: 1,
  context: 'surveys',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['surveyId', 'invitationId', 'tokenHashes'],
    properties: { surveyId: id, invitationId: id, tokenHashes: { type: 'array', minItems: 1, maxItems: SURVEY_LIMITS.tokenHashesPerEvent, items: tokenHash } },
  },
};

/** A token was used to let one response in. Holds nothing of that response (not its id, not its time's source). */
export interface SurveyTokenUsedV1 {
  surveyId: string;
  invitationId: string;
  tokenHash: string;
}
export const SurveyTokenUsed: EventDefinition<SurveyTokenUsedV1, 'SurveyTokenUsed'> = {
  type: 'SurveyTokenUsed',
  version: 1,
  context: 'surveys',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['surveyId', 'invitationId', 'tokenHash'],
    properties: { surveyId: id, invitationId: id, tokenHash },
  },
};

export type SurveyAnswerValue = number | string | string[];

/** One answer, with its question's kind, so that a read model counts it without the definition. */
export interface SurveyAnswerV1 {
  questionId: string;
  kind: QuestionKind;
  value: SurveyAnswerValue;
}

export interface SurveyRespondedV1 {
  surveyId: string;
  responseId: string;
  unitId: string;
  /** As sent (the event's occurredAt is its instant). */
  submittedAt: string;
  /** In the survey's question order. */
  answers: SurveyAnswerV1[];
  /** False when a required answer is missing: it counts as responded, nowhere else. */
  valid: boolean;
  /** The answers to level5 questions marked `satisfaction`, when valid (else empty): the channel `surveys` answers. */
  satisfaction: number[];
  /** How it came in: an invitation's token or a client (kiosk, paper typed in). Never which token. */
  via: 'invitation' | 'client';
  /** Only for a survey that is not anonymous and only by token: the invitation it came through; else null. */
  invitationId: string | null;
}
export const SurveyResponded: EventDefinition<SurveyRespondedV1, 'SurveyResponded'> = {
  type: 'SurveyResponded',
  version: 1,
  context: 'surveys',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['surveyId', 'responseId', 'unitId', 'submittedAt', 'answers', 'valid', 'satisfaction', 'via', 'invitationId'],
    properties: {
      surveyId: id,
      responseId: id,
      unitId: id,
      submittedAt: instant,
      answers: {
        type: 'array',
        maxItems: SURVEY_LIMITS.questions,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['questionId', 'kind', 'value'],
          properties: {
            questionId: id,
            kind: { enum: [...QUESTION_KINDS] },
            value: {
              anyOf: [
                { type: 'integer', minimum: 0, maximum: 10 },
                { type: 'string', minLength: 1, maxLength: SURVEY_LIMITS.textAnswerLength },
                { type: 'array', minItems: 1, maxItems: SURVEY_LIMITS.maxOptions, items: { type: 'string', minLength: 1, maxLength: SURVEY_LIMITS.optionLength } },
              ],
            },
          },
        },
      },
      valid: { type: 'boolean' },
      satisfaction: { type: 'array', maxItems: SURVEY_LIMITS.questions, items: { type: 'integer', minimum: 1, maximum: 5 } },
      via: { enum: ['invitation', 'client'] },
      invitationId: { anyOf: [id, { type: 'null' }] },
    },
  },
};
