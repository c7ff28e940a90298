// How minyi's processes reach PostgreSQL: one step migrates, as the owner; everything else logs in as the
// application's own role — and a process given the application's role never migrates, it waits.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { appLoginRole, loadConfig, withLogin } from '@minyi/platform';
import { createTestDatabase, type TestDatabase } from '@minyi/testing';
import { ALL_MIGRATIONS } from '../src/composition.js';
import { migrateDatabase, openDatabase, type Database } from '../src/system.js';

const run = promisify(execFile);
const APP_PASSWORD = 'app-password-for-tests-0123456789';

let db: TestDatabase;
const opened: Database[] = [];

beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  for (const d of opened.splice(0)) await d.close();
  await db.drop();
});

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

const open = async (url: string, options: { migrationTimeoutMs?: number; log?: Logger } = {}) => {
  const d = await openDatabase(loadConfig({ DATABASE_URL: url, MINYI_DATA_DIR: '/nonexistent' }), options.log ?? recordingLogger(), options);
  opened.push(d);
  return d;
};

/** A Logger that records its warnings. */
function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, log: () => undefined, warn: (m: string) => warnings.push(m), error: () => undefined } as unknown as Logger & { warnings: string[] };
}

const lastMigration = [...ALL_MIGRATIONS].sort((a, b) => a.id.localeCompare(b.id)).at(-1)!.id;

describe('the one step that migrates', () => {
  it('when `main.js migrate` runs as the owner, then it applies every migration, sets the given password and exits 0', async () => {
    const { stdout, stderr } = await run(process.execPath, ['dist/apps/minyi/src/main.js', 'migrate'], {
      env: { ...process.env, DATABASE_URL: db.url, MINYI_DB_APP_PASSWORD: APP_PASSWORD, KAFKA_BROKERS: '', MINYI_LOG_LEVEL: 'info' },
      timeout: 60_000,
    });
    expect(`${stdout}${stderr}`).toContain(lastMigration);
    const applied = await query<{ id: string }>(db.url, 'SELECT id FROM schema_migrations');
    expect(applied.map((r) => r.id).sort()).toEqual(ALL_MIGRATIONS.map((m) => m.id).sort());
    const [me] = await query<{ u: string }>(withLogin(db.url, appLoginRole(db.name), APP_PASSWORD), 'SELECT current_user AS u');
    expect(me.u).toBe(appLoginRole(db.name));
  });

  it('when `main.js migrate` is given the application role, then it refuses and exits non-zero', async () => {
    const { appUrl } = await migrateDatabase(db.url);
    const refused = await run(process.execPath, ['dist/apps/minyi/src/main.js', 'migrate'], {
      env: { ...process.env, DATABASE_URL: appUrl, KAFKA_BROKERS: '' },
      timeout: 60_000,
    }).then(
      () => null,
      (err: { code: number; stderr: string; stdout: string }) => err,
    );
    expect(refused?.code).toBe(1);
    expect(`${refused?.stdout}${refused?.stderr}`).toMatch(/migrate needs DATABASE_URL of the schema's owner/);
  });

  it('when processes of one database start as the owner at once, then each logs in as the application with the one kept password', async () => {
    const [a, b] = await Promise.all([open(db.url), open(db.url)]);
    const c = await open(db.url); // later, as a restart would
    expect(new URL(a.url).username).toBe(appLoginRole(db.name));
    expect(b.url).toBe(a.url);
    expect(c.url).toBe(a.url);
    // The first pools still open new connections after the others started (no one reset the password).
    const conns = await Promise.all([a, b, c].flatMap((d) => [d.pools.app.connect(), d.pools.app.connect()]));
    for (const conn of conns) {
      expect((await conn.query('SELECT current_user AS u, session_user AS s')).rows[0]).toEqual({ u: appLoginRole(db.name), s: appLoginRole(db.name) });
      conn.release();
    }
  });

  it('when MINYI_DB_APP_PASSWORD changes, then the next migrating step gives the role the new password and the old one stops working', async () => {
    const before = await migrateDatabase(db.url);
    const after = await migrateDatabase(db.url, { appPassword: APP_PASSWORD });
    expect(after.appUrl).toBe(withLogin(db.url, appLoginRole(db.name), APP_PASSWORD));
    await expect(query(before.appUrl, 'SELECT 1')).rejects.toThrow(/password authentication failed/);
    expect(await query(after.appUrl, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    // Kept: a step without the variable keeps it.
    expect((await migrateDatabase(db.url)).appUrl).toBe(after.appUrl);
  });
});

describe('a process that connects as the application', () => {
  it('when a migration this build knows is missing, then it does not migrate, and says how to after its wait', async () => {
    const { appUrl } = await migrateDatabase(db.url);
    await query(db.url, 'DELETE FROM schema_migrations WHERE id = $1', [lastMigration]);
    await expect(open(appUrl, { migrationTimeoutMs: 300 })).rejects.toThrow(
      new RegExp(`the database is not migrated: 1 migration\\(s\\) not applied yet \\(${lastMigration}\\); run \`node dist/apps/minyi/src/main.js migrate\``),
    );
    expect(await query(db.url, 'SELECT id FROM schema_migrations WHERE id = $1', [lastMigration])).toEqual([]);
  });

  it('when the migrating step finishes while it waits, then it goes on as the application', async () => {
    const { appUrl } = await migrateDatabase(db.url);
    await query(db.url, 'DELETE FROM schema_migrations WHERE id = $1', [lastMigration]);
    const log = recordingLogger();
    const opening = open(appUrl, { migrationTimeoutMs: 60_000, log });
    const deadline = Date.now() + 30_000;
    while (!log.warnings.some((w) => w.startsWith('waiting for the migrations')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(log.warnings[0]).toMatch(/^waiting for the migrations: 1 migration\(s\) not applied yet/);
    await query(db.url, 'INSERT INTO schema_migrations (id) VALUES ($1)', [lastMigration]);
    const d = await opening;
    expect(d.url).toBe(appUrl);
    expect((await d.pools.app.query('SELECT current_user AS u')).rows[0].u).toBe(appLoginRole(db.name));
  });

  it('when DATABASE_URL is neither the owner nor the application, then it refuses to start, naming the user', async () => {
    await migrateDatabase(db.url);
    const stranger = `stranger_${db.name}`;
    await query(db.url, `CREATE ROLE ${stranger} LOGIN PASSWORD 'stranger-password-0123456789'`);
    try {
      await expect(open(withLogin(db.url, stranger, 'stranger-password-0123456789'))).rejects.toThrow(
        new RegExp(`DATABASE_URL logs in as "${stranger}", which neither owns minyi's schema`),
      );
    } finally {
      await query(db.url, `DROP ROLE ${stranger}`);
    }
  });
});

describe('the rebuild command', () => {
  const rebuild = (env: Record<string, string>) =>
    run(process.execPath, ['dist/apps/projector/src/rebuild.cli.js', 'satisfaction'], { env: { ...process.env, KAFKA_BROKERS: '', MINYI_OWNER_DATABASE_URL: '', ...env }, timeout: 120_000 });

  it('when it is given the application role, then it refuses, and with the owner URL it rebuilds', async () => {
    const { appUrl } = await migrateDatabase(db.url);
    const refused = await rebuild({ DATABASE_URL: appUrl }).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toMatch(/the rebuild creates and swaps tables, so it must log in as their owner/);
    // DATABASE_URL stays the application's; MINYI_OWNER_DATABASE_URL is the owner's.
    const { stdout } = await rebuild({ DATABASE_URL: appUrl, MINYI_OWNER_DATABASE_URL: db.url });
    expect(stdout).toMatch(/^rebuilt satisfaction: 0 events/m);
    // The swapped-in tables belong to the owner; the application may write their rows.
    const [grants] = await query<{ owner: string; insert: boolean; drop: boolean }>(
      withLogin(db.url, appLoginRole(db.name), new URL(appUrl).password),
      `SELECT pg_get_userbyid(relowner) AS owner, has_table_privilege('rm_satisfaction', 'INSERT') AS insert,
              pg_has_role(relowner, 'MEMBER') AS drop FROM pg_class WHERE oid = 'rm_satisfaction'::regclass`,
    );
    expect(grants).toEqual({ owner: new URL(db.url).username, insert: true, drop: false });
  });
});
