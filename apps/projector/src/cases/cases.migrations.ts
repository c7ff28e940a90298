// Read models of cases (complaints, follow-ups, and the kinds to come): the ledger (one row per case, indexed by
// responsible unit for the ledgers' pages), which responsible units have cases under each unit (a subtree's page
// merges theirs), the cohort counts the rates read, and the open cases by deadline (overdue depends on the moment
// of the query, so it is summed then).
import type { Migration } from '@minyi/event-store';
import { grantReadModel } from '../satisfaction/satisfaction.migrations.js';

/** The live tables of the cases projection; a rebuild builds `<table>_next` beside each and renames them in. */
export const CASE_TABLES = {
  cases: 'rm_cases',
  units: 'rm_case_units',
  counts: 'rm_case_counts',
  open: 'rm_case_open',
} as const;
export type CaseTables = { readonly [K in keyof typeof CASE_TABLES]: string };

export const caseMigrations: Migration[] = [
  {
    id: 'projector-0001-case-read-models',
    sql: `
      -- The ledger: the case as its latest event left it. Ids sort by code point ("C"), as the API orders them.
      CREATE TABLE rm_cases (
        kind text NOT NULL,
        case_id text COLLATE "C" NOT NULL,
        filed_unit_id text NOT NULL,
        responsible_unit_id text NOT NULL,
        -- the responsible unit's path, root … unit
        path text[] NOT NULL,
        category text,
        state text NOT NULL,
        filed_at timestamptz NOT NULL,
        -- the deadline in force as the events carry it (with its offset), null if none was ever set
        due_at text,
        accepted boolean NOT NULL,
        handled boolean NOT NULL,
        on_time boolean NOT NULL,
        handling text,
        replied boolean NOT NULL,
        called_back boolean NOT NULL,
        score smallint,
        closed boolean NOT NULL,
        final boolean NOT NULL,
        excluded boolean NOT NULL,
        -- the filing's text (complaints, opinions), verbatim; never contact details
        text text,
        PRIMARY KEY (kind, case_id)
      );
      -- One row per depth of the responsible unit's path (unit_id null past the end of a path that got shorter),
      -- so that a ledger page of any unit's subtree is one index range, newest first.
      CREATE TABLE rm_case_scopes (
        kind text NOT NULL,
        case_id text COLLATE "C" NOT NULL,
        depth smallint NOT NULL,
        unit_id text,
        filed_at timestamptz NOT NULL,
        state text NOT NULL,
        category text,
        -- the deadline while the case is open (not handled, closed or excluded), else null: overdue = open_due_at < now
        open_due_at timestamptz,
        PRIMARY KEY (kind, case_id, depth)
      );
      CREATE INDEX rm_case_scopes_page ON rm_case_scopes (kind, unit_id, filed_at DESC, case_id) INCLUDE (state, category, open_due_at);
      CREATE INDEX rm_case_scopes_state ON rm_case_scopes (kind, unit_id, state, filed_at DESC, case_id) INCLUDE (category, open_due_at);
      CREATE INDEX rm_case_scopes_category ON rm_case_scopes (kind, unit_id, category, filed_at DESC, case_id) INCLUDE (state, open_due_at);
      -- Cohort counts: cases filed in the period (cut in MINYI_TZ), under the unit now, with their status now.
      -- \`handling\` (the latest handling step since the latest reopen, '' for none) splits the row, so that a kind
      -- with several handling steps (opinions: rectify, explain) needs no column of its own.
      CREATE TABLE rm_case_counts (
        unit_id text NOT NULL,
        granularity text NOT NULL,
        period text NOT NULL,
        kind text NOT NULL,
        handling text NOT NULL,
        cases integer NOT NULL DEFAULT 0,
        excluded integer NOT NULL DEFAULT 0,
        accepted integer NOT NULL DEFAULT 0,
        handled integer NOT NULL DEFAULT 0,
        on_time integer NOT NULL DEFAULT 0,
        replied integer NOT NULL DEFAULT 0,
        called_back integer NOT NULL DEFAULT 0,
        satisfied integer NOT NULL DEFAULT 0,
        closed integer NOT NULL DEFAULT 0,
        final integer NOT NULL DEFAULT 0,
        PRIMARY KEY (unit_id, granularity, period, kind, handling)
      );
      -- Open cases of a cohort by deadline: overdue at t = the sum over due_at < t.
      CREATE TABLE rm_case_open (
        unit_id text NOT NULL,
        granularity text NOT NULL,
        period text NOT NULL,
        kind text NOT NULL,
        due_at timestamptz NOT NULL,
        n integer NOT NULL DEFAULT 0,
        PRIMARY KEY (unit_id, granularity, period, kind, due_at)
      );
      ${['rm_cases', 'rm_case_scopes', 'rm_case_counts', 'rm_case_open'].map(grantReadModel).join('\n')}
    `,
  },
  {
    // Pages of overdue cases walk the open ones only: where most cases are handled, the page index would pass over
    // thousands of them for each overdue one (open_due_at < now implies it is not null, so the planner takes this one).
    id: 'projector-0002-case-open-scopes',
    sql: `CREATE INDEX rm_case_scopes_open ON rm_case_scopes (kind, unit_id, filed_at DESC, case_id) INCLUDE (state, category, open_due_at) WHERE open_due_at IS NOT NULL;`,
  },
  {
    // The ledger's pages read rm_cases itself, one range per responsible unit of the subtree (rm_case_units), instead
    // of a scope row per unit of each case's path: a third of the index entries to write live and to build in a
    // rebuild (at a million cases the scope rows' five indexes were most of a rebuild's time).
    id: 'projector-0003-case-ledger-by-responsible-unit',
    sql: `
      -- the deadline while the case is open (not handled, closed or excluded), else null: overdue = open_due_at < now
      ALTER TABLE rm_cases ADD COLUMN open_due_at timestamptz;
      UPDATE rm_cases SET open_due_at = due_at::timestamptz WHERE due_at IS NOT NULL AND NOT handled AND NOT closed AND NOT excluded;
      CREATE INDEX rm_cases_page ON rm_cases (kind, responsible_unit_id, filed_at DESC, case_id) INCLUDE (state, category, open_due_at);
      CREATE INDEX rm_cases_state ON rm_cases (kind, responsible_unit_id, state, filed_at DESC, case_id) INCLUDE (category, open_due_at);
      CREATE INDEX rm_cases_category ON rm_cases (kind, responsible_unit_id, category, filed_at DESC, case_id) INCLUDE (state, open_due_at);
      -- Pages of overdue cases walk the open ones only (open_due_at < now implies it is not null).
      CREATE INDEX rm_cases_open ON rm_cases (kind, responsible_unit_id, filed_at DESC, case_id) INCLUDE (state, category, open_due_at) WHERE open_due_at IS NOT NULL;
      -- Under each unit of a path, the cases of each responsible unit there: a unit's ledger merges the pages of the
      -- responsible units with cases > 0 (a case escalated away leaves 0 behind, which a rebuild need not make).
      CREATE TABLE rm_case_units (
        kind text NOT NULL,
        unit_id text NOT NULL,
        responsible_unit_id text NOT NULL,
        cases integer NOT NULL DEFAULT 0,
        PRIMARY KEY (kind, unit_id, responsible_unit_id)
      );
      INSERT INTO rm_case_units (kind, unit_id, responsible_unit_id, cases)
        SELECT c.kind, u.unit_id, c.responsible_unit_id, count(*) FROM rm_cases c CROSS JOIN LATERAL unnest(c.path) AS u(unit_id) GROUP BY 1, 2, 3;
      ${grantReadModel(CASE_TABLES.units)}
      DROP TABLE IF EXISTS rm_case_scopes_next;
      DROP TABLE rm_case_scopes;
    `,
  },
];
