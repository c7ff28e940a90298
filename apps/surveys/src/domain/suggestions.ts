// What a response's suggestions (意见建议) are: each non-blank text answer of a valid response, verbatim, to become an
// opinion of the survey's unit (API.md "Surveys"). Pure: the reactor files them.
import type { SurveyRespondedV1 } from '@minyi/contracts';
import { isSuggestion } from './questionnaire.js';

export interface ResponseSuggestion {
  surveyId: string;
  responseId: string;
  questionId: string;
  unitId: string;
  text: string;
  submittedAt: Date;
}

export function suggestionsOf(response: SurveyRespondedV1): ResponseSuggestion[] {
  if (!response.valid) return [];
  return response.answers.filter(isSuggestion).map((a) => ({
    surveyId: response.surveyId,
    responseId: response.responseId,
    questionId: a.questionId,
    unitId: response.unitId,
    text: a.value as string,
    submittedAt: new Date(response.submittedAt),
  }));
}
