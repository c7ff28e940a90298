// Reads a survey's results: the definition and status from the survey's stream (read your writes), the counters from
// the read model — O(questions) rows, however many responses there are.
import { Inject, Injectable } from '@nestjs/common';
import { Forbidden } from '@minyi/contracts';
import { CaseAccess } from '@minyi/case-api';
import { POOLS, type Pools, type Principal } from '@minyi/platform';
import { Surveys } from '../application/surveys.js';
import { surveyResults, type SurveyResults } from '../domain/results.js';
import { SURVEY_RESULT_TABLES as T } from './survey-results.migrations.js';

@Injectable()
export class SurveyResultsReader {
  constructor(
    @Inject(POOLS) private readonly pools: Pools,
    private readonly surveys: Surveys,
    private readonly access: CaseAccess,
  ) {}

  async read(surveyId: string, principal: Principal): Promise<SurveyResults> {
    // The counters are asked for at once, beside the survey's stream (one round trip instead of two in a row): on a
    // 404 or a 403 they are thrown away unseen.
    const counted = this.counters(surveyId);
    counted.catch(() => undefined);
    const survey = await this.surveys.require(surveyId);
    const d = survey.definition;
    const allowed = principal.kind === 'admin' || (principal.kind === 'reader' && (principal.role === 'analyst' || (principal.unitId !== null && (await this.access.covers(principal.unitId, d.unitId)))));
    if (!allowed) throw new Forbidden(`this token may not read the results of a survey of unit ${d.unitId}`);
    return surveyResults({ surveyId, status: survey.status, targetSize: d.targetSize, questions: d.questions }, await counted);
  }

  private async counters(surveyId: string) {
    const { rows } = await this.pools.app.query<{ kind: 't' | 'q' | 'v'; question_id: string | null; value: string | null; a: string; b: string; c: string; e: string }>(
      `SELECT 't' AS kind, NULL AS question_id, NULL AS value, invited::text AS a, responded::text AS b, valid::text AS c, suggestions::text AS e FROM ${T.totals} WHERE survey_id = $1
       UNION ALL SELECT 'q', question_id, NULL, n::text, '0', '0', '0' FROM ${T.questions} WHERE survey_id = $1
       UNION ALL SELECT 'v', question_id, value, n::text, '0', '0', '0' FROM ${T.values} WHERE survey_id = $1`,
      [surveyId],
    );
    const counters = { invited: 0, responded: 0, valid: 0, suggestions: 0, answered: new Map<string, number>(), values: new Map<string, Map<string, number>>() };
    for (const r of rows) {
      if (r.kind === 't') Object.assign(counters, { invited: Number(r.a), responded: Number(r.b), valid: Number(r.c), suggestions: Number(r.e) });
      else if (r.kind === 'q') counters.answered.set(r.question_id!, Number(r.a));
      else {
        let m = counters.values.get(r.question_id!);
        if (!m) counters.values.set(r.question_id!, (m = new Map()));
        m.set(r.value!, Number(r.a));
      }
    }
    return counters;
  }
}
