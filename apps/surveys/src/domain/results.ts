// A survey's results from its counters (API.md "Surveys", results): participation, and per question the counts of
// every value (zeros included), the mean, the satisfaction rate (level5) and the NPS (nps). Pure: the counters come
// from the read model, the questions from the definition.
import type { SurveyQuestionV1, SurveyStatus } from '@minyi/contracts';

export interface Counters {
  invited: number;
  responded: number;
  valid: number;
  suggestions: number;
  /** question id → valid responses that answered it. */
  answered: ReadonlyMap<string, number>;
  /** question id → value → n. */
  values: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

export interface QuestionResult {
  id: string;
  kind: SurveyQuestionV1['kind'];
  n: number;
  counts?: Record<string, number>;
  mean?: number | null;
  satisfactionRate?: number | null;
  nps?: number | null;
}

export interface SurveyResults {
  id: string;
  status: SurveyStatus;
  invited: number;
  responded: number;
  valid: number;
  participationRate: number | null;
  suggestions: number;
  questions: QuestionResult[];
}

const LEVELS = ['1', '2', '3', '4', '5'];
const SCORES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];

export function surveyResults(survey: { surveyId: string; status: SurveyStatus; targetSize: number | null; questions: readonly SurveyQuestionV1[] }, c: Counters): SurveyResults {
  const participationRate = c.invited > 0 ? c.responded / c.invited : survey.targetSize !== null ? c.responded / survey.targetSize : null;
  return {
    id: survey.surveyId,
    status: survey.status,
    invited: c.invited,
    responded: c.responded,
    valid: c.valid,
    participationRate,
    suggestions: c.suggestions,
    questions: survey.questions.map((q) => questionResult(q, c.answered.get(q.id) ?? 0, c.values.get(q.id) ?? new Map())),
  };
}

function countsOf(keys: readonly string[], values: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries(keys.map((k) => [k, values.get(k) ?? 0]));
}

function questionResult(q: SurveyQuestionV1, n: number, values: ReadonlyMap<string, number>): QuestionResult {
  const ratio = (x: number) => (n === 0 ? null : x / n);
  switch (q.kind) {
    case 'level5': {
      const counts = countsOf(LEVELS, values);
      const sum = LEVELS.reduce((s, k) => s + Number(k) * counts[k], 0);
      return { id: q.id, kind: q.kind, n, counts, mean: ratio(sum), satisfactionRate: ratio(counts['3'] + counts['4'] + counts['5']) };
    }
    case 'nps': {
      const counts = countsOf(SCORES, values);
      const sum = SCORES.reduce((s, k) => s + Number(k) * counts[k], 0);
      const promoters = counts['9'] + counts['10'];
      const detractors = SCORES.slice(0, 7).reduce((s, k) => s + counts[k], 0);
      return { id: q.id, kind: q.kind, n, counts, mean: ratio(sum), nps: n === 0 ? null : (100 * (promoters - detractors)) / n };
    }
    case 'single':
    case 'multi':
      return { id: q.id, kind: q.kind, n, counts: countsOf(q.options ?? [], values) };
    case 'text':
      return { id: q.id, kind: q.kind, n };
  }
}
