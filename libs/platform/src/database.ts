// PostgreSQL connections. The application logs in as a restricted role of its own — a LOGIN role, member of
// the NOLOGIN group role APP_ROLE that holds the privileges — never as the owner with a SET ROLE (which RESET
// ROLE undoes). The owner's connection is opened only by the step that migrates, and by the rebuild.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { Client, Pool, types, type PoolClient } from 'pg';
import { APP_LOGINS, APP_ROLE, pendingMigrations, type Migration } from '@minyi/event-store';

// int8 counts and sums come back as strings by default; minyi's never exceed 2^53.
types.setTypeParser(types.builtins.INT8, (v) => Number(v));

export interface Pools {
  /** The application's connection string (LISTEN needs a connection of its own). */
  url: string;
  /** The application role: may append and read events, never update or delete them; no DDL. */
  app: Pool;
  end(): Promise<void>;
}

/** The application's pool, on a URL that already logs in as the application's role. */
export async function createPools(url: string, options: { max?: number } = {}): Promise<Pools> {
  const app = new Pool({ connectionString: url, max: options.max ?? 20 });
  app.on('error', () => undefined);
  return {
    url,
    app,
    end: async () => {
      await app.end();
    },
  };
}

/**
 * The application's login role for a database. Roles belong to the whole server, and several databases may
 * share one (the tests do): a role per database keeps one database's migrating step from changing the
 * password another database's processes log in with.
 */
export function appLoginRole(database: string): string {
  const safe = database.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const exact = safe === database;
  const name = `${APP_ROLE}_${safe}`;
  if (exact && name.length <= 63) return name;
  // Names that had to change, or are too long for PostgreSQL (63 bytes), get a hash of the real name.
  return `${name.slice(0, 50)}_${createHash('sha256').update(database).digest('hex').slice(0, 12)}`;
}

/** The same server, socket, port, database and options, logging in as `user`. */
export function withLogin(url: string, user: string, password: string): string {
  const u = new URL(url);
  if (!u.hostname) u.hostname = 'localhost'; // a `?host=` parameter (a Unix socket) still decides where to connect
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/**
 * A SCRAM-SHA-256 verifier of `password` (RFC 5802/7677, PostgreSQL's stored format): the password itself never
 * appears in a statement, and so never in the server's log (log_statement = ddl logs ALTER ROLE).
 */
export function scramVerifier(password: string, iterations = 4096): string {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** Passwords minyi sets or accepts: printable ASCII that needs no escaping in a URL (and no SASLprep). */
export const APP_PASSWORD_PATTERN = /^[A-Za-z0-9._~-]{16,200}$/;

export interface AppLogin {
  user: string;
  password: string;
}

/**
 * Makes sure the database's login role exists, logs in, holds APP_ROLE's privileges and nothing more, and has
 * `password` (MINYI_DB_APP_PASSWORD) or else the password kept in APP_LOGINS, generated the first time. Runs
 * as the schema's owner, under the migrations' lock.
 */
export async function ensureAppLogin(client: PoolClient | Client, password: string | null = null): Promise<AppLogin> {
  if (password !== null && !APP_PASSWORD_PATTERN.test(password)) throw new Error('the application role password must be 16–200 characters of A-Za-z0-9._~-');
  const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
  const user = appLoginRole(rows[0].db);
  const stored = (await client.query<{ password: string }>(`SELECT password FROM ${APP_LOGINS} WHERE role = $1`, [user])).rows[0]?.password ?? null;
  const exists = ((await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [user])).rowCount ?? 0) > 0;
  const wanted = password ?? stored ?? randomBytes(32).toString('base64url');
  const role = client.escapeIdentifier(user);
  // INHERIT: the role has its group's privileges without SET ROLE; nothing else beyond logging in.
  const attributes = 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT';
  const setPassword = !exists || wanted !== stored;
  const secret = setPassword ? ` PASSWORD ${client.escapeLiteral(scramVerifier(wanted))}` : '';
  try {
    await client.query(exists ? `ALTER ROLE ${role} ${attributes}${secret}` : `CREATE ROLE ${role} ${attributes}${secret}`);
    await client.query(`GRANT ${APP_ROLE} TO ${role}`);
  } catch (err) {
    if ((err as { code?: string }).code !== '42501') throw err;
    // A role an administrator made, with the password given to minyi: use it as it is.
    if (!(exists && password !== null)) {
      throw new Error(
        `cannot create or alter the application's login role ${user}: the user of DATABASE_URL needs CREATEROLE (or be a superuser); ` +
          `or create it yourself (CREATE ROLE ${user} LOGIN PASSWORD '…' IN ROLE ${APP_ROLE}) and set MINYI_DB_APP_PASSWORD to its password`,
      );
    }
  }
  if (wanted !== stored) {
    await client.query(
      `INSERT INTO ${APP_LOGINS} (role, password) VALUES ($1, $2) ON CONFLICT (role) DO UPDATE SET password = EXCLUDED.password, updated_at = now()`,
      [user, wanted],
    );
  }
  return { user, password: wanted };
}

export interface ConnectionRole {
  user: string;
  /** A superuser, or the owner of minyi's schema (or, before its first migration, a user that may create it): may migrate. */
  owner: boolean;
  /** Has the application role's privileges (a member of APP_ROLE). */
  app: boolean;
}

/** Who `url` logs in as: the owner (who migrates), the application, or neither. */
export async function connectionRole(url: string): Promise<ConnectionRole> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<ConnectionRole>(
      `SELECT current_user AS "user",
              r.rolsuper OR coalesce(pg_has_role((SELECT relowner FROM pg_class WHERE oid = to_regclass('public.events')), 'MEMBER'),
                                     has_schema_privilege('public', 'CREATE')) AS owner,
              coalesce((SELECT pg_has_role(oid, 'USAGE') FROM pg_roles WHERE rolname = $1), false) AS app
       FROM pg_roles r WHERE r.rolname = current_user`,
      [APP_ROLE],
    );
    return rows[0];
  } finally {
    await c.end();
  }
}

/**
 * For a process that connects as the application (it does not migrate): waits until the database has every
 * migration this build knows, then returns; after `timeoutMs`, fails saying how to migrate.
 */
export async function waitForMigrations(
  url: string,
  migrations: Migration[],
  options: { timeoutMs?: number; log?: (m: string) => void } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let nextLog = Date.now();
  const pool = new Pool({ connectionString: url, max: 1 });
  pool.on('error', () => undefined);
  try {
    for (;;) {
      // Before migration 0007 the application role may not read schema_migrations: that, too, is "not yet".
      const pending = await pendingMigrations(pool, migrations).catch((err: { code?: string }) => {
        if (err.code === '42501') return migrations.map((m) => m.id);
        throw err;
      });
      if (pending.length === 0) return;
      const missing = `${pending.length} migration(s) not applied yet (${pending.slice(0, 3).join(', ')}${pending.length > 3 ? ', …' : ''})`;
      const how = 'run `node dist/apps/minyi/src/main.js migrate` with DATABASE_URL of the schema\'s owner (in docker compose: the migrate service)';
      if (Date.now() >= deadline) throw new Error(`the database is not migrated: ${missing}; ${how}, then start this process again`);
      if (Date.now() >= nextLog) {
        options.log?.(`waiting for the migrations: ${missing}; this process connects as the application and does not migrate — ${how}`);
        nextLog = Date.now() + 10_000;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await pool.end();
  }
}
