// The rules of a questionnaire beyond what a JSON Schema says (API.md "Surveys"): how a definition's questions must
// agree with their kinds, and what an answer to each kind may be; which responses are valid; what a suggestion is.
import type { FieldError, SurveyAnswerV1, SurveyQuestionV1 } from '@minyi/contracts';
import { SURVEY_LIMITS } from '@minyi/contracts';

/** A question as a definition request sends it (options, required and satisfaction optional). */
export interface QuestionRequest {
  id: string;
  kind: SurveyQuestionV1['kind'];
  text: string;
  options?: string[];
  required?: boolean;
  satisfaction?: boolean;
}

/** The rules between a definition's fields: unique question ids, options exactly where the kind has them, satisfaction on level5 only. */
export function definitionErrors(questions: readonly QuestionRequest[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  questions.forEach((q, i) => {
    const at = (field: string) => `questions.${i}.${field}`;
    if (seen.has(q.id)) errors.push({ path: at('id'), message: `repeats question id ${q.id}: ids are unique within a survey` });
    seen.add(q.id);
    const choice = q.kind === 'single' || q.kind === 'multi';
    if (choice && q.options === undefined) errors.push({ path: at('options'), message: `is required for a ${q.kind} question` });
    if (!choice && q.options !== undefined) errors.push({ path: at('options'), message: `only single and multi questions have options, not ${q.kind}` });
    if (choice && q.options && new Set(q.options).size !== q.options.length) errors.push({ path: at('options'), message: 'must be distinct' });
    if (q.satisfaction === true && q.kind !== 'level5') errors.push({ path: at('satisfaction'), message: `only level5 questions count for satisfaction, not ${q.kind}` });
  });
  return errors;
}

/** The stored question: every field present. */
export function questionOf(q: QuestionRequest): SurveyQuestionV1 {
  const choice = q.kind === 'single' || q.kind === 'multi';
  return { id: q.id, kind: q.kind, text: q.text, options: choice ? [...(q.options ?? [])] : null, required: q.required ?? false, satisfaction: q.kind === 'level5' && q.satisfaction === true };
}

export interface CheckedAnswers {
  /** The answers in the survey's question order, each with its kind. */
  answers: SurveyAnswerV1[];
  /** Every required question answered. */
  valid: boolean;
  /** The level5 answers to questions marked satisfaction, when valid. */
  satisfaction: number[];
}

const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Why `value` is no answer to `q`, or null when it is one. */
function answerProblem(q: SurveyQuestionV1, value: unknown): string | null {
  switch (q.kind) {
    case 'level5':
      return isInteger(value) && value >= 1 && value <= 5 ? null : 'must be an integer 1–5 (a level5 question)';
    case 'nps':
      return isInteger(value) && value >= 0 && value <= 10 ? null : 'must be an integer 0–10 (an nps question)';
    case 'single':
      return typeof value === 'string' && q.options!.includes(value) ? null : 'must be one of the question’s options';
    case 'multi': {
      if (!Array.isArray(value) || value.length === 0) return 'must be a non-empty list of the question’s options';
      if (!value.every((v) => typeof v === 'string' && q.options!.includes(v))) return 'must list only the question’s options';
      return new Set(value).size === value.length ? null : 'must not list an option twice';
    }
    case 'text':
      if (typeof value !== 'string') return 'must be a string (a text question)';
      return [...value].length >= 1 && [...value].length <= SURVEY_LIMITS.textAnswerLength ? null : `must be 1–${SURVEY_LIMITS.textAnswerLength} characters`;
  }
}

/**
 * Checks a response's answers against the survey's questions: an unknown question or a wrong value is an error
 * naming `answers.<questionId>`; a missing required answer makes the response invalid (stored, counted as responded only).
 */
export function checkAnswers(questions: readonly SurveyQuestionV1[], sent: Readonly<Record<string, unknown>>): { errors: FieldError[] } | CheckedAnswers {
  const errors: FieldError[] = [];
  const byId = new Map(questions.map((q) => [q.id, q]));
  for (const [key, value] of Object.entries(sent)) {
    const q = byId.get(key);
    if (!q) errors.push({ path: `answers.${key}`, message: 'is not a question of this survey' });
    else {
      const problem = answerProblem(q, value);
      if (problem) errors.push({ path: `answers.${key}`, message: problem });
    }
  }
  if (errors.length) return { errors };
  const answers: SurveyAnswerV1[] = [];
  let valid = true;
  for (const q of questions) {
    if (!Object.prototype.hasOwnProperty.call(sent, q.id)) {
      if (q.required) valid = false;
      continue;
    }
    const value = sent[q.id] as SurveyAnswerV1['value'];
    answers.push({ questionId: q.id, kind: q.kind, value: Array.isArray(value) ? [...value] : value });
  }
  const satisfaction = valid ? answers.filter((a) => byId.get(a.questionId)!.satisfaction).map((a) => a.value as number) : [];
  return { answers, valid, satisfaction };
}

/** A suggestion (意见建议): a text answer that is not blank (whitespace only, Unicode's included, is blank). */
export function isSuggestion(answer: Pick<SurveyAnswerV1, 'kind' | 'value'>): boolean {
  return answer.kind === 'text' && typeof answer.value === 'string' && answer.value.trim() !== '';
}
