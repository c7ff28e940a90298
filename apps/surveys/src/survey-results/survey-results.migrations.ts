// The read model of survey results: counters per survey, per question and per answer value, so that a survey's
// results are read in O(questions) rows however many responses it has.
import { APP_ROLE, type Migration } from '@minyi/event-store';

/** The live tables of the survey-results projection; a rebuild builds `<table>_next` beside each and renames them in. */
export const SURVEY_RESULT_TABLES = {
  totals: 'rm_survey_totals',
  questions: 'rm_survey_questions',
  values: 'rm_survey_values',
} as const;
export type SurveyResultTables = { readonly [K in keyof typeof SURVEY_RESULT_TABLES]: string };

const grant = (table: string) => `REVOKE ALL ON ${table} FROM ${APP_ROLE}; GRANT SELECT, INSERT, UPDATE ON ${table} TO ${APP_ROLE};`;

export const surveyResultMigrations: Migration[] = [
  {
    id: 'surveys-0001-survey-results',
    sql: `
      -- Per survey: tokens issued, responses, valid ones, suggestions (non-blank text answers of valid responses).
      CREATE TABLE rm_survey_totals (
        survey_id text PRIMARY KEY,
        invited bigint NOT NULL DEFAULT 0,
        responded bigint NOT NULL DEFAULT 0,
        valid bigint NOT NULL DEFAULT 0,
        suggestions bigint NOT NULL DEFAULT 0
      );
      -- Per question: the valid responses that answered it.
      CREATE TABLE rm_survey_questions (
        survey_id text NOT NULL,
        question_id text NOT NULL,
        n bigint NOT NULL,
        PRIMARY KEY (survey_id, question_id)
      );
      -- Per question and value (a level, a score, an option; each chosen option of a multi answer): how many chose it.
      CREATE TABLE rm_survey_values (
        survey_id text NOT NULL,
        question_id text NOT NULL,
        value text NOT NULL,
        n bigint NOT NULL,
        PRIMARY KEY (survey_id, question_id, value)
      );
      ${Object.values(SURVEY_RESULT_TABLES).map(grant).join('\n')}
    `,
  },
];
