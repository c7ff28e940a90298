// The personal-data context's schema: the subjects' keys, outside the log (erasure deletes them), the secret of
// the blind index when MINYI_PERSONAL_DATA_KEY is not set, and an index that finds the cases sealed under a key.
import { APP_ROLE, type Migration } from '@minyi/event-store';

/** One row per subject (a phone number), or per contact without one; deleting the row erases what it sealed. */
export const KEYS_TABLE = 'pd_keys';
/** One row: the fingerprint of the secret in use and, when minyi generated it, the secret itself. */
export const SECRET_TABLE = 'pd_secret';

export const personalDataMigrations: Migration[] = [
  {
    id: 'personal-data-0001-keys',
    sql: `
      CREATE TABLE ${KEYS_TABLE} (
        key_id uuid PRIMARY KEY,
        -- The blind index of the phone number (HMAC-SHA256 hex), or NULL for a contact without one.
        subject text UNIQUE CHECK (subject ~ '^[0-9a-f]{64}$'),
        -- The subject's AES-256-GCM key, itself sealed under the key derived from the secret (nonce | tag | key).
        key bytea NOT NULL CHECK (length(key) = 60),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE ${SECRET_TABLE} (
        id smallint PRIMARY KEY CHECK (id = 1),
        -- NULL when the secret is MINYI_PERSONAL_DATA_KEY (kept outside the database).
        secret bytea CHECK (secret IS NULL OR length(secret) = 32),
        fingerprint text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{32}$'),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      REVOKE ALL ON ${KEYS_TABLE}, ${SECRET_TABLE} FROM PUBLIC;
      REVOKE ALL ON ${KEYS_TABLE}, ${SECRET_TABLE} FROM ${APP_ROLE};
      -- Seal (find or add a subject's key), open (read a key), erase (delete them): never UPDATE, so that no key
      -- is ever replaced under the contacts sealed with it.
      GRANT SELECT, INSERT, DELETE ON ${KEYS_TABLE} TO ${APP_ROLE};
      -- The first process records the secret; one that finds another secret and no key replaces it.
      GRANT SELECT, INSERT, DELETE ON ${SECRET_TABLE} TO ${APP_ROLE};
      -- After an erasure the application vacuums the key table, so that the deleted keys leave its pages at once
      -- (PostgreSQL 17 and later; before, autovacuum removes them in its own time).
      DO $$ BEGIN
        IF current_setting('server_version_num')::int >= 170000 THEN
          EXECUTE 'GRANT MAINTAIN ON ${KEYS_TABLE} TO ${APP_ROLE}';
        END IF;
      END $$;

      -- Erasure counts the cases whose filing (the first event of its stream) holds a contact under an erased key,
      -- through this index instead of a scan of the log. Only filings with a contact are in it.
      CREATE INDEX events_contact_key ON events (((data -> 'fields' -> 'contact' ->> 'keyId')))
        WHERE stream_version = 1 AND (data -> 'fields' -> 'contact' ->> 'keyId') IS NOT NULL;
    `,
  },
];
