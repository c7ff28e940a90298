// The postgres transport with a projection that delivers outside the database (as the relay does to Kafka):
// no transaction is open while it waits, a failed delivery is made again, a malformed event is never delivered.
import { EventStore, type LogEvent, type RecordedEvent } from '@minyi/event-store';
import type { TestPools as Pools } from '@minyi/testing';
import { createTestStore, events, waitFor, type TestStore } from '@minyi/testing';
import { readCheckpoint } from './checkpoints.js';
import { PostgresLogConsumer } from './postgres-log.consumer.js';
import type { Projection } from './projection.js';

let t: TestStore;
let pools: Pools;
let store: EventStore;
let consumers: PostgresLogConsumer<LogEvent>[] = [];

beforeEach(async () => {
  t = await createTestStore();
  ({ pools, store } = t);
  consumers = [];
});
afterEach(async () => {
  await Promise.all(consumers.map((c) => c.stop()));
  await t.close();
});

/** A projection that hands events to something outside the database, which can be held or made to fail. */
class Outbound implements Projection {
  readonly name = 'outbound-test';
  readonly delivered: string[] = [];
  failuresLeft = 0;
  private gate: Promise<void> | null = null;
  private openGate: (() => void) | null = null;
  waiting = false;

  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }
  release(): void {
    this.openGate?.();
    this.gate = null;
  }

  async deliver(batch: RecordedEvent[]): Promise<void> {
    if (this.gate) {
      this.waiting = true;
      await this.gate;
      this.waiting = false;
    }
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw Object.assign(new Error('broker unavailable'), { retriable: true });
    }
    this.delivered.push(...batch.map((e) => e.streamId));
  }

  async apply(): Promise<void> {}
}

function consumer(projection: Projection<LogEvent>): PostgresLogConsumer<LogEvent> {
  const c = new PostgresLogConsumer(pools.app, store, projection, { idlePollMs: 10, listenUrl: t.url });
  consumers.push(c);
  return c;
}

const rating = (id: string) => store.append(`rating-${id}`, 0, [events.rating({ id, windowId: 'w1', unitId: 'u1', score: 4, at: '2026-10-21T10:00:00+08:00' })]);

it('when a delivery waits on its broker, then no transaction of this database holds a transaction id meanwhile', async () => {
  const out = new Outbound();
  out.hold();
  await rating('a');
  await consumer(out).start();
  let holdingIds: number;
  try {
    await waitFor('the delivery to start waiting', async () => out.waiting, 10_000);
    // An open transaction with an id would hold back pg_snapshot_xmin, and with it every gap-safe reader.
    const { rows } = await pools.owner.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()`,
    );
    holdingIds = rows[0].n;
  } finally {
    out.release();
  }
  expect(holdingIds).toBe(0);
  await waitFor('the event to be delivered', async () => out.delivered.length === 1, 10_000);
  expect(out.delivered).toEqual(['rating-a']);
});

it('when a delivery fails, then the checkpoint stays put and the same events are delivered again', async () => {
  const out = new Outbound();
  out.failuresLeft = 2;
  await rating('a');
  await rating('b');
  const c = consumer(out);
  await c.start();
  await c.caughtUp();
  expect(out.delivered).toEqual(['rating-a', 'rating-b']);
  const at = await readCheckpoint(pools.app, out.name);
  const log = await store.readAll({ transactionId: '0', globalPosition: 0 }, 10);
  expect(at.globalPosition).toBe(log.at(-1)!.globalPosition);
});

it('when an event breaks its schema, then it is not delivered but dead-lettered, and the others are', async () => {
  const out = new Outbound();
  await rating('a');
  await pools.owner.query(
    `INSERT INTO events (event_id, stream_id, stream_version, type, version, data, metadata, unit_id, occurred_at)
     VALUES (gen_random_uuid(), 'rating-poison', 1, 'RatingSubmitted', 1, '{"ratingId":"poison","score":9}', '{"actor":"x","correlationId":"x","causationId":null}', 'u1', now())`,
  );
  await rating('b');
  const c = consumer(out);
  await c.start();
  await c.caughtUp();
  expect(out.delivered).toEqual(['rating-a', 'rating-b']);
  const { rows } = await pools.app.query('SELECT consumer, error FROM dead_letters');
  expect(rows).toEqual([{ consumer: out.name, error: expect.stringMatching(/schema/) }]);
});

it('when a projection reads LogEvents (withoutMetadata), then it gets every event without its metadata; any other gets the whole envelope', async () => {
  const seen: Record<string, LogEvent[]> = { bare: [], whole: [] };
  const recorder = (name: 'bare' | 'whole', withoutMetadata: boolean): Projection<LogEvent> => ({
    name: `recorder-${name}`,
    withoutMetadata,
    apply: async (batch) => void seen[name].push(...batch),
  });
  await rating('a');
  await rating('b');
  const [bare, whole] = [consumer(recorder('bare', true)), consumer(recorder('whole', false))];
  await Promise.all([bare.start(), whole.start()]);
  await Promise.all([bare.caughtUp(), whole.caughtUp()]);
  expect(seen.bare.map((e) => e.streamId)).toEqual(['rating-a', 'rating-b']);
  expect(seen.bare.every((e) => !('metadata' in e))).toBe(true);
  expect((seen.whole as RecordedEvent[]).map((e) => e.metadata.actor)).toEqual([expect.any(String), expect.any(String)]);
  // A projection of whole events cannot ask for them without metadata (checked by `npm run typecheck`).
  // @ts-expect-error withoutMetadata must be false (or absent) when the projection reads RecordedEvents
  const wrong: Projection<RecordedEvent> = { name: 'wrong', withoutMetadata: true, apply: async () => undefined };
  expect(wrong.name).toBe('wrong');
  // Apart from the metadata, the two reads agree field for field.
  expect(seen.bare).toEqual((seen.whole as RecordedEvent[]).map(({ metadata: _m, ...rest }) => rest));
});
