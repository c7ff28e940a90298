// The event store's schema: append-only events, stream versions, and the application's restricted role.
import type { Migration } from './migrator.js';

/**
 * The group role (NOLOGIN) that holds the application's privileges: it may read and append events, never
 * change them. The application logs in as a role of its own that is a member of it (see APP_LOGINS).
 */
export const APP_ROLE = 'minyi_app';

/**
 * The columns of `events` the application may write; the rest come from their defaults, so that no writer can
 * place an event behind the log's readers (transaction_id, global_position) or date its recording.
 */
export const APPENDED_COLUMNS = ['event_id', 'stream_id', 'stream_version', 'type', 'version', 'data', 'metadata', 'unit_id', 'occurred_at'] as const;

/** The table, readable by the schema's owner only, that keeps the application login role's password. */
export const APP_LOGINS = 'app_logins';

export const eventStoreMigrations: Migration[] = [
  {
    id: '0001-event-store',
    sql: `
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          CREATE ROLE ${APP_ROLE} NOLOGIN;
        END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      WHEN insufficient_privilege THEN
        RAISE NOTICE 'cannot create role ${APP_ROLE}; append-only is then enforced by the trigger alone';
      END $$;
      DO $$ BEGIN
        EXECUTE format('GRANT ${APP_ROLE} TO %I', current_user);
      EXCEPTION WHEN OTHERS THEN NULL;
      END $$;

      CREATE TABLE streams (
        stream_id text PRIMARY KEY,
        version bigint NOT NULL CHECK (version > 0)
      );

      CREATE TABLE events (
        global_position bigserial PRIMARY KEY,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        event_id uuid NOT NULL UNIQUE,
        stream_id text NOT NULL,
        stream_version bigint NOT NULL,
        type text NOT NULL,
        version integer NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        unit_id text,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (stream_id, stream_version)
      );
      -- The global log is read in commit-safe order: (transaction_id, global_position).
      CREATE INDEX events_log_order ON events (transaction_id, global_position);

      CREATE FUNCTION events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$
      BEGIN
        RAISE EXCEPTION 'events are append-only: % refused (a correction is a new event)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $f$;
      CREATE TRIGGER events_no_update_delete BEFORE UPDATE OR DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION events_are_append_only();
      CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
        FOR EACH STATEMENT EXECUTE FUNCTION events_are_append_only();

      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          EXECUTE 'REVOKE ALL ON events FROM ${APP_ROLE}';
          EXECUTE 'GRANT SELECT, INSERT ON events TO ${APP_ROLE}';
          EXECUTE 'GRANT USAGE ON SEQUENCE events_global_position_seq TO ${APP_ROLE}';
          EXECUTE 'GRANT SELECT, INSERT, UPDATE ON streams TO ${APP_ROLE}';
          EXECUTE 'GRANT USAGE, CREATE ON SCHEMA public TO ${APP_ROLE}';
        END IF;
      END $$;
    `,
  },
  {
    // Stream versions come from the events themselves: the unique (stream_id, stream_version) key already
    // decides which of two writers at the same version wins, so a second table written on every append
    // (heap, key and WAL for each new rating) is gone. `streams` stays readable, as a view.
    id: '0004-stream-versions-from-events',
    sql: `
      DROP TABLE streams;
      CREATE VIEW streams AS SELECT stream_id, max(stream_version) AS version FROM events GROUP BY stream_id;
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          EXECUTE 'GRANT SELECT ON streams TO ${APP_ROLE}';
        END IF;
      END $$;
    `,
  },
  {
    // The log notifies its readers itself, once per statement that inserts into it, so that the commit
    // statement needs no notifying sub-query (which, with the CTEs around it, cost ~16 µs per event).
    id: '0005-events-notify-trigger',
    sql: `
      CREATE FUNCTION events_notify_readers() RETURNS trigger LANGUAGE plpgsql AS $f$
      BEGIN
        PERFORM pg_notify('minyi_events', '');
        RETURN NULL;
      END $f$;
      CREATE TRIGGER events_notify_readers AFTER INSERT ON events FOR EACH STATEMENT EXECUTE FUNCTION events_notify_readers();
    `,
  },
  {
    // A transaction that notifies takes one lock for the whole database from its NOTIFY to the end of its
    // commit, WAL flush included: every grouped commit waited for the one before it (measured: two commits
    // of 15 events in flight gave 13.9k events/s with the trigger, 17.0k without). The event store now
    // notifies after its commits, in a transaction of its own that writes nothing (EventStore.notifyReaders;
    // measured: 50 such notifications moved the WAL by 120 bytes in all, no commit record each).
    id: '0006-events-notify-after-commit',
    sql: `
      DROP TRIGGER events_notify_readers ON events;
      DROP FUNCTION events_notify_readers();
    `,
  },
  {
    // Privileges enforced by the database, for a role the application logs in as itself (no SET ROLE, which a
    // RESET ROLE undoes): SELECT on the log and INSERT of the columns the store writes only — transaction_id,
    // global_position and recorded_at keep their defaults, so an insert can never place an event behind a
    // gap-safe reader — and nothing else on it; no CREATE in the schema. Whatever the role came to own (the read
    // models, tables a rebuild made as it) now belongs to the owner; each context's migration grants what it needs.
    id: '0007-events-app-privileges',
    sql: `
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          CREATE ROLE ${APP_ROLE} NOLOGIN;
        END IF;
        IF EXISTS (
          SELECT 1 FROM pg_shdepend
          WHERE refclassid = 'pg_authid'::regclass AND refobjid = '${APP_ROLE}'::regrole AND deptype = 'o'
            AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        ) THEN
          EXECUTE format('REASSIGN OWNED BY ${APP_ROLE} TO %I', current_user);
        END IF;
      END $$;
      DO $$ BEGIN
        ALTER ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
      EXCEPTION WHEN insufficient_privilege THEN
        RAISE WARNING 'cannot check the attributes of role ${APP_ROLE} (it must stay NOLOGIN and without special rights)';
      END $$;
      REVOKE ALL ON events FROM ${APP_ROLE};
      GRANT SELECT ON events TO ${APP_ROLE};
      GRANT INSERT (${APPENDED_COLUMNS.join(', ')}) ON events TO ${APP_ROLE};
      REVOKE ALL ON SEQUENCE events_global_position_seq FROM ${APP_ROLE};
      GRANT USAGE ON SEQUENCE events_global_position_seq TO ${APP_ROLE};
      REVOKE ALL ON streams FROM ${APP_ROLE};
      GRANT SELECT ON streams TO ${APP_ROLE};
      REVOKE ALL ON SCHEMA public FROM ${APP_ROLE};
      GRANT USAGE ON SCHEMA public TO ${APP_ROLE};
      -- Before PostgreSQL 15 every role may create in public; take that away where the owner keeps it (as the
      -- schema's owner or a superuser).
      DO $$ BEGIN
        IF has_schema_privilege('${APP_ROLE}', 'public', 'CREATE')
           AND (pg_has_role((SELECT nspowner FROM pg_namespace WHERE nspname = 'public'), 'MEMBER')
                OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)) THEN
          REVOKE CREATE ON SCHEMA public FROM PUBLIC;
        END IF;
      END $$;
      -- A process connecting as the application waits until the schema is migrated: it may read which migrations are.
      REVOKE ALL ON schema_migrations FROM ${APP_ROLE};
      GRANT SELECT ON schema_migrations TO ${APP_ROLE};

      CREATE TABLE ${APP_LOGINS} (
        role name PRIMARY KEY,
        password text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      REVOKE ALL ON ${APP_LOGINS} FROM PUBLIC;
    `,
  },
];
