// `npm start` killed with SIGKILL in the middle of traffic — first with its embedded PostgreSQL,
// then alone (leaving PostgreSQL orphaned) — restarted, with terminals retrying: every rating counts once.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, buildOrganisation, freePort, MinyiProcess, SMALL_CITY, waitFor } from '@minyi/testing';

const ADMIN = 'crash-test-admin-token-0123456789';
let dataDir: string;
let minyi: MinyiProcess | null = null;

afterAll(async () => {
  await minyi?.stop();
  if (!dataDir) return;
  // Stop any PostgreSQL a kill left behind.
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
  dataDir = mkdtempSync(join(tmpdir(), 'minyi-crash-'));
  // The embedded default, as `npm start` runs it: no DATABASE_URL, no KAFKA_BROKERS (MinyiProcess clears both).
  minyi = await MinyiProcess.start([], { MINYI_DATA_DIR: dataDir, MINYI_PG_PORT: String(await freePort()), MINYI_ADMIN_TOKEN: ADMIN });
  const url = minyi.url;
  const admin = new ApiClient(url, ADMIN);
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
    const client = new ApiClient(url, keys[t]);
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
  await minyi.kill9(true);
  await minyi.start();

  // Kill only minyi, leaving its PostgreSQL orphaned, restart.
  await waitFor('more ratings accepted', async () => outcomes.size >= 550, 60_000, 10);
  await minyi.kill9(false);
  await minyi.start();

  await traffic;
  expect(outcomes.size).toBe(total);

  const analyst = new ApiClient(url, reader.body.token);
  const today = new Date(now).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 4);
  let levels: Record<string, number> = {};
  await waitFor('the projection to catch up', async () => {
    const r = await analyst.get(`/v1/satisfaction?scope=unit:sz&granularity=year&from=${today}-01-01&to=${today}-12-31`);
    levels = r.body.series?.[0]?.levels ?? {};
    return r.body.series?.[0]?.n === total;
  }, 30_000).catch(() => undefined);
  if (levels['1'] !== expected[0]) console.log(minyi.logs.slice(-6000));
  expect([levels['1'], levels['2'], levels['3'], levels['4'], levels['5']]).toEqual(expected);
}, 180_000);
