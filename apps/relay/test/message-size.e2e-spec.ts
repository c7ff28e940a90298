// The relay and the index-changes publisher against the broker's message-size limit, on topics of one
// partition (all of a batch in one RecordBatch, the worst case): a backlog far larger than the limit is
// published exactly once and in order; an event that can never fit is dead-lettered and the relay goes on.
import { gzipSync } from 'node:zlib';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type ITopicConfig } from 'kafkajs';
import { KafkaNames, topicConfigs, type TopicSettings } from '@minyi/messaging';
import { partsOf, startSystem, type RunningSystem } from '@minyi/minyi';
import { ApiClient, loadConfig, type MinyiConfig } from '@minyi/platform';
import { buildOrganisation, createTestDatabase, mulberry32, SMALL_CITY, testKafkaBrokers, testTopicPrefix, waitFor, type TestDatabase } from '@minyi/testing';

const ADMIN = 'message-size-admin-token-0123456789';
const ONE_PARTITION: TopicSettings = { partitions: 1, replicationFactor: 1 };
const kafka = new Kafka({ clientId: 'message-size-test', brokers: testKafkaBrokers().split(','), logLevel: logLevel.NOTHING });

interface TopicMessage {
  key: string;
  value: any;
  headers: Record<string, string>;
  offset: number;
}

/** One installation on its own topic prefix, with the topics made here (1 partition; `limits` per topic). */
class Deployment {
  readonly names = new KafkaNames(testTopicPrefix());
  readonly systems: RunningSystem[] = [];
  intake!: RunningSystem;
  admin!: ApiClient;
  keys!: Record<string, string>;
  private db!: TestDatabase;
  private config!: MinyiConfig;
  private dataDir = mkdtempSync(join(tmpdir(), 'minyi-size-'));

  async start(maxMessageBytes: Record<string, number> = {}): Promise<this> {
    // The code creates missing topics with KAFKA_PARTITIONS from its environment; these exist already.
    const topics: ITopicConfig[] = topicConfigs(ONE_PARTITION, this.names).map((t) =>
      maxMessageBytes[t.topic] ? { ...t, configEntries: [...(t.configEntries ?? []), { name: 'max.message.bytes', value: String(maxMessageBytes[t.topic]) }] } : t,
    );
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics, waitForLeaders: true });
    await admin.disconnect();
    this.db = await createTestDatabase();
    this.config = loadConfig({
      DATABASE_URL: this.db.url,
      MINYI_DATA_DIR: this.dataDir,
      MINYI_ADMIN_TOKEN: ADMIN,
      PORT: '0',
      HOST: '127.0.0.1',
      KAFKA_BROKERS: testKafkaBrokers(),
      KAFKA_TOPIC_PREFIX: this.names.prefix,
    });
    this.intake = await this.run('intake');
    this.admin = new ApiClient(this.intake.url, ADMIN);
    this.keys = (await buildOrganisation(this.admin, SMALL_CITY)).terminalKeys;
    return this;
  }

  async run(process: 'intake' | 'relay' | 'projector'): Promise<RunningSystem> {
    const s = await startSystem(this.config, { logger: false, parts: partsOf(process) });
    this.systems.push(s);
    return s;
  }

  /** Every event of the log, in log order (as the relay reads it). */
  async log(): Promise<{ event_id: string; stream_id: string; type: string; global_position: string }[]> {
    const { rows } = await this.intake.db.pools.app.query('SELECT event_id, stream_id, type, global_position FROM events ORDER BY transaction_id, global_position');
    return rows;
  }

  async close(): Promise<void> {
    for (const s of this.systems.reverse()) await s.stop();
    await this.db?.drop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Reads `topic` from the beginning until `enough` holds (or fails after the deadline saying how far it got). */
async function readTopic(topic: string, enough: (messages: TopicMessage[]) => boolean, timeoutMs = 60_000): Promise<TopicMessage[]> {
  const consumer = kafka.consumer({ groupId: `reader-${Math.random()}`, maxWaitTimeInMs: 50 });
  const seen: TopicMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
      seen.push({ key: message.key!.toString(), value: JSON.parse(message.value!.toString()), headers, offset: Number(message.offset) });
    },
  });
  try {
    await waitFor(`messages on ${topic}`, async () => enough(seen), timeoutMs, 50).catch((err) => {
      throw new Error(`${(err as Error).message} (${seen.length} read)`);
    });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

const CJK = (random: () => number, n: number) => Array.from({ length: n }, () => String.fromCodePoint(0x4e00 + Math.floor(random() * 0x5000))).join('');

/** The longest rating the contract allows, in CJK: about 4.4 KB on the topic. */
function longRating(random: () => number, id: string, terminalId: string, occurredAt: string) {
  return { id, terminalId, score: 1 + Math.floor(random() * 5), occurredAt, comment: CJK(random, 500), reasons: Array.from({ length: 10 }, () => CJK(random, 64)) };
}

/** Each stream's events on the topic are exactly the log's, once each, in the log's order. */
function expectExactlyTheLog(messages: TopicMessage[], log: { event_id: string; stream_id: string; global_position: string }[]) {
  expect(messages.map((m) => m.headers['event-id'])).toEqual(log.map((e) => e.event_id));
  expect(messages.map((m) => m.key)).toEqual(log.map((e) => e.stream_id));
  expect(messages.map((m) => m.value.globalPosition)).toEqual(log.map((e) => Number(e.global_position)));
}

let d: Deployment | null = null;
afterEach(async () => {
  await d?.close();
  d = null;
});

it('when one relay batch holds several MiB of events for one partition, then every event reaches its topic exactly once and in log order', async () => {
  d = await new Deployment().start();
  const random = mulberry32(11);
  const day = (i: number) => new Date(Date.now() - (1 + i) * 3600_000).toISOString();
  const ratings = Array.from({ length: 1000 }, (_, i) => longRating(random, `big-${i}`, Object.keys(d!.keys)[i % 4], day(i)));
  // Committed before the relay starts, so that its first batch (up to 2000 events) holds them all: ~4.4 MB.
  const r = await d.admin.post('/v1/ratings/import', { ratings });
  expect(r.status).toBe(200);
  expect(r.body.results.filter((x: { status: string }) => x.status !== 'accepted')).toEqual([]);
  const ratingsTopic = d.names.eventTopic('ratings');
  expect((await d.log()).filter((e) => e.type === 'RatingSubmitted')).toHaveLength(1000);

  const relay = await d.run('relay');
  await readTopic(ratingsTopic, (m) => m.length >= 1000, 120_000);
  // A rating after the backlog: once it is on the topic, anything sent twice before it would be there too.
  const terminal = new ApiClient(d.intake.url, d.keys['t-ft-xm-w1']);
  expect((await terminal.post('/v1/ratings', { id: 'after-backlog', score: 5, occurredAt: day(0) })).status).toBe(202);
  const all = await readTopic(ratingsTopic, (m) => m.some((x) => x.key === 'rating-after-backlog'));
  const log = await d.log();
  expectExactlyTheLog(all, log.filter((e) => e.type.startsWith('Rating')));
  expectExactlyTheLog(await readTopic(d.names.eventTopic('organisation'), (m) => m.length >= log.length - 1001), log.filter((e) => !e.type.startsWith('Rating')));
  expect(all.find((m) => m.key === 'rating-big-7')!.value.data.comment).toBe(ratings[7].comment);
  expect((await fetch(`${relay.url}/health`)).status).toBe(200);
}, 240_000);

it('when an event is larger than its topic accepts, then it is dead-lettered, every other event is published exactly once, and the relay goes on', async () => {
  const random = mulberry32(5);
  const limit = 1500; // bytes of a (compressed) RecordBatch on the ratings topic; the organisation topic keeps 1 MiB
  const huge = longRating(random, 'huge', 't-ns-yh-w1', new Date(Date.now() - 60_000).toISOString());
  // What makes it too large is past doubt: its text alone, compressed as the relay does, is over the limit.
  expect(gzipSync(huge.comment + huge.reasons.join('')).length).toBeGreaterThan(limit);
  d = new Deployment();
  await d.start({ [d.names.eventTopic('ratings')]: limit });
  const terminal = new ApiClient(d.intake.url, d.keys['t-ns-yh-w1']);
  const at = new Date(Date.now() - 60_000).toISOString();
  for (let i = 0; i < 30; i++) expect((await terminal.post('/v1/ratings', { id: `before-${i}`, score: (i % 5) + 1, occurredAt: at })).status).toBe(202);
  const { terminalId: _t, ...hugeBody } = huge;
  expect((await terminal.post('/v1/ratings', hugeBody)).status).toBe(202);
  // As long, but repetitive: over the limit as it stands, well under it compressed — so it is published.
  const roomy = { id: 'roomy', score: 3, occurredAt: at, comment: '好'.repeat(500), reasons: Array.from({ length: 10 }, () => '好'.repeat(64)) };
  expect(Buffer.byteLength(roomy.comment + roomy.reasons.join(''))).toBeGreaterThan(2 * limit);
  expect((await terminal.post('/v1/ratings', roomy)).status).toBe(202);
  // An organisation event between the ratings: the organisation topic's part of a send is then cut differently
  // by any split of the send as a whole.
  expect((await d.admin.post('/v1/officers', { id: 'o-zhao', unitId: 'ns-yh', name: '赵敏' })).status).toBe(201);
  for (let i = 0; i < 30; i++) expect((await terminal.post('/v1/ratings', { id: `after-${i}`, score: (i % 5) + 1, occurredAt: at })).status).toBe(202);

  // The relay's first batch spans both topics: the broker takes the organisation part and refuses the ratings
  // (kafkajs then rewinds the sequence numbers of both; only the same organisation part again is taken as a duplicate).
  const relay = await d.run('relay');
  const ratingsTopic = d.names.eventTopic('ratings');
  const published = await readTopic(ratingsTopic, (m) => m.some((x) => x.key === 'rating-after-29'));
  const log = await d.log();
  const hugeEvent = log.find((e) => e.stream_id === 'rating-huge')!;
  expectExactlyTheLog(published, log.filter((e) => e.type.startsWith('Rating') && e !== hugeEvent));
  expect(published.find((m) => m.key === 'rating-roomy')!.value.data.comment).toBe(roomy.comment);
  expectExactlyTheLog(await readTopic(d.names.eventTopic('organisation'), (m) => m.length >= log.length - 62), log.filter((e) => !e.type.startsWith('Rating')));

  await waitFor('the dead letter', async () => (await relay.db.pools.app.query(`SELECT 1 FROM dead_letters WHERE consumer = 'relay'`)).rowCount === 1, 30_000);
  const { rows } = await relay.db.pools.app.query(`SELECT event_id, global_position, type, error FROM dead_letters WHERE consumer = 'relay'`);
  expect(rows).toEqual([{ event_id: hugeEvent.event_id, global_position: hugeEvent.global_position, type: 'RatingSubmitted', error: expect.stringMatching(/larger than the max message size/) }]);
  const notice = await readTopic(d.names.deadLetters, (m) => m.length >= 1);
  expect(notice.map((m) => [m.key, m.value.eventId, m.headers['dead-letter-consumer'], m.headers['dead-letter-source']])).toEqual([['rating-huge', hugeEvent.event_id, 'relay', ratingsTopic]]);
  expect((await fetch(`${relay.url}/health`)).status).toBe(200);

  // And it goes on: a later rating is published, and the relay stays healthy.
  expect((await terminal.post('/v1/ratings', { id: 'later', score: 4, occurredAt: at })).status).toBe(202);
  const later = await readTopic(ratingsTopic, (m) => m.some((x) => x.key === 'rating-later'));
  expect(later.filter((m) => m.key === 'rating-later')).toHaveLength(1);
  expect(later).toHaveLength(published.length + 1);
  expect((await fetch(`${relay.url}/health`)).status).toBe(200);
}, 240_000);

it('when a projector batch changes more cells than one message set can carry, then every cell\'s new figures are published', async () => {
  d = await new Deployment().start();
  // 2000 ratings on 2000 different days: a batch of them changes thousands of day, week and month cells per scope.
  const days = 2000;
  const dayAt = (i: number) => new Date(Date.UTC(2020, 0, 1, 4) + i * 86_400_000).toISOString();
  const ratings = Array.from({ length: days }, (_, i) => ({ id: `d-${i}`, terminalId: 't-ft-xm-w1', score: (i % 5) + 1, occurredAt: dayAt(i) }));
  const r = await d.admin.post('/v1/ratings/import', { ratings });
  expect(r.body.results.filter((x: { status: string }) => x.status !== 'accepted')).toEqual([]);
  await d.run('relay');
  await readTopic(d.names.eventTopic('ratings'), (m) => m.length >= days, 120_000);
  // Started once everything is on the topic, the projector gets it in few, large batches.
  await d.run('projector');
  const dayKey = (i: number) => `window:ft-xm-w1|day|${new Date(Date.UTC(2020, 0, 1, 4) + i * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })}|ratings`;
  const wanted = new Set(Array.from({ length: days }, (_, i) => dayKey(i)));
  const changes = await readTopic(d.names.indexChanges, (m) => m.filter((x) => wanted.has(x.key)).length >= days, 120_000);
  const byKey = new Map(changes.map((c) => [c.key, c.value]));
  for (let i = 0; i < days; i += 97) expect(byKey.get(dayKey(i))).toMatchObject({ n: 1, levels: { [String((i % 5) + 1)]: 1 } });
  expect(changes.filter((c) => c.key.startsWith('unit:sz|day|')).length).toBe(days);
}, 300_000);
