// A survey's suggestion becomes an opinion (API.md "Surveys"): each non-blank text answer of a valid response is
// filed with source `survey` — which no client may send — under an id derived from its cause, so that a reactor's
// redelivery is a duplicate, never a second opinion.
import { contentHash } from '@minyi/contracts';
import type { FileCase } from '@minyi/cases';

export interface SurveySuggestion {
  surveyId: string;
  responseId: string;
  questionId: string;
  /** The survey's unit. */
  unitId: string;
  /** The answer, verbatim. */
  text: string;
  submittedAt: Date;
}

/** `<surveyId>:<responseId>:<questionId>` (may be longer than a client-made id). */
export function suggestionOpinionId(s: Pick<SurveySuggestion, 'surveyId' | 'responseId' | 'questionId'>): string {
  return `${s.surveyId}:${s.responseId}:${s.questionId}`;
}

/**
 * The filing of the suggestion's opinion: the survey's unit, category = the question id, text verbatim, occurredAt =
 * submittedAt, no contact. Not held to the 365-day window: the response was, when it was submitted.
 */
export function suggestionFiling(s: SurveySuggestion, now: Date): FileCase {
  const caseId = suggestionOpinionId(s);
  return {
    type: 'file',
    caseId,
    unitId: s.unitId,
    category: s.questionId,
    occurredAt: s.submittedAt,
    fields: { source: 'survey', visitId: null, text: s.text, contact: null },
    requestHash: contentHash({ caseId, unitId: s.unitId, category: s.questionId, text: s.text, occurredAt: s.submittedAt.toISOString(), source: 'survey' }),
    // The intake's clock accepted the response up to 5 minutes ahead of it: a reactor's clock behind it must not refuse it.
    now: new Date(Math.max(now.getTime(), s.submittedAt.getTime())),
    checkAge: false,
  };
}
