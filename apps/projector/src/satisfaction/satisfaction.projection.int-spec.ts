// The satisfaction projection on real PostgreSQL: effectively once (checkpoint and counts in one
// transaction), resumable, safe with two consumers, poison events set aside, rebuild equal to live.
import type { PoolClient } from 'pg';
import { EventStore, type LogEvent } from '@minyi/event-store';
import { PostgresLogConsumer, type Projection } from '@minyi/messaging';
import { SATISFACTION_SOURCES } from '@minyi/minyi';
import type { TestPools as Pools } from '@minyi/testing';
import { events, useTestStore } from '@minyi/testing';
import { rebuildProjection, type RebuildProgress } from '../rebuild/rebuild-projection.js';
import { SatisfactionProjection, satisfactionProjection } from './satisfaction.projection.js';

const TZ = 'Asia/Shanghai';
let url: string;
let pools: Pools;
let store: EventStore;

useTestStore((t) => ({ pools, store, url } = t));
beforeEach(async () => {
  await store.append('unit-sz', 0, [events.unit('sz', null)]);
  await store.append('unit-ft', 0, [events.unit('ft', 'sz')]);
  await store.append('window-w1', 0, [events.window('w1', 'ft')]);
  await store.append('officer-o1', 0, [events.officer('o1', 'ft')]);
});

const newProjection = () => new SatisfactionProjection({ timeZone: TZ, store, sources: SATISFACTION_SOURCES });
const rebuild = (onProgress?: (p: RebuildProgress) => void) =>
  rebuildProjection(satisfactionProjection, { pool: pools.owner, store, timeZone: TZ, satisfactionSources: SATISFACTION_SOURCES, config: {} }, { onProgress });

function consumer(projection: Projection<LogEvent> = newProjection()) {
  return new PostgresLogConsumer(pools.app, store, projection, { idlePollMs: 10, listenUrl: url });
}

async function rate(n: number, score: (i: number) => number, at = '2026-10-21T10:00:00+08:00', prefix = 'r') {
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      store.append(`rating-${prefix}${i}`, 0, [events.rating({ id: `${prefix}${i}`, windowId: 'w1', unitId: 'ft', officerId: 'o1', score: score(i), at })]),
    ),
  );
}

async function counts(scope: string, granularity: string, period: string): Promise<number[]> {
  const { rows } = await pools.app.query(
    'SELECT n1, n2, n3, n4, n5 FROM rm_satisfaction WHERE scope = $1 AND granularity = $2 AND period = $3',
    [scope, granularity, period],
  );
  return rows.length ? [rows[0].n1, rows[0].n2, rows[0].n3, rows[0].n4, rows[0].n5] : [0, 0, 0, 0, 0];
}

async function snapshot(): Promise<string[]> {
  const { rows } = await pools.app.query(
    `SELECT scope, granularity, period, channel, n1, n2, n3, n4, n5 FROM rm_satisfaction
     WHERE n1 + n2 + n3 + n4 + n5 <> 0 OR true ORDER BY scope, granularity, period, channel`,
  );
  return rows.map((r) => JSON.stringify(r));
}

/** Zero cells may exist after voids; two read models are equal when their non-zero cells are. */
async function nonZero(): Promise<string[]> {
  return (await snapshot()).filter((r) => !/"n1":0,"n2":0,"n3":0,"n4":0,"n5":0/.test(r));
}

it('when ratings are projected, then every scope up the tree and every granularity counts them once', async () => {
  await rate(10, (i) => (i % 5) + 1);
  const c = consumer();
  await c.start();
  await c.caughtUp();
  await c.stop();
  for (const scope of ['unit:sz', 'unit:ft', 'window:w1', 'officer:o1']) {
    expect(await counts(scope, 'day', '2026-10-21')).toEqual([2, 2, 2, 2, 2]);
    expect(await counts(scope, 'week', '2026-W43')).toEqual([2, 2, 2, 2, 2]);
    expect(await counts(scope, 'month', '2026-10')).toEqual([2, 2, 2, 2, 2]);
    expect(await counts(scope, 'quarter', '2026-Q4')).toEqual([2, 2, 2, 2, 2]);
    expect(await counts(scope, 'year', '2026')).toEqual([2, 2, 2, 2, 2]);
  }
});

it('when a consumer restarts (or a second one starts from the stored checkpoint), then nothing is counted twice', async () => {
  await rate(20, () => 5);
  const first = consumer();
  await first.start();
  await first.caughtUp();
  await first.stop();
  await rate(5, () => 1, '2026-10-21T10:00:00+08:00', 'late');
  const second = consumer();
  await second.start();
  await second.caughtUp();
  await second.stop();
  expect(await counts('unit:sz', 'month', '2026-10')).toEqual([5, 0, 0, 0, 20]);
});

it('when the projection fails mid-batch, then neither its counts nor its checkpoint move, and a retry counts once', async () => {
  await rate(30, () => 4);
  let failures = 1;
  const real = newProjection();
  const flaky: Projection<LogEvent> = {
    name: real.name,
    start: (c) => real.start(c),
    async apply(batch: LogEvent[], tx: PoolClient) {
      await real.apply(batch, tx); // the counts are written…
      if (failures-- > 0) {
        const e = new Error('connection terminated unexpectedly (simulated crash after the write)');
        Object.assign(e, { code: '08006' });
        throw e; // …and the transaction dies before its commit
      }
    },
  };
  const c = consumer(flaky);
  await c.start();
  await c.caughtUp();
  await c.stop();
  expect(await counts('window:w1', 'day', '2026-10-21')).toEqual([0, 0, 0, 30, 0]);
  const { rows } = await pools.app.query('SELECT count(*) AS n FROM dead_letters');
  expect(rows[0].n).toBe(0);
});

it('when two consumers run the same projection at once, then every rating still counts exactly once', async () => {
  const a = consumer();
  const b = consumer();
  await Promise.all([a.start(), b.start()]);
  for (let round = 0; round < 5; round++) await rate(40, (i) => (i % 5) + 1, '2026-10-21T10:00:00+08:00', `x${round}-`);
  await a.caughtUp();
  await b.caughtUp();
  await Promise.all([a.stop(), b.stop()]);
  expect(await counts('unit:sz', 'year', '2026')).toEqual([40, 40, 40, 40, 40]);
});

it('when an event breaks its schema (written around the API), then it is dead-lettered and the projection goes on', async () => {
  await rate(3, () => 5);
  await pools.owner.query(
    `INSERT INTO events (event_id, stream_id, stream_version, type, version, data, metadata, unit_id, occurred_at)
     VALUES (gen_random_uuid(), 'rating-poison', 1, 'RatingSubmitted', 1, '{"ratingId":"poison","score":9}', '{"actor":"x","correlationId":"x","causationId":null}', 'ft', now())`,
  );
  await rate(2, () => 1, '2026-10-21T10:00:00+08:00', 'after');
  const c = consumer();
  await c.start();
  await c.caughtUp();
  await c.stop();
  expect(await counts('unit:sz', 'day', '2026-10-21')).toEqual([2, 0, 0, 0, 3]);
  const { rows } = await pools.app.query('SELECT type, error FROM dead_letters');
  expect(rows).toHaveLength(1);
  expect(rows[0].error).toMatch(/schema/);
  expect(c.status().lastError).toBeNull();
});

it('when a rating is voided, then it stops counting in every scope and period', async () => {
  await rate(3, () => 2);
  await store.append('rating-r0', 1, [events.voided({ id: 'r0', windowId: 'w1', unitId: 'ft', officerId: 'o1', score: 2, at: '2026-10-21T10:00:00+08:00' })]);
  const c = consumer();
  await c.start();
  await c.caughtUp();
  await c.stop();
  for (const scope of ['unit:sz', 'unit:ft', 'window:w1', 'officer:o1']) expect(await counts(scope, 'month', '2026-10')).toEqual([0, 2, 0, 0, 0]);
});

it('when the read model is rebuilt while ratings keep arriving, then it equals the live one, with progress shown', async () => {
  const live = consumer();
  await live.start();
  await rate(200, (i) => (i % 5) + 1, '2025-12-31T23:59:59+08:00', 'a');
  await rate(200, (i) => ((i * 7) % 5) + 1, '2026-01-01T00:00:00+08:00', 'b');
  await store.append('rating-a0', 1, [events.voided({ id: 'a0', windowId: 'w1', unitId: 'ft', officerId: 'o1', score: 1, at: '2025-12-31T23:59:59+08:00' })]);
  await live.caughtUp();
  const before = await nonZero();

  const progress: RebuildProgress[] = [];
  const writing = rate(100, () => 3, '2026-03-01T08:00:00+08:00', 'during');
  const result = await rebuild((p) => progress.push(p));
  await writing;
  await live.caughtUp();
  await live.stop();
  expect(result.events).toBeGreaterThanOrEqual(405);
  expect(progress.at(-1)?.phase).toBe('done');
  expect(progress.some((p) => p.phase === 'reading')).toBe(true);

  // Every rating, including those written during the rebuild, counted exactly once.
  expect(await counts('unit:sz', 'year', '2025')).toEqual([39, 40, 40, 40, 40]);
  expect(await counts('unit:sz', 'month', '2026-03')).toEqual([0, 0, 100, 0, 0]);
  const after = await nonZero();
  expect(after.filter((r) => !r.includes('2026-03') && !r.includes('2026-Q1') && !r.includes('"2026"') && !r.includes('2026-W09'))).toEqual(
    before.filter((r) => !r.includes('2026-03') && !r.includes('2026-Q1') && !r.includes('"2026"') && !r.includes('2026-W09')),
  );

  // And a second rebuild from scratch reaches the very same numbers.
  await rebuild();
  expect(await nonZero()).toEqual(after);
});
