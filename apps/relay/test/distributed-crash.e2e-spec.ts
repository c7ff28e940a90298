// The distributed mode as separate OS processes on a real broker, with crashes during traffic:
// kill -9 of the relay and of the projector (on the run's broker), and a broker stopped and restarted (a private
// one: the run's broker is shared). Terminals retry until answered, as they do; every rating counts exactly once.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiClient,
  buildOrganisation,
  createTestDatabase,
  freePort,
  MinyiProcess,
  SMALL_CITY,
  testKafkaBrokers,
  testTopicPrefix,
  waitFor,
  type TestDatabase,
} from '@minyi/testing';
import { partsOf } from '@minyi/minyi';

const ADMIN = 'distributed-crash-admin-0123456789';

interface Deployment {
  db: TestDatabase;
  intake: MinyiProcess;
  relay: MinyiProcess;
  projector: MinyiProcess;
  analytics: MinyiProcess;
  stop(): Promise<void>;
}

async function deploy(brokers: string): Promise<Deployment> {
  const db = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'minyi-dist-'));
  const env = { DATABASE_URL: db.url, KAFKA_BROKERS: brokers, KAFKA_TOPIC_PREFIX: testTopicPrefix(), MINYI_ADMIN_TOKEN: ADMIN, MINYI_DATA_DIR: dataDir, KAFKA_PARTITIONS: '3' };
  const intake = await MinyiProcess.start(partsOf('intake'), env);
  const [relay, projector, analytics] = await Promise.all([MinyiProcess.start(partsOf('relay'), env), MinyiProcess.start(partsOf('projector'), env), MinyiProcess.start(partsOf('analytics'), env)]);
  return {
    db,
    intake,
    relay,
    projector,
    analytics,
    stop: async () => {
      await Promise.all([intake, relay, projector, analytics].map((p) => p.stop()));
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Terminals that post their share of the ratings, each retried until answered (202 or 200), as terminals do: on no
 * answer, a 5xx, 408 or 429. Any other 4xx is an answer no retry changes: `done` rejects with it at once, and so does
 * every `meanwhile(wait)`.
 */
function traffic(url: string, keys: string[], total: number) {
  const now = Date.now();
  const ratings = Array.from({ length: total }, (_, i) => ({ id: `c-${i}`, score: (i % 5) + 1, occurredAt: new Date(now - 60_000 - i * 100).toISOString() }));
  const answered = new Set<string>();
  let over = false;
  const done = Promise.all(
    keys.map(async (key, t) => {
      const client = new ApiClient(url, key);
      for (let i = t; i < total; i += keys.length) {
        for (;;) {
          if (over) return;
          let r: { status: number; body: unknown } | null = null;
          try {
            r = await client.post('/v1/ratings', ratings[i]);
          } catch {
            // not reachable: retry
          }
          if (r && (r.status === 202 || r.status === 200)) break;
          if (r && r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429) {
            over = true;
            throw new Error(`rating ${ratings[i].id} answered ${r.status}: ${JSON.stringify(r.body)}`);
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        answered.add(ratings[i].id);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }),
  );
  const refused = done.then(() => new Promise<never>(() => undefined));
  refused.catch(() => undefined);
  const expected = [0, 0, 0, 0, 0];
  for (const r of ratings) expected[r.score - 1] += 1;
  return {
    ratings,
    answered,
    done,
    expected,
    meanwhile: <T>(p: Promise<T>) => Promise.race([p, refused]),
    /** Stops the terminals (when the test ends early). */
    stop: () => (over = true),
  };
}

/** The levels counted at analytics over every year the ratings fall in (from their own occurredAt), once all are in. */
async function countedLevels(d: Deployment, analystToken: string, ratings: { occurredAt: string }[]): Promise<number[]> {
  const reader = new ApiClient(d.analytics.url, analystToken);
  const years = ratings.map((r) => new Date(r.occurredAt).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 4)).sort();
  let levels = [0, 0, 0, 0, 0];
  let n = 0;
  await waitFor(
    'every rating at analytics',
    async () => {
      const r = await reader.get(`/v1/satisfaction?scope=unit:sz&granularity=year&from=${years[0]}-01-01&to=${years.at(-1)}-12-31`);
      const series: { n: number; levels: Record<string, number> }[] = r.body.series ?? [];
      levels = [1, 2, 3, 4, 5].map((score) => series.reduce((sum, y) => sum + y.levels[score], 0));
      n = series.reduce((sum, y) => sum + y.n, 0);
      return n === ratings.length;
    },
    60_000,
    200,
  ).catch((err) => {
    const logs = (['relay', 'projector'] as const).map((p) => `--- ${p}\n${d[p].logs.slice(-3000)}`).join('\n');
    throw new Error(`${(err as Error).message}: ${n} of ${ratings.length} counted, levels ${JSON.stringify(levels)}\n${logs}`);
  });
  return levels;
}

/**
 * A broker of this test's own, on ports of its own. The broker of the run (the jest global setup's: KAFKA_BROKERS,
 * or the local one) is shared with the other suites and is never stopped by a test, so the one test that stops a
 * broker starts this one — which needs what `npm run kafka:up` needs: a JDK 17+ and Maven (or their cache).
 */
async function privateBroker() {
  const port = await freePort();
  const home = mkdtempSync(join(tmpdir(), 'minyi-kafka-own-'));
  const env = { ...process.env, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(await freePort()), KAFKA_HOME_DIR: home };
  // Asynchronous, so that the terminals go on posting while the broker stops and starts.
  const kafka = (command: 'up' | 'down') =>
    new Promise<void>((resolve, reject) => {
      const child = spawn('bash', ['scripts/kafka/kafka.sh', command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (b) => (output += b));
      child.stderr.on('data', (b) => (output += b));
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0
          ? resolve()
          : reject(
              new Error(
                `kafka.sh ${command} (the private broker this test stops and restarts; the run's broker ${testKafkaBrokers()} is shared and never stopped) ` +
                  `exited with ${code}: it needs a JDK 17+ and Maven, as npm run kafka:up does.\n${output.slice(-3000)}`,
              ),
            ),
      );
    });
  return {
    brokers: `127.0.0.1:${port}`,
    up: () => kafka('up'),
    down: () => kafka('down'),
    remove: async () => {
      await kafka('down').catch(() => undefined);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

it('when the relay and then the projector are killed with SIGKILL mid-traffic and restarted, then nothing is lost or doubled', async () => {
  // On the run's broker (KAFKA_BROKERS, or the local one): only minyi's processes are killed here.
  const d = await deploy(testKafkaBrokers());
  let t: ReturnType<typeof traffic> | null = null;
  try {
    const admin = new ApiClient(d.intake.url, ADMIN);
    const { terminalKeys } = await buildOrganisation(admin, SMALL_CITY);
    const analyst = (await admin.post('/v1/readers', { id: 'a', role: 'analyst' })).body.token;
    t = traffic(d.intake.url, Object.values(terminalKeys), 800);
    const { answered, meanwhile } = t;

    await meanwhile(waitFor('traffic under way', async () => answered.size >= 150, 60_000, 10));
    await d.relay.kill9();
    await meanwhile(waitFor('more traffic', async () => answered.size >= 300, 60_000, 10));
    await meanwhile(d.relay.start());

    await meanwhile(waitFor('traffic through the new relay', async () => answered.size >= 450, 60_000, 10));
    await d.projector.kill9();
    await meanwhile(waitFor('more traffic', async () => answered.size >= 600, 60_000, 10));
    await meanwhile(d.projector.start());

    await t.done;
    expect(await countedLevels(d, analyst, t.ratings)).toEqual(t.expected);
  } finally {
    t?.stop();
    await d.stop();
  }
}, 240_000);

it('when the broker (a private one: the test stops it) is stopped and restarted during traffic, then every rating counts exactly once', async () => {
  const broker = await privateBroker();
  let d: Deployment | null = null;
  let t: ReturnType<typeof traffic> | null = null;
  try {
    await broker.up();
    d = await deploy(broker.brokers);
    const admin = new ApiClient(d.intake.url, ADMIN);
    const { terminalKeys } = await buildOrganisation(admin, SMALL_CITY);
    const analyst = (await admin.post('/v1/readers', { id: 'a', role: 'analyst' })).body.token;
    t = traffic(d.intake.url, Object.values(terminalKeys), 600);
    const { answered, meanwhile } = t;

    await meanwhile(waitFor('traffic under way', async () => answered.size >= 150, 60_000, 10));
    await meanwhile(broker.down());
    // Intake goes on while the broker is away: ratings are committed to the event store.
    await meanwhile(waitFor('intake without the broker', async () => answered.size >= 350, 60_000, 10));
    await meanwhile(broker.up());

    await t.done;
    expect(await countedLevels(d, analyst, t.ratings)).toEqual(t.expected);
  } finally {
    t?.stop();
    await d?.stop();
    await broker.remove();
  }
}, 300_000);
