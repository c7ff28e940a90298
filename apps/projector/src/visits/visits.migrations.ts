// Read models of visits (走访): per unit (rolled up the tree) and period, the visits, household visits, meetings and
// attendees the rates' `visits` group reads, and the distinct household refs behind the households figure.
import type { Migration } from '@minyi/event-store';
import { grantReadModel } from '../satisfaction/satisfaction.migrations.js';

/** The live tables of the visits projection; a rebuild builds `<table>_next` beside each and renames them in. */
export const VISIT_TABLES = {
  counts: 'rm_visit_counts',
  households: 'rm_visit_households',
} as const;
export type VisitTables = { readonly [K in keyof typeof VISIT_TABLES]: string };

export const visitMigrations: Migration[] = [
  {
    id: 'projector-visits-0001-visit-read-models',
    sql: `
      -- Visits in the period (cut in MINYI_TZ by occurredAt) at the unit or below it. households = the distinct refs of
      -- its household visits (rm_visit_households) plus each household visit without a ref, kept as a count when a
      -- ref is first met, so that a series reads O(periods) rows.
      CREATE TABLE rm_visit_counts (
        unit_id text NOT NULL,
        granularity text NOT NULL,
        period text NOT NULL,
        visits integer NOT NULL DEFAULT 0,
        households integer NOT NULL DEFAULT 0,
        meetings integer NOT NULL DEFAULT 0,
        attendees bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (unit_id, granularity, period)
      );
      -- The household refs met in each unit's period (a ref is the household's own code, no personal data).
      CREATE TABLE rm_visit_households (
        unit_id text NOT NULL,
        granularity text NOT NULL,
        period text NOT NULL,
        ref text COLLATE "C" NOT NULL,
        PRIMARY KEY (unit_id, granularity, period, ref)
      );
      ${Object.values(VISIT_TABLES).map(grantReadModel).join('\n')}
    `,
  },
];
