// What a batch of survey events adds to the results' counters (pure): invitations to `invited`, each response to
// `responded`, a valid one to `valid`, its answers to their questions and values, its non-blank text answers to
// `suggestions`. The response carries its answers' kinds, so nothing else is looked up.
import { SurveyInvitationsIssued, SurveyResponded, type SurveyInvitationsIssuedV1, type SurveyRespondedV1 } from '@minyi/contracts';
import { isSuggestion } from '../domain/questionnaire.js';

export interface Totals {
  invited: number;
  responded: number;
  valid: number;
  suggestions: number;
}

export const RESULT_EVENTS = [SurveyInvitationsIssued.type, SurveyResponded.type] as const;

export class SurveyResultsFold {
  readonly totals = new Map<string, Totals>();
  /** `survey \0 question` → n. */
  readonly questions = new Map<string, number>();
  /** `survey \0 question \0 value` → n. */
  readonly values = new Map<string, number>();

  apply(e: { type: string; data: unknown }): void {
    if (e.type === SurveyInvitationsIssued.type) {
      const d = e.data as SurveyInvitationsIssuedV1;
      this.totalsOf(d.surveyId).invited += d.count;
      return;
    }
    if (e.type !== SurveyResponded.type) return;
    const d = e.data as SurveyRespondedV1;
    const t = this.totalsOf(d.surveyId);
    t.responded += 1;
    if (!d.valid) return;
    t.valid += 1;
    for (const a of d.answers) {
      add(this.questions, `${d.surveyId}\u0000${a.questionId}`, 1);
      if (a.kind === 'text') {
        if (isSuggestion(a)) t.suggestions += 1;
        continue;
      }
      for (const v of Array.isArray(a.value) ? a.value : [a.value]) add(this.values, `${d.surveyId}\u0000${a.questionId}\u0000${String(v)}`, 1);
    }
  }

  private totalsOf(surveyId: string): Totals {
    let t = this.totals.get(surveyId);
    if (!t) this.totals.set(surveyId, (t = { invited: 0, responded: 0, valid: 0, suggestions: 0 }));
    return t;
  }
}

function add(map: Map<string, number>, key: string, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}
