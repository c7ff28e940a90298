// `npm start` killed with SIGKILL in the middle of traffic — first with its embedded PostgreSQL,
// then alone (leaving PostgreSQL orphaned) — restarted, with terminals retrying: every rating counts once.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, buildOrganisation, freePort, MinyiProcess, SMALL_CITY, waitFor } from '@minyi/testing';

const ADMIN = 'crash-test-admin-token-0123456789';

/** Whether the process runs (a zombie, killed but not yet reaped, does not). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc: signal 0 reached it
  }
}
let dataDir: string;
let minyi: MinyiProcess | null = null;
/** Set when the test ends, however: the simulated terminals stop posting. */
let over = false;

afterAll(async () => {
  over = true;
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

  // Each terminal posts its ratings one after another and retries each until it is answered, as a terminal does:
  // on no answer, a 5xx, 408 or 429. Any other 4xx is an answer no retry can change: the test fails at once with it.
  const outcomes = new Map<string, number[]>();
  const terminal = async (t: number) => {
    const client = new ApiClient(url, keys[t]);
    for (let i = t; i < total; i += keys.length) {
      for (;;) {
        if (over) return;
        let r: { status: number; body: unknown } | null = null;
        try {
          r = await client.post('/v1/ratings', ratings[i]);
        } catch {
          // connection refused or reset while minyi is down: retry
        }
        if (r && (r.status === 202 || r.status === 200)) {
          outcomes.set(ratings[i].id, [...(outcomes.get(ratings[i].id) ?? []), r.status]);
          break;
        }
        if (r && r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429) {
          over = true; // the other terminals stop too
          throw new Error(`rating ${ratings[i].id} answered ${r.status}: ${JSON.stringify(r.body)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  const traffic = Promise.all(keys.map((_, t) => terminal(t)));
  // Every wait below also ends, with its reason, as soon as a terminal is refused.
  const refused = traffic.then(() => new Promise<never>(() => undefined));
  refused.catch(() => undefined);
  const meanwhile = <T>(p: Promise<T>) => Promise.race([p, refused]);

  const pg = join(dataDir, 'pg', 'postmaster.pid');
  const postgresPid = () => Number(readFileSync(pg, 'utf8').split('\n')[0]);
  // Kill everything (minyi and its PostgreSQL) mid-traffic, restart.
  await meanwhile(waitFor('some ratings accepted', async () => outcomes.size >= 200, 60_000, 10));
  const firstPostgres = postgresPid();
  await minyi.kill9(true);
  await meanwhile(waitFor(`PostgreSQL (pid ${firstPostgres}) gone with minyi`, async () => !alive(firstPostgres), 10_000, 20));
  await meanwhile(minyi.start());

  // Kill only minyi, leaving its PostgreSQL orphaned, restart.
  await meanwhile(waitFor('more ratings accepted', async () => outcomes.size >= 550, 60_000, 10));
  const orphan = postgresPid();
  await minyi.kill9(false);
  expect(alive(orphan)).toBe(true);
  await meanwhile(minyi.start());

  await traffic;
  expect(outcomes.size).toBe(total);

  const analyst = new ApiClient(url, reader.body.token);
  // Every year the ratings fall in (in the bureau's time zone), summed: the first minutes of 1 January span two.
  const years = ratings.map((r) => new Date(r.occurredAt).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 4)).sort();
  let levels = [0, 0, 0, 0, 0];
  await waitFor('the projection to catch up', async () => {
    const r = await analyst.get(`/v1/satisfaction?scope=unit:sz&granularity=year&from=${years[0]}-01-01&to=${years.at(-1)}-12-31`);
    const series: { n: number; levels: Record<string, number> }[] = r.body.series ?? [];
    levels = [1, 2, 3, 4, 5].map((score) => series.reduce((n, y) => n + y.levels[score], 0));
    return series.reduce((n, y) => n + y.n, 0) === total;
  }, 30_000).catch((err) => {
    throw new Error(`${(err as Error).message}: counted ${JSON.stringify(levels)}, expected ${JSON.stringify(expected)}\n${minyi?.logs.slice(-6000)}`);
  });
  expect(levels).toEqual(expected);
}, 180_000);
