// The survey-results projection: keeps the results' counters current as responses and invitations commit. Each
// batch's additions are summed first and written as one upsert per table, in key order (two projectors adding to
// the same rows take their locks alike and never deadlock).
import type { PoolClient } from 'pg';
import type { LogEvent } from '@minyi/event-store';
import type { Projection, ProjectionDefinition } from '@minyi/messaging';
import { RESULT_EVENTS, SurveyResultsFold } from './survey-results.fold.js';
import { SURVEY_RESULT_TABLES, type SurveyResultTables } from './survey-results.migrations.js';

export const SURVEY_RESULTS_PROJECTION = 'survey-results';

const sorted = <V>(m: Map<string, V>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

export class SurveyResultsProjection implements Projection<LogEvent> {
  readonly name = SURVEY_RESULTS_PROJECTION;
  readonly withoutMetadata = true;
  readonly handles = RESULT_EVENTS;

  constructor(private readonly tables: SurveyResultTables = SURVEY_RESULT_TABLES) {}

  async apply(events: LogEvent[], tx: PoolClient): Promise<void> {
    const fold = new SurveyResultsFold();
    for (const e of events) fold.apply(e);
    const totals = sorted(fold.totals);
    if (totals.length) {
      await tx.query(
        `INSERT INTO ${this.tables.totals} AS t (survey_id, invited, responded, valid, suggestions)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[])
         ON CONFLICT (survey_id) DO UPDATE SET invited = t.invited + EXCLUDED.invited, responded = t.responded + EXCLUDED.responded,
           valid = t.valid + EXCLUDED.valid, suggestions = t.suggestions + EXCLUDED.suggestions`,
        [totals.map(([k]) => k), totals.map(([, t]) => t.invited), totals.map(([, t]) => t.responded), totals.map(([, t]) => t.valid), totals.map(([, t]) => t.suggestions)],
      );
    }
    const questions = sorted(fold.questions).map(([k, n]) => [...k.split('\u0000'), n] as [string, string, number]);
    if (questions.length) {
      await tx.query(
        `INSERT INTO ${this.tables.questions} AS q (survey_id, question_id, n)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
         ON CONFLICT (survey_id, question_id) DO UPDATE SET n = q.n + EXCLUDED.n`,
        [questions.map((q) => q[0]), questions.map((q) => q[1]), questions.map((q) => q[2])],
      );
    }
    // Values may hold any text of an option, \u0000 never (minyi records no NUL): the key splits back exactly.
    const values = sorted(fold.values).map(([k, n]) => {
      const [survey, question, ...value] = k.split('\u0000');
      return [survey, question, value.join('\u0000'), n] as [string, string, string, number];
    });
    if (values.length) {
      await tx.query(
        `INSERT INTO ${this.tables.values} AS v (survey_id, question_id, value, n)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
         ON CONFLICT (survey_id, question_id, value) DO UPDATE SET n = v.n + EXCLUDED.n`,
        [values.map((v) => v[0]), values.map((v) => v[1]), values.map((v) => v[2]), values.map((v) => v[3])],
      );
    }
  }
}

/** The projection as the surveys manifest declares it (consumed live, rebuilt by the generic rebuild). */
export const surveyResultsProjection: ProjectionDefinition<LogEvent> = {
  name: SURVEY_RESULTS_PROJECTION,
  version: 1,
  handles: RESULT_EVENTS,
  tables: Object.values(SURVEY_RESULT_TABLES),
  create: (_deps, tables) =>
    new SurveyResultsProjection({ totals: tables[SURVEY_RESULT_TABLES.totals], questions: tables[SURVEY_RESULT_TABLES.questions], values: tables[SURVEY_RESULT_TABLES.values] }),
};
