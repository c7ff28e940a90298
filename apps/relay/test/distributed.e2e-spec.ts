// The distributed mode against a real Kafka broker: intake, relay, projector and analytics as separate
// systems on one database; what reaches analytics, in what order, how often, and that it equals embedded.
import { Kafka, logLevel } from 'kafkajs';
import {
  buildOrganisation,
  SMALL_CITY,
  startDistributedTestSystem,
  startTestSystem,
  waitFor,
  type DistributedTestSystem,
  type TestSystem,
} from '@minyi/testing';

let d: DistributedTestSystem;
let keys: Record<string, string>;
let kafka: Kafka;
let analyst: string;

const now = Date.now();
/** Every occurredAt the ratings of these tests were given: the years they fall in are the ones to read. */
const dated: string[] = [];
const at = (minutesAgo: number) => {
  const iso = new Date(now - minutesAgo * 60_000).toISOString();
  dated.push(iso);
  return iso;
};
const yearOf = (iso: string) => new Date(iso).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 4);
const firstRatingAt = at(5);

/** A scope's count and levels over every year the ratings fall in (in the first minutes of 1 January, two), summed. */
async function yearly(client: ReturnType<DistributedTestSystem['analyticsClient']>, scope: string): Promise<{ n: number; levels: Record<string, number> }> {
  const years = dated.map(yearOf).sort();
  const r = await client.get(`/v1/satisfaction?scope=${scope}&granularity=year&from=${years[0]}-01-01&to=${years.at(-1)}-12-31`);
  const series: { n: number; levels: Record<string, number> }[] = r.body.series ?? [];
  const levels = Object.fromEntries(['1', '2', '3', '4', '5'].map((l) => [l, series.reduce((n, y) => n + y.levels[l], 0)]));
  return { n: series.reduce((n, y) => n + y.n, 0), levels };
}

async function readTopic(topic: string, until: (messages: { key: string; value: any; offset: string; partition: number }[]) => boolean) {
  const consumer = kafka.consumer({ groupId: `reader-${Math.random()}`, maxWaitTimeInMs: 50 });
  const seen: { key: string; value: any; offset: string; partition: number }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      seen.push({ key: message.key!.toString(), value: JSON.parse(message.value!.toString()), offset: message.offset, partition });
    },
  });
  try {
    await waitFor(`messages on ${topic}`, async () => until(seen), 30_000, 50);
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

beforeAll(async () => {
  d = await startDistributedTestSystem();
  keys = (await buildOrganisation(d.admin, SMALL_CITY)).terminalKeys;
  analyst = (await d.admin.post('/v1/readers', { id: 'analyst', role: 'analyst' })).body.token;
  kafka = new Kafka({ clientId: 'test-reader', brokers: d.brokers.split(','), logLevel: logLevel.NOTHING });
}, 120_000);
afterAll(() => d?.close());

it('when a terminal posts a rating to the ratings process, then the analytics process shows it (through Kafka)', async () => {
  const terminal = d.intakeClient(keys['t-ft-xm-w1']);
  expect((await terminal.post('/v1/ratings', { id: 'd-1', score: 5, occurredAt: firstRatingAt })).status).toBe(202);
  const reader = d.analyticsClient(analyst);
  await waitFor('the rating at analytics', async () => (await yearly(reader, 'window:ft-xm-w1'))?.n === 1, 30_000);
  const e = await yearly(reader, 'unit:sz');
  expect(e.levels).toEqual({ '1': 0, '2': 0, '3': 0, '4': 0, '5': 1 });
  // The analytics process answers reads only: the write routes are not there.
  expect((await d.analyticsClient(analyst).post('/v1/ratings', { id: 'x', score: 1, occurredAt: at(1) })).status).toBe(404);
});

it('when events are relayed, then they are keyed by stream id with their headers, and each stream keeps its order', async () => {
  const terminal = d.intakeClient(keys['t-ns-yh-w1']);
  for (let i = 0; i < 20; i++) expect((await terminal.post('/v1/ratings', { id: `ord-${i}`, score: 3, occurredAt: at(10) })).status).toBe(202);
  for (let i = 0; i < 20; i += 2) expect((await d.admin.post(`/v1/ratings/ord-${i}/void`, { reason: '测试作废' })).status).toBe(200);
  const messages = await readTopic(`${d.topicPrefix}minyi.ratings.events.v1`, (m) => m.filter((x) => x.key.startsWith('rating-ord-')).length >= 30);
  const ord = messages.filter((m) => m.key.startsWith('rating-ord-'));
  for (let i = 0; i < 20; i += 2) {
    const stream = ord.filter((m) => m.key === `rating-ord-${i}`);
    expect(stream.map((m) => m.value.type)).toEqual(['RatingSubmitted', 'RatingVoided']);
    expect(new Set(stream.map((m) => m.partition)).size).toBe(1);
    expect(Number(stream[1].offset)).toBeGreaterThan(Number(stream[0].offset));
  }
  const reader = d.analyticsClient(analyst);
  await waitFor('voids applied', async () => (await yearly(reader, 'window:ns-yh-w1'))?.n === 10, 30_000);
});

it('when the relay\'s messages are delivered again (a re-send after a crash), then nothing is counted twice', async () => {
  const terminal = d.intakeClient(keys['t-ns-crj-w1']);
  for (let i = 0; i < 15; i++) expect((await terminal.post('/v1/ratings', { id: `dup-${i}`, score: (i % 5) + 1, occurredAt: at(3) })).status).toBe(202);
  const reader = d.analyticsClient(analyst);
  await waitFor('15 ratings', async () => (await yearly(reader, 'window:ns-crj-w1'))?.n === 15, 30_000);
  const topic = `${d.topicPrefix}minyi.ratings.events.v1`;
  const originals = (await readTopic(topic, (m) => m.filter((x) => x.key.startsWith('rating-dup-')).length >= 15)).filter((m) => m.key.startsWith('rating-dup-'));
  // Inject the very same messages again, twice, as a relay that crashed before its checkpoint would.
  const producer = kafka.producer();
  await producer.connect();
  for (let round = 0; round < 2; round++) {
    await producer.send({
      topic,
      messages: originals.map((m) => ({
        key: m.key,
        value: JSON.stringify(m.value),
        headers: { 'event-id': m.value.eventId, 'transaction-id': m.value.transactionId, 'global-position': String(m.value.globalPosition) },
      })),
    });
  }
  // A marker rating after the duplicates: once it is counted, the duplicates have been consumed.
  expect((await terminal.post('/v1/ratings', { id: 'dup-marker', score: 5, occurredAt: at(3) })).status).toBe(202);
  await waitFor('the marker', async () => (await yearly(reader, 'window:ns-crj-w1'))?.n === 16, 30_000);
  await producer.disconnect();
  const e = await yearly(reader, 'window:ns-crj-w1');
  expect(e.levels).toEqual({ '1': 3, '2': 3, '3': 3, '4': 3, '5': 4 });
});

it('when a message cannot be processed, then it goes to the dead-letter topic and the projection goes on', async () => {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: `${d.topicPrefix}minyi.ratings.events.v1`,
    messages: [{ key: 'rating-poison', value: JSON.stringify({ type: 'RatingSubmitted', version: 1, data: { score: 11 }, eventId: 'x' }), headers: { 'transaction-id': '999999999', 'global-position': '999999999' } }],
  });
  await producer.disconnect();
  const dead = await readTopic(`${d.topicPrefix}minyi.deadletter.v1`, (m) => m.length >= 1);
  expect(dead[0].key).toBe('rating-poison');
  const terminal = d.intakeClient(keys['t-ft-xm-w2']);
  expect((await terminal.post('/v1/ratings', { id: 'after-poison', score: 4, occurredAt: at(1) })).status).toBe(202);
  const reader = d.analyticsClient(analyst);
  await waitFor('the rating after the poison', async () => (await yearly(reader, 'window:ft-xm-w2'))?.n === 1, 30_000);
  const { rows } = await d.projector.db.pools.app.query('SELECT error FROM dead_letters');
  expect(rows.length).toBe(1);
  expect((await fetch(`${d.projector.url}/health`)).status).toBe(200);
});

it('when the projector changes an index, then the change is published on minyi.indices.changes.v1', async () => {
  const year = yearOf(firstRatingAt); // of the one rating at window ft-xm-w1
  const changes = await readTopic(`${d.topicPrefix}minyi.indices.changes.v1`, (m) => m.some((x) => x.key === `window:ft-xm-w1|year|${year}|ratings`));
  const last = changes.filter((x) => x.key === `window:ft-xm-w1|year|${year}|ratings`).at(-1)!;
  expect(last.value).toMatchObject({ scope: 'window:ft-xm-w1', granularity: 'year', period: year, channel: 'ratings', n: 1, index: 100 });
});

describe('the embedded and the distributed mode', () => {
  let embedded: TestSystem;
  let other: DistributedTestSystem;
  beforeAll(async () => {
    embedded = await startTestSystem();
    other = await startDistributedTestSystem();
  }, 120_000);
  afterAll(async () => {
    await embedded?.close();
    await other?.close();
  });

  it('when both take the same input, then they give identical figures and rankings', async () => {
    const eKeys = (await buildOrganisation(embedded.admin, SMALL_CITY)).terminalKeys;
    const dKeys = (await buildOrganisation(other.admin, SMALL_CITY)).terminalKeys;
    const eReader = embedded.client((await embedded.admin.post('/v1/readers', { id: 'analyst', role: 'analyst' })).body.token);
    const dReader = other.analyticsClient((await other.admin.post('/v1/readers', { id: 'analyst', role: 'analyst' })).body.token);
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const terminals = Object.keys(eKeys);
    const batches = new Map<string, object[]>();
    for (let i = 0; i < 800; i++) {
      const t = terminals[Math.floor(rnd() * terminals.length)];
      // An officer of the terminal's own unit (API.md: an officer of an unrelated unit is refused); ns-crj has none.
      const own = t.startsWith('t-ft') ? 'o-wang' : t === 't-ns-yh-w1' ? 'o-li' : undefined;
      const officer = rnd() < 0.3 && own ? { officerId: own } : {};
      const list = batches.get(t) ?? [];
      list.push({ id: `same-${i}`, score: 1 + Math.floor(rnd() * 5), occurredAt: new Date(now - rnd() * 80 * 24 * 3600_000).toISOString(), ...officer });
      batches.set(t, list);
    }
    for (const [t, ratings] of batches) {
      const r = await embedded.client(eKeys[t]).post('/v1/ratings/batch', { ratings });
      expect(r.body.results.filter((x: { status: string }) => x.status !== 'accepted')).toEqual([]);
      expect((await other.intakeClient(dKeys[t]).post('/v1/ratings/batch', { ratings })).status).toBe(200);
    }
    for (let i = 0; i < 800; i += 37) {
      expect((await embedded.admin.post(`/v1/ratings/same-${i}/void`, { reason: '核实作废' })).status).toBe(200);
      expect((await other.admin.post(`/v1/ratings/same-${i}/void`, { reason: '核实作废' })).status).toBe(200);
    }
    await embedded.settled();
    const shanghaiDate = (t: number) => new Date(t).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    const from = shanghaiDate(now - 100 * 24 * 3600_000);
    const to = shanghaiDate(now);
    const daily = async (c: typeof eReader, scope: string) => (await c.get(`/v1/satisfaction?scope=${scope}&granularity=day&from=${from}&to=${to}`)).body;
    const expectedRoot = await daily(eReader, 'unit:sz');
    expect(expectedRoot.series.reduce((n: number, x: { n: number }) => n + x.n, 0)).toBe(800 - 22);
    const counted = (body: { series: { n: number }[] }) => body.series.reduce((n, x) => n + x.n, 0);
    let got = 0;
    await waitFor(
      'the distributed mode to catch up',
      async () => {
        const body = await daily(dReader, 'unit:sz');
        got = counted(body);
        return JSON.stringify(body) === JSON.stringify(expectedRoot);
      },
      60_000,
    ).catch((err) => {
      throw new Error(`${(err as Error).message}: the distributed mode counts ${got} ratings at unit:sz, the embedded ${counted(expectedRoot)}`);
    });
    for (const scope of ['unit:sz', 'unit:ft', 'unit:ns', 'unit:ns-crj', 'window:ft-xm-w1', 'window:ns-yh-w1', 'officer:o-wang', 'officer:o-li']) {
      expect(await daily(dReader, scope)).toEqual(await daily(eReader, scope));
    }
    for (const g of ['week', 'month', 'quarter']) {
      const q = `/v1/satisfaction?scope=unit:sz&granularity=${g}&from=${from}&to=${to}`;
      expect((await dReader.get(q)).body).toEqual((await eReader.get(q)).body);
    }
    const month = new Date(now - 40 * 24 * 3600_000).toISOString().slice(0, 7);
    for (const kind of ['units', 'windows', 'officers']) {
      const q = `/v1/rankings?parentId=sz&of=${kind}&granularity=month&period=${month}`;
      expect((await dReader.get(q)).body).toEqual((await eReader.get(q)).body);
    }
  }, 120_000);
});
