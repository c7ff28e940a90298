// The request body of POST /v1/surveys (API.md "Surveys"); the rules between fields are in domain/questionnaire.ts.
import { ID_PATTERN, QUESTION_KINDS, SURVEY_AUDIENCES, SURVEY_LIMITS, type SurveyAudience } from '@minyi/contracts';
import { RequestSchema } from '@minyi/platform';
import type { QuestionRequest } from '../domain/questionnaire.js';

export interface DefineSurveyBody {
  id: string;
  unitId: string;
  title: string;
  audience: SurveyAudience;
  anonymous: boolean;
  targetSize?: number;
  questions: QuestionRequest[];
}

const L = SURVEY_LIMITS;

export const defineSurveySchema = new RequestSchema<DefineSurveyBody>({
  type: 'object',
  additionalProperties: false,
  required: ['id', 'unitId', 'title', 'audience', 'anonymous', 'questions'],
  properties: {
    id: { type: 'string', pattern: ID_PATTERN, description: 'client-made id: 1–64 of A-Za-z0-9._:- (a uuid is recommended)', example: 'cs-2021-staff' },
    unitId: { type: 'string', pattern: ID_PATTERN, description: 'the unit the survey is for: its satisfaction answers count there and above', example: 'cs' },
    title: { type: 'string', minLength: 1, maxLength: L.titleLength, description: `1–${L.titleLength} characters`, example: '基层民辅警警意调查' },
    audience: { enum: [...SURVEY_AUDIENCES], example: 'staff' },
    anonymous: { type: 'boolean', description: 'true: no link is kept between an invitation and its response' },
    targetSize: { type: 'integer', minimum: 1, description: 'the population asked; participation is responded / targetSize while no invitation is issued', example: 14000 },
    questions: {
      type: 'array',
      minItems: 1,
      maxItems: L.questions,
      description: `1–${L.questions} questions, ids unique within the survey`,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'kind', 'text'],
        properties: {
          id: { type: 'string', pattern: ID_PATTERN, description: 'client-made id: 1–64 of A-Za-z0-9._:-', example: 'q1' },
          kind: { enum: [...QUESTION_KINDS], description: 'level5: 1–5; nps: 0–10; single: one option; multi: several; text: free text (a suggestion)' },
          text: { type: 'string', minLength: 1, maxLength: L.questionTextLength, description: `1–${L.questionTextLength} characters`, example: '您对经费装备保障工作是否满意？' },
          options: {
            type: 'array',
            minItems: L.minOptions,
            maxItems: L.maxOptions,
            items: { type: 'string', minLength: 1, maxLength: L.optionLength },
            description: `single and multi only (required there): ${L.minOptions}–${L.maxOptions} distinct strings of 1–${L.optionLength} characters`,
          },
          required: { type: 'boolean', description: 'default false: a response without it is stored as not valid' },
          satisfaction: { type: 'boolean', description: 'level5 only: its answers count in /v1/satisfaction channel surveys' },
        },
      },
    },
  },
});
