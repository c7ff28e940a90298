// Read models of satisfaction: the organisation as the projector knows it, and level counts per
// scope, granularity, period and channel (so a query reads one row per period, never events).
import { APP_ROLE, type Migration } from '@minyi/event-store';

export const SATISFACTION_TABLES = ['rm_units', 'rm_windows', 'rm_officers', 'rm_satisfaction'] as const;

/**
 * What the application role may do with a satisfaction read model: the live projection adds rows and counts
 * (INSERT … ON CONFLICT DO UPDATE), analytics reads. The tables belong to the schema's owner; a rebuild, which
 * runs as the owner, grants the same on the tables it swaps in.
 */
export function grantReadModel(table: string): string {
  return `REVOKE ALL ON ${table} FROM ${APP_ROLE}; GRANT SELECT, INSERT, UPDATE ON ${table} TO ${APP_ROLE};`;
}

export const satisfactionMigrations: Migration[] = [
  {
    id: '0003-satisfaction-read-models',
    sql: `
      CREATE TABLE rm_units (
        unit_id text PRIMARY KEY,
        name text NOT NULL,
        parent_id text,
        kind text NOT NULL,
        path text[] NOT NULL
      );
      CREATE TABLE rm_windows (
        window_id text PRIMARY KEY,
        unit_id text NOT NULL,
        name text NOT NULL,
        path text[] NOT NULL
      );
      CREATE TABLE rm_officers (
        officer_id text PRIMARY KEY,
        unit_id text NOT NULL,
        name text NOT NULL,
        path text[] NOT NULL
      );
      CREATE TABLE rm_satisfaction (
        scope text NOT NULL,
        granularity text NOT NULL,
        period text NOT NULL,
        channel text NOT NULL,
        n1 integer NOT NULL DEFAULT 0,
        n2 integer NOT NULL DEFAULT 0,
        n3 integer NOT NULL DEFAULT 0,
        n4 integer NOT NULL DEFAULT 0,
        n5 integer NOT NULL DEFAULT 0,
        PRIMARY KEY (scope, granularity, period, channel)
      );
      CREATE INDEX rm_units_parent ON rm_units (parent_id);
      CREATE INDEX rm_windows_path ON rm_windows USING gin (path);
      CREATE INDEX rm_officers_path ON rm_officers USING gin (path);
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          EXECUTE 'ALTER TABLE rm_units OWNER TO ${APP_ROLE}';
          EXECUTE 'ALTER TABLE rm_windows OWNER TO ${APP_ROLE}';
          EXECUTE 'ALTER TABLE rm_officers OWNER TO ${APP_ROLE}';
          EXECUTE 'ALTER TABLE rm_satisfaction OWNER TO ${APP_ROLE}';
        END IF;
      END $$;
    `,
  },
  {
    // The read models belong to the owner (migration 0007 took them back from the application role, which owned
    // them and so could drop or alter them); the application reads and writes their rows only.
    id: '0009-satisfaction-app-privileges',
    sql: SATISFACTION_TABLES.map(grantReadModel).join('\n'),
  },
];
