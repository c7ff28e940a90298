// readAllOf (real PostgreSQL): the window readAll reads — same events, order and limit, gap-safe — of which only the
// types asked for are read out, with how many events it passed over and the last one's place.
import { EventStore } from './event-store.js';
import { LOG_START, type LogEvent, type LogPosition } from './types.js';
import type { TestPools as Pools } from '@minyi/testing';
import { events, mulberry32, useTestStore } from '@minyi/testing';

let pools: Pools;
let store: EventStore;
useTestStore((t) => ({ pools, store } = t));

const rating = (id: string) => events.rating({ id, windowId: 'w1', unitId: 'u1', score: 4, at: '2026-10-21T10:00:00+08:00' });
const place = (e: LogEvent): LogPosition => ({ transactionId: e.transactionId, globalPosition: e.globalPosition });

/** Sparse and dense stretches of ratings among units, some of several events per commit, in a seeded order. */
async function mixedLog(): Promise<void> {
  const random = mulberry32(20261201);
  let unit = 0;
  let n = 0;
  for (const [kind, length] of [['unit', 9], ['rating', 14], ['unit', 23], ['rating', 1], ['unit', 6], ['rating', 30], ['unit', 1]] as const) {
    for (let i = 0; i < length; ) {
      const size = Math.min(length - i, 1 + Math.floor(random() * 3));
      await Promise.all(
        Array.from({ length: size }, () => (kind === 'unit' ? store.append(`unit-x${++unit}`, 0, [events.unit(`x${unit}`, null)]) : store.append(`rating-r${++n}`, 0, [rating(`r${n}`)]))),
      );
      i += size;
    }
  }
}

it('when the log is read by type from every place with every limit, then it is readAll’s window with only those types read out', async () => {
  await mixedLog();
  // Once no older transaction anywhere in the cluster (another test file's) runs, the whole log is visible, and stays so.
  let all = await store.readAll(LOG_START, 1000);
  for (const deadline = Date.now() + 30_000; all.length < 84 && Date.now() < deadline; all = await store.readAll(LOG_START, 1000)) {
    await new Promise((r) => setTimeout(r, 10));
  }
  expect(all).toHaveLength(84);
  for (const [types, metadata] of [[['RatingSubmitted'], true], [['UnitRegistered', 'ComplaintFiled'], false], [['CalendarYearSet'], false]] as const) {
    for (const limit of [1, 2, 7, 50, 1000]) {
      for (const after of [LOG_START, ...all.map(place)]) {
        const window = await store.readAll(after, limit, undefined, { metadata });
        const typed = await store.readAllOf(after, limit, types, { metadata });
        expect(typed.events).toEqual(window.filter((e) => (types as readonly string[]).includes(e.type)));
        expect(typed.read).toBe(window.length);
        expect(typed.last).toEqual(window.length ? { ...place(window.at(-1)!), recordedAt: window.at(-1)!.recordedAt } : null);
      }
    }
  }
});

it('when an older transaction is still open, then a read by type neither hands over nor passes the events committed after it', async () => {
  await store.append('unit-u1', 0, [events.unit('u1', null)]);
  // The start is u1's place, once it is visible (another test file's older transaction in the cluster may hold it back).
  let before = await store.readAll(LOG_START, 10);
  for (const deadline = Date.now() + 30_000; before.at(-1)?.streamId !== 'unit-u1' && Date.now() < deadline; before = await store.readAll(LOG_START, 10)) {
    await new Promise((r) => setTimeout(r, 10));
  }
  expect(before.at(-1)?.streamId).toBe('unit-u1');
  const start = place(before.at(-1)!);
  const slow = await pools.app.connect();
  try {
    await slow.query('BEGIN');
    await slow.query(
      `INSERT INTO events (event_id, stream_id, stream_version, type, version, data, metadata, unit_id, occurred_at)
       VALUES (gen_random_uuid(), 'unit-slow', 1, 'UnitRegistered', 1, '{"unitId":"slow","name":"s","parentId":null,"kind":"k"}', '{"actor":"t","correlationId":"c","causationId":null}', 'slow', now())`,
    );
    await store.append('rating-fast', 0, [rating('fast')]);
    await store.append('unit-fast', 0, [events.unit('fast', null)]);
    const whileOpen = await store.readAllOf(start, 100, ['RatingSubmitted']);
    expect(whileOpen).toEqual({ events: [], read: 0, last: null });
    await slow.query('COMMIT');
  } finally {
    slow.release();
  }
  // All three become visible once no older transaction anywhere in the cluster is still running.
  let seen = await store.readAllOf(start, 100, ['RatingSubmitted']);
  for (const deadline = Date.now() + 30_000; seen.read < 3 && Date.now() < deadline; seen = await store.readAllOf(start, 100, ['RatingSubmitted'])) {
    await new Promise((r) => setTimeout(r, 10));
  }
  expect(seen.events.map((e) => e.streamId)).toEqual(['rating-fast']);
  expect(seen.read).toBe(3);
  const { rows } = await pools.owner.query<{ g: string }>(`SELECT global_position::text AS g FROM events WHERE stream_id = 'unit-fast'`);
  expect(seen.last?.globalPosition).toBe(Number(rows[0].g));
});
