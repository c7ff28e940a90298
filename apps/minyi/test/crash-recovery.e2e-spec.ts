// `npm start` killed with SIGKILL in the middle of traffic — first with its embedded PostgreSQL,
// then alone (leaving PostgreSQL orphaned) — restarted, with terminals retrying: every rating counts once.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, buildOrganisation, freePort, SMALL_CITY, waitFor } from '@minyi/testing';

const ADMIN = 'crash-test-admin-token-0123456789';
let dataDir: string;
let port: number;
let pgPort: number;
let proc: ChildProcess | null = null;
let logs = '';

function start(): ChildProcess {
  const p = spawn(process.execPath, ['dist/apps/minyi/src/main.js'], {
    cwd: process.cwd(),
    // The embedded default: no DATABASE_URL, no KAFKA_BROKERS (CI exports one for the Kafka suites).
    env: { ...process.env, DATABASE_URL: '', KAFKA_BROKERS: '', PORT: String(port), HOST: '127.0.0.1', MINYI_DATA_DIR: dataDir, MINYI_PG_PORT: String(pgPort), MINYI_ADMIN_TOKEN: ADMIN },
    detached: true, // its own process group: SIGKILL to the group takes PostgreSQL down with it
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  p.stdout!.on('data', (d) => (logs += d));
  p.stderr!.on('data', (d) => (logs += d));
  return p;
}

async function healthy(): Promise<void> {
  await waitFor('minyi to be healthy', async () => (await fetch(`http://127.0.0.1:${port}/health`)).status === 200, 60_000);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'minyi-crash-'));
  port = await freePort();
  pgPort = await freePort();
});

afterAll(async () => {
  if (proc?.pid) {
    try {
      process.kill(-proc.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 1500));
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  // Stop any PostgreSQL the second kill left behind.
  const pidFile = join(dataDir, 'pg', 'postmaster.pid');
  if (existsSync(pidFile)) {
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGQUIT');
    } catch {
      // not running
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

it('when minyi is killed twice mid-traffic and restarted, then terminals retrying get every rating counted exactly once', async () => {
  proc = start();
  await healthy();
  const admin = new ApiClient(`http://127.0.0.1:${port}`, ADMIN);
  const { terminalKeys } = await buildOrganisation(admin, SMALL_CITY);
  const reader = await admin.post('/v1/readers', { id: 'crash-analyst', role: 'analyst' });

  const now = Date.now();
  const total = 900;
  const ratings = Array.from({ length: total }, (_, i) => ({
    id: `crash-${i}`,
    score: (i % 5) + 1,
    occurredAt: new Date(now - 60_000 - i * 1000).toISOString(),
  }));
  const keys = Object.values(terminalKeys);
  const expected = [0, 0, 0, 0, 0];
  for (const r of ratings) expected[r.score - 1] += 1;

  // Each terminal posts its ratings one after another and retries each until it is answered.
  const outcomes = new Map<string, number[]>();
  const terminal = async (t: number) => {
    const client = new ApiClient(`http://127.0.0.1:${port}`, keys[t]);
    for (let i = t; i < total; i += keys.length) {
      for (;;) {
        try {
          const r = await client.post('/v1/ratings', ratings[i]);
          if (r.status === 202 || r.status === 200) {
            outcomes.set(ratings[i].id, [...(outcomes.get(ratings[i].id) ?? []), r.status]);
            break;
          }
        } catch {
          // connection refused or reset while minyi is down: retry, as a terminal does
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  const traffic = Promise.all(keys.map((_, t) => terminal(t)));

  // Kill everything (minyi and its PostgreSQL) mid-traffic, restart.
  await waitFor('some ratings accepted', async () => outcomes.size >= 200, 60_000, 10);
  process.kill(-proc.pid!, 'SIGKILL');
  await new Promise((r) => setTimeout(r, 300));
  proc = start();
  await healthy();

  // Kill only minyi, leaving its PostgreSQL orphaned, restart.
  await waitFor('more ratings accepted', async () => outcomes.size >= 550, 60_000, 10);
  process.kill(proc.pid!, 'SIGKILL');
  await new Promise((r) => setTimeout(r, 300));
  proc = start();
  await healthy();

  await traffic;
  expect(outcomes.size).toBe(total);

  const analyst = new ApiClient(`http://127.0.0.1:${port}`, reader.body.token);
  const today = new Date(now).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 4);
  let levels: Record<string, number> = {};
  await waitFor('the projection to catch up', async () => {
    const r = await analyst.get(`/v1/satisfaction?scope=unit:sz&granularity=year&from=${today}-01-01&to=${today}-12-31`);
    levels = r.body.series?.[0]?.levels ?? {};
    return r.body.series?.[0]?.n === total;
  }, 30_000).catch(() => undefined);
  if (levels['1'] !== expected[0]) console.log(logs.slice(-6000));
  expect([levels['1'], levels['2'], levels['3'], levels['4'], levels['5']]).toEqual(expected);
}, 180_000);
