// Tables of the transport: each consumer's checkpoint, and the messages it could not process.
import { APP_ROLE, type Migration } from '@minyi/event-store';

export const messagingMigrations: Migration[] = [
  {
    id: '0002-messaging',
    sql: `
      CREATE TABLE consumer_checkpoints (
        consumer text PRIMARY KEY,
        transaction_id xid8 NOT NULL,
        global_position bigint NOT NULL,
        -- Kafka consumers keep topic-partition offsets here instead: { "topic/partition": nextOffset }.
        offsets jsonb NOT NULL DEFAULT '{}'::jsonb,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE dead_letters (
        id bigserial PRIMARY KEY,
        consumer text NOT NULL,
        event_id uuid,
        global_position bigint,
        type text,
        error text NOT NULL,
        payload jsonb,
        recorded_at timestamptz NOT NULL DEFAULT now()
      );
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON consumer_checkpoints TO ${APP_ROLE}';
          EXECUTE 'GRANT SELECT, INSERT ON dead_letters TO ${APP_ROLE}';
          EXECUTE 'GRANT USAGE ON SEQUENCE dead_letters_id_seq TO ${APP_ROLE}';
        END IF;
      END $$;
    `,
  },
  {
    // The application keeps checkpoints (insert, read, lock and move them) and adds dead letters; it never deletes
    // either (a rebuild's checkpoint hand-over runs as the owner).
    id: '0008-messaging-app-privileges',
    sql: `
      REVOKE ALL ON consumer_checkpoints, dead_letters FROM ${APP_ROLE};
      GRANT SELECT, INSERT, UPDATE ON consumer_checkpoints TO ${APP_ROLE};
      GRANT SELECT, INSERT ON dead_letters TO ${APP_ROLE};
      REVOKE ALL ON SEQUENCE dead_letters_id_seq FROM ${APP_ROLE};
      GRANT USAGE ON SEQUENCE dead_letters_id_seq TO ${APP_ROLE};
    `,
  },
];
