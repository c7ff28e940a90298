// The distributed mode as separate OS processes on a real broker, with crashes during traffic:
// kill -9 of the relay, of the projector, and the broker itself stopped and restarted.
// Terminals retry until answered, as they do; in the end every rating counts exactly once.
import { execFileSync } from 'node:child_process';
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

/** Terminals that post their share of the ratings, each retried until answered (202 or 200). */
function traffic(url: string, keys: string[], total: number) {
  const now = Date.now();
  const ratings = Array.from({ length: total }, (_, i) => ({ id: `c-${i}`, score: (i % 5) + 1, occurredAt: new Date(now - 60_000 - i * 100).toISOString() }));
  const answered = new Set<string>();
  const done = Promise.all(
    keys.map(async (key, t) => {
      const client = new ApiClient(url, key);
      for (let i = t; i < total; i += keys.length) {
        for (;;) {
          try {
            const r = await client.post('/v1/ratings', ratings[i]);
            if (r.status === 202 || r.status === 200) break;
          } catch {
            // not reachable: retry
          }
          await new Promise((r) => setTimeout(r, 50));
        }
        answered.add(ratings[i].id);
        await new Promise((r) => setTimeout(r, 5));
      }
    }),
  );
  const expected = [0, 0, 0, 0, 0];
  for (const r of ratings) expected[r.score - 1] += 1;
  return { answered, done, expected };
}

async function countedLevels(d: Deployment, analystToken: string, expectedN: number): Promise<number[]> {
  const reader = new ApiClient(d.analytics.url, analystToken);
  const year = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 4);
  let levels: Record<string, number> = {};
  await waitFor(
    'every rating at analytics',
    async () => {
      const r = await reader.get(`/v1/satisfaction?scope=unit:sz&granularity=year&from=${year}-01-01&to=${year}-12-31`);
      levels = r.body.series?.[0]?.levels ?? {};
      return r.body.series?.[0]?.n === expectedN;
    },
    60_000,
    200,
  ).catch(() => undefined);
  return [levels['1'], levels['2'], levels['3'], levels['4'], levels['5']];
}

it('when the relay and then the projector are killed with SIGKILL mid-traffic and restarted, then nothing is lost or doubled', async () => {
  const d = await deploy(testKafkaBrokers());
  try {
    const admin = new ApiClient(d.intake.url, ADMIN);
    const { terminalKeys } = await buildOrganisation(admin, SMALL_CITY);
    const analyst = (await admin.post('/v1/readers', { id: 'a', role: 'analyst' })).body.token;
    const t = traffic(d.intake.url, Object.values(terminalKeys), 800);

    await waitFor('traffic under way', async () => t.answered.size >= 150, 60_000, 10);
    await d.relay.kill9();
    await waitFor('more traffic', async () => t.answered.size >= 300, 60_000, 10);
    await d.relay.start();

    await waitFor('traffic through the new relay', async () => t.answered.size >= 450, 60_000, 10);
    await d.projector.kill9();
    await waitFor('more traffic', async () => t.answered.size >= 600, 60_000, 10);
    await d.projector.start();

    await t.done;
    expect(await countedLevels(d, analyst, 800)).toEqual(t.expected);
  } finally {
    await d.stop();
  }
}, 240_000);

it('when the broker is stopped and restarted during traffic, then every rating counts exactly once', async () => {
  // A broker of this test's own, so that stopping it disturbs no other suite.
  const kafkaPort = await freePort();
  const home = mkdtempSync(join(tmpdir(), 'minyi-kafka-own-'));
  const kafkaEnv = { ...process.env, KAFKA_PORT: String(kafkaPort), KAFKA_CONTROLLER_PORT: String(await freePort()), KAFKA_HOME_DIR: home };
  const kafka = (cmd: string) => execFileSync('bash', ['scripts/kafka/kafka.sh', cmd], { env: kafkaEnv, stdio: 'pipe', timeout: 180_000 });
  kafka('up');
  let d: Deployment | null = null;
  try {
    d = await deploy(`127.0.0.1:${kafkaPort}`);
    const admin = new ApiClient(d.intake.url, ADMIN);
    const { terminalKeys } = await buildOrganisation(admin, SMALL_CITY);
    const analyst = (await admin.post('/v1/readers', { id: 'a', role: 'analyst' })).body.token;
    const t = traffic(d.intake.url, Object.values(terminalKeys), 600);

    await waitFor('traffic under way', async () => t.answered.size >= 150, 60_000, 10);
    kafka('down');
    // Intake goes on while the broker is away: ratings are committed to the event store.
    await waitFor('intake without the broker', async () => t.answered.size >= 350, 60_000, 10);
    kafka('up');

    await t.done;
    expect(await countedLevels(d, analyst, 600)).toEqual(t.expected);
  } finally {
    await d?.stop();
    try {
      kafka('down');
    } catch {
      // already down
    }
    rmSync(home, { recursive: true, force: true });
  }
}, 300_000);
