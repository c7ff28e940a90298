// The postgres consumer of a projection that handles some types only (real PostgreSQL): whether a window of the log
// is read by type (most of it not the projection's) or whole (most of it its own), the projection gets exactly its
// events in log order, once; the checkpoint ends on the log's last event; and passing over events it does not handle
// never moves a checkpoint that another process moved meanwhile.
import type { PoolClient } from 'pg';
import { EventStore, type LogEvent, type LogPosition } from '@minyi/event-store';
import type { TestPools as Pools } from '@minyi/testing';
import { events, useTestStore, waitFor } from '@minyi/testing';
import { readCheckpoint } from './checkpoints.js';
import { PostgresLogConsumer } from './postgres-log.consumer.js';
import type { Projection } from './projection.js';

let url: string;
let pools: Pools;
let store: EventStore;
useTestStore((t) => ({ pools, store, url } = t));
afterEach(() => jest.restoreAllMocks());

class Recorder implements Projection<LogEvent> {
  readonly name = 'sparse-reads-test';
  readonly withoutMetadata = true;
  readonly applied: string[] = [];
  async apply(batch: LogEvent[], _tx: PoolClient): Promise<void> {
    this.applied.push(...batch.map((e) => e.streamId));
  }
}

const rating = (id: string) => store.append(`rating-${id}`, 0, [events.rating({ id, windowId: 'w1', unitId: 'u1', score: 4, at: '2026-10-21T10:00:00+08:00' })]);
const unit = (id: string) => store.append(`unit-${id}`, 0, [events.unit(id, null)]);

async function lastOfLog(): Promise<number> {
  const { rows } = await pools.owner.query<{ g: string }>('SELECT max(global_position)::text AS g FROM events');
  return Number(rows[0].g);
}

it('when stretches of the log are mostly others’ types and mostly its own, then it applies exactly its events in order, reading both ways, and its checkpoint ends on the last event', async () => {
  let n = 0;
  let u = 0;
  for (const [kind, length] of [['unit', 25], ['rating', 3], ['unit', 12], ['rating', 40], ['unit', 2], ['rating', 1], ['unit', 30]] as const) {
    for (let i = 0; i < length; i++) await (kind === 'unit' ? unit(`x${++u}`) : rating(`r${++n}`));
  }
  const typed = jest.spyOn(store, 'readAllOf');
  const whole = jest.spyOn(store, 'readAll');
  const recorder = new Recorder();
  const c = new PostgresLogConsumer<LogEvent>(pools.app, store, recorder, { batchSize: 7, idlePollMs: 10, pacingMs: 0, listenUrl: url, handles: ['RatingSubmitted'], checkpoint: 'sparse-test' });
  await c.start();
  try {
    await c.caughtUp();
  } finally {
    await c.stop();
  }
  expect(recorder.applied).toEqual(Array.from({ length: 44 }, (_, i) => `rating-r${i + 1}`));
  expect((await readCheckpoint(pools.app, 'sparse-test')).globalPosition).toBe(await lastOfLog());
  // Both reads were used: by type where units filled the window, whole where ratings did.
  expect(typed.mock.calls.length).toBeGreaterThan(0);
  expect(whole.mock.calls.filter(([, limit]) => limit === 7).length).toBeGreaterThan(0);
});

it('when another process moved the checkpoint past events the consumer then passes over, then it resumes from there and applies nothing it skipped', async () => {
  await unit('u0');
  const recorder = new Recorder();
  // One event per window: the first window after the move holds only an event it does not handle.
  const errors: unknown[] = [];
  const c = new PostgresLogConsumer<LogEvent>(pools.app, store, recorder, {
    batchSize: 1,
    idlePollMs: 10,
    pacingMs: 0,
    listenUrl: url,
    handles: ['RatingSubmitted'],
    checkpoint: 'moved-test',
    onError: (e) => errors.push(e),
  });
  await c.start();
  await c.caughtUp();
  await c.stop(); // it keeps its place in memory, as a running consumer does between two reads
  await unit('u1');
  await rating('skipped');
  await unit('u2');
  // A rebuild (say) moves the checkpoint to u2: the rating lies in what the rebuilt read model holds.
  const { rows } = await pools.owner.query<{ t: string; g: string }>(`SELECT transaction_id::text AS t, global_position::text AS g FROM events WHERE stream_id = 'unit-u2'`);
  const u2: LogPosition = { transactionId: rows[0].t, globalPosition: Number(rows[0].g) };
  await pools.owner.query(`UPDATE consumer_checkpoints SET transaction_id = $2::xid8, global_position = $3 WHERE consumer = $1`, ['moved-test', u2.transactionId, u2.globalPosition]);
  await c.start();
  try {
    await rating('after');
    await waitFor('the rating after the move to be applied', async () => recorder.applied.includes('rating-after'), 30_000, 10);
  } finally {
    await c.stop();
  }
  // Passing over u1 from its old place moved nothing (a blind write would have put the checkpoint back before the rating).
  expect(recorder.applied).toEqual(['rating-after']);
  expect(errors).toEqual([]);
  expect(c.status().lastError).toBeNull();
  expect((await readCheckpoint(pools.app, 'moved-test')).globalPosition).toBe(await lastOfLog());
});
