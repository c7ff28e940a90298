// Consumers of a projection that handles some event types only, on both transports (real PostgreSQL, a real Kafka
// broker): the other types are neither validated nor applied — a malformed one is no dead letter of theirs — and the
// consumer's place moves past them all the same; and a projection whose deliveries may repeat runs on Kafka too.
import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { EventStore, type LogEvent, type RecordedEvent } from '@minyi/event-store';
import type { TestPools as Pools } from '@minyi/testing';
import { events, testKafkaBrokers, testTopicPrefix, useTestStore, waitFor } from '@minyi/testing';
import { toMessage } from './kafka/envelope.js';
import { KafkaLogConsumer } from './kafka/kafka-log.consumer.js';
import { readCheckpoint } from './checkpoints.js';
import { PostgresLogConsumer } from './postgres-log.consumer.js';
import type { Projection } from './projection.js';

let url: string;
let pools: Pools;
let store: EventStore;
useTestStore((t) => ({ pools, store, url } = t));

/** Records what it is handed. */
class Recorder implements Projection<RecordedEvent> {
  readonly name = 'handled-types-test';
  readonly applied: string[] = [];
  readonly delivered: string[] = [];
  deliversIdempotently?: boolean;
  deliver?: (events: RecordedEvent[]) => Promise<void>;
  async apply(batch: RecordedEvent[], _tx: PoolClient): Promise<void> {
    this.applied.push(...batch.map((e) => `${e.type}:${e.streamId}`));
  }
}

const rating = (id: string, score = 4) => events.rating({ id, windowId: 'w1', unitId: 'u1', score, at: '2026-10-21T10:00:00+08:00' });

async function deadLetters(): Promise<number> {
  const { rows } = await pools.owner.query<{ n: number }>('SELECT count(*)::int AS n FROM dead_letters');
  return rows[0].n;
}

it('when a postgres consumer handles ratings only, then other events are neither validated nor applied, and its checkpoint moves past them', async () => {
  await store.append('unit-u1', 0, [events.unit('u1', null)]);
  await store.append('rating-a', 0, [rating('a')]);
  // Malformed, of a type it does not handle (only possible by writing around the event store): not its dead letter.
  await pools.owner.query(
    `INSERT INTO events (event_id, stream_id, stream_version, type, version, data, metadata, unit_id, occurred_at)
     VALUES (gen_random_uuid(), 'complaint-x', 1, 'ComplaintCalledBack', 1, '{"broken":true}', '{"actor":"x","correlationId":"x","causationId":null}', 'u1', now())`,
  );
  await store.append('rating-b', 0, [rating('b')]);
  await store.append('unit-u2', 0, [events.unit('u2', 'u1')]); // the last event: not handled either
  const recorder = new Recorder();
  const c = new PostgresLogConsumer<LogEvent>(pools.app, store, recorder as unknown as Projection<LogEvent>, { idlePollMs: 10, listenUrl: url, handles: ['RatingSubmitted'], checkpoint: 'handled-test' });
  await c.start();
  await c.caughtUp(); // returns only once the checkpoint has passed the last event, which it does not handle
  await c.stop();
  expect(recorder.applied).toEqual(['RatingSubmitted:rating-a', 'RatingSubmitted:rating-b']);
  expect(await deadLetters()).toBe(0);
  const { rows } = await pools.owner.query<{ global_position: string }>('SELECT max(global_position)::text AS global_position FROM events');
  expect((await readCheckpoint(pools.app, 'handled-test')).globalPosition).toBe(Number(rows[0].global_position));
});

describe('on Kafka', () => {
  const brokers = () => testKafkaBrokers().split(',');
  let kafka: Kafka;
  let topic: string;
  let prefix: string;

  beforeEach(async () => {
    kafka = new Kafka({ clientId: 'handled-types-test', brokers: brokers(), logLevel: logLevel.NOTHING });
    prefix = testTopicPrefix();
    topic = `${prefix}minyi.test.events.v1`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }, { topic: `${prefix}dlq`, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
  });

  /** Envelopes as the relay publishes them, in log order. */
  function recorded(list: { type: string; data: unknown; streamId: string }[]): RecordedEvent[] {
    return list.map((e, i) => ({
      eventId: randomUUID(),
      streamId: e.streamId,
      streamVersion: 1,
      globalPosition: i + 1,
      transactionId: String(1000 + i),
      type: e.type,
      version: 1,
      data: e.data,
      occurredAt: new Date('2026-10-21T02:00:00Z'),
      recordedAt: new Date(),
      unitId: 'u1',
      metadata: { actor: 'test', correlationId: 'test', causationId: null },
    }));
  }

  async function publish(list: RecordedEvent[]): Promise<void> {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: list.map(toMessage) });
    await producer.disconnect();
  }

  async function places(group: string): Promise<Record<string, { offset: string }>> {
    const { rows } = await pools.owner.query<{ offsets: Record<string, { offset: string }> }>('SELECT offsets FROM consumer_checkpoints WHERE consumer = $1', [group]);
    return rows[0]?.offsets ?? {};
  }

  it('when a Kafka consumer handles ratings only, then other messages are neither parsed, validated nor applied, and its place moves past them', async () => {
    const list = recorded([
      { type: 'RatingSubmitted', data: rating('a').data, streamId: 'rating-a' },
      { type: 'ComplaintCalledBack', data: { broken: true }, streamId: 'complaint-x' },
      { type: 'RatingSubmitted', data: rating('b').data, streamId: 'rating-b' },
      { type: 'UnitRegistered', data: { unit: 'not even its schema' }, streamId: 'unit-u2' },
    ]);
    await publish(list);
    const recorder = new Recorder();
    const producer = kafka.producer();
    await producer.connect();
    const group = `${prefix}handled-group`;
    const c = new KafkaLogConsumer(kafka, producer, pools.app, recorder, { topics: [topic], handles: ['RatingSubmitted'], groupId: group, deadLetterTopic: `${prefix}dlq` });
    try {
      await c.start();
      await waitFor('its place past every message', async () => (await places(group))[`${topic}/0`]?.offset === '4', 30_000, 50);
    } finally {
      await c.stop();
      await producer.disconnect();
    }
    expect(recorder.applied).toEqual(['RatingSubmitted:rating-a', 'RatingSubmitted:rating-b']);
    expect(await deadLetters()).toBe(0);
  });

  it('when a projection delivers idempotently, then the Kafka consumer delivers what it has not applied before applying it; one that does not is refused', async () => {
    const producer = kafka.producer();
    expect(() => {
      const p = new Recorder();
      p.deliver = async () => undefined;
      return new KafkaLogConsumer(kafka, producer, pools.app, p, { topics: [topic], groupId: 'x', deadLetterTopic: 'x' });
    }).toThrow(/not idempotently; run it on the postgres transport/);
    await publish(recorded([1, 2, 3].map((i) => ({ type: 'RatingSubmitted', data: rating(`r${i}`).data, streamId: `rating-r${i}` }))));
    const recorder = new Recorder();
    recorder.deliversIdempotently = true;
    recorder.deliver = async (batch) => {
      // Delivered before the transaction that applies them: none of these is applied yet.
      for (const e of batch) expect(recorder.applied).not.toContain(`${e.type}:${e.streamId}`);
      recorder.delivered.push(...batch.map((e) => `${e.type}:${e.streamId}`));
    };
    await producer.connect();
    const group = `${prefix}delivering-group`;
    const c = new KafkaLogConsumer(kafka, producer, pools.app, recorder, { topics: [topic], groupId: group, deadLetterTopic: `${prefix}dlq` });
    try {
      await c.start();
      await waitFor('every message applied', async () => recorder.applied.length === 3, 30_000, 50);
    } finally {
      await c.stop();
      await producer.disconnect();
    }
    expect(recorder.delivered).toEqual(recorder.applied);
  });
});
