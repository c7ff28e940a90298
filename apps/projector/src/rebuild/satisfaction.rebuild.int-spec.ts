// The satisfaction rebuild's two ways on real PostgreSQL — its bulk step aggregating in the database (the default)
// and applying every event through the projection (the reference, as the live consumer does) — give the live
// projection's cells, label for label, on a log made to be awkward: a zone with daylight saving, answers on the
// edges of days, ISO weeks and years, officers and none, voids, a unit the log never registered, and two channels,
// one of them without windows (complaint callbacks). Where the database cannot cut days as the live projection
// does, or an event breaks its schema, the bulk step declines, every event is applied, and they still agree.
import { EventStore, type NewEvent } from '@minyi/event-store';
import { PostgresLogConsumer, type ProjectionDeps } from '@minyi/messaging';
import { SATISFACTION_SOURCES } from '@minyi/minyi';
import type { TestPools as Pools } from '@minyi/testing';
import { events, mulberry32, useTestStore } from '@minyi/testing';
import { complaintCallback, opinionRating } from '../../test/answers.js';
import { SatisfactionProjection, satisfactionProjection } from '../satisfaction/satisfaction.projection.js';
import { rebuildProjection, type RebuildMethod, type RebuildProgress } from './rebuild-projection.js';

const TZ = 'Europe/Berlin';
let url: string;
let pools: Pools;
let store: EventStore;

useTestStore((t) => ({ pools, store, url } = t));

const WINDOWS = [
  { id: 'w-mitte-1', unit: 'mitte' },
  { id: 'w-mitte-2', unit: 'mitte' },
  { id: 'w-kreuzberg', unit: 'kreuzberg' },
  { id: 'w-hq', unit: 'berlin' },
  { id: 'w-ghost', unit: 'ghost' }, // its unit was never registered: it counts under itself alone
];
const OFFICERS = ['o-schmidt', 'o-weber'];
// Instants on the edges that a day cut in the wrong zone, or a week or year labelled the calendar way, gets wrong.
const EDGES = [
  '2025-03-30T00:59:59Z', // 01:59:59 CET, the last second before summer time
  '2025-03-30T01:00:00Z', // 03:00:00 CEST
  '2025-03-29T22:59:59Z', // 23:59:59 on the 29th
  '2025-03-29T23:00:00Z', // midnight, the 30th
  '2025-10-26T00:30:00Z', // 02:30 CEST, the first of the two 02:30s
  '2025-10-26T01:30:00Z', // 02:30 CET, the second
  '2025-10-25T21:59:59Z', // 23:59:59 CEST
  '2025-10-25T22:00:00Z', // midnight CEST: the 26th
  '2024-12-29T23:00:00Z', // Monday 2024-12-30, ISO week 2025-W01, calendar year 2024
  '2026-12-31T22:59:59Z', // Thursday 2026-12-31 23:59:59, week 2026-W53
  '2027-01-01T00:00:00Z', // 01:00 on 2027-01-01, still in 2026-W53
  '2024-02-29T11:00:00Z', // a leap day
];

async function awkwardLog(): Promise<void> {
  await store.append('unit-berlin', 0, [events.unit('berlin', null)]);
  await store.append('unit-mitte', 0, [events.unit('mitte', 'berlin')]);
  await store.append('unit-kreuzberg', 0, [events.unit('kreuzberg', 'berlin')]);
  for (const w of WINDOWS) await store.append(`window-${w.id}`, 0, [events.window(w.id, w.unit)]);
  for (const o of OFFICERS) await store.append(`officer-${o}`, 0, [events.officer(o, 'mitte')]);
  const random = mulberry32(20251026);
  const ratings: { id: string; windowId: string; unitId: string; officerId?: string; score: number; at: string }[] = [];
  const from = Date.parse('2024-01-01T00:00:00Z');
  const to = Date.parse('2027-01-02T00:00:00Z');
  for (let i = 0; i < 1_500; i++) {
    const w = WINDOWS[Math.floor(random() * WINDOWS.length)];
    const officerId = w.unit === 'mitte' && random() < 0.6 ? OFFICERS[Math.floor(random() * OFFICERS.length)] : undefined;
    const at = i < EDGES.length * 6 ? EDGES[i % EDGES.length] : new Date(from + Math.floor(random() * (to - from))).toISOString();
    ratings.push({ id: `r${i}`, windowId: w.id, unitId: w.unit, officerId, score: 1 + Math.floor(random() * 5), at });
  }
  // Appended concurrently, many per transaction, as terminals do.
  for (let i = 0; i < ratings.length; i += 100) {
    await Promise.all(ratings.slice(i, i + 100).map((r) => store.append(`rating-${r.id}`, 0, [events.rating(r)])));
  }
  // Every seventh rating is voided, including ratings on the edges.
  for (const r of ratings.filter((_, i) => i % 7 === 0)) await store.append(`rating-${r.id}`, 1, [events.voided(r)]);
}

const CALLBACK_UNITS = ['mitte', 'kreuzberg', 'berlin', 'ghost'];
/** Complaint callbacks (no window, no officer) on the same edges, some complaints called back twice (after a reopen). */
async function callbacks(n = 400): Promise<void> {
  const random = mulberry32(12345);
  const from = Date.parse('2024-01-01T00:00:00Z');
  const to = Date.parse('2027-01-02T00:00:00Z');
  const all: NewEvent[][] = [];
  for (let i = 0; i < n; i++) {
    const unitId = CALLBACK_UNITS[Math.floor(random() * CALLBACK_UNITS.length)];
    const at = i < EDGES.length * 2 ? EDGES[i % EDGES.length] : new Date(from + Math.floor(random() * (to - from))).toISOString();
    const first = complaintCallback({ id: `c${i}`, unitId, score: 1 + Math.floor(random() * 5), at, stepId: 'cb1' });
    // A reopen does not take an earlier callback back; the second one counts too (at the unit it was escalated to).
    all.push(i % 9 === 0 ? [first, complaintCallback({ id: `c${i}`, unitId: 'berlin', score: 1 + Math.floor(random() * 5), at: new Date(Date.parse(at) + 3_600_000).toISOString(), stepId: 'cb2' })] : [first]);
  }
  for (let i = 0; i < all.length; i += 100) await Promise.all(all.slice(i, i + 100).map((list, j) => store.append(`complaint-c${i + j}`, 0, list)));
}

async function cells(): Promise<string[]> {
  const { rows } = await pools.app.query(
    `SELECT scope, granularity, period, channel, n1, n2, n3, n4, n5 FROM rm_satisfaction
     WHERE (n1, n2, n3, n4, n5) <> (0, 0, 0, 0, 0) ORDER BY scope, granularity, period, channel`,
  );
  return rows.map((r) => JSON.stringify(r));
}

async function organisation(): Promise<string[]> {
  const { rows } = await pools.app.query(
    `SELECT 'unit' AS kind, unit_id AS id, path FROM rm_units UNION ALL SELECT 'window', window_id, path FROM rm_windows
     UNION ALL SELECT 'officer', officer_id, path FROM rm_officers ORDER BY 1, 2`,
  );
  return rows.map((r) => JSON.stringify(r));
}

async function liveCells(): Promise<{ cells: string[]; organisation: string[] }> {
  const live = new PostgresLogConsumer(pools.app, store, new SatisfactionProjection({ timeZone: TZ, store, sources: SATISFACTION_SOURCES }), { idlePollMs: 10, listenUrl: url });
  await live.start();
  await live.caughtUp();
  await live.stop();
  return { cells: await cells(), organisation: await organisation() };
}

async function rebuilt(method: RebuildMethod, eventsPerPart?: number) {
  const progress: RebuildProgress[] = [];
  const deps: ProjectionDeps = { pool: pools.owner, store, timeZone: TZ, satisfactionSources: SATISFACTION_SOURCES, config: {} };
  const result = await rebuildProjection(satisfactionProjection, deps, { method, bulk: { eventsPerPart }, onProgress: (p) => progress.push(p) });
  return { result, progress, cells: await cells(), organisation: await organisation() };
}

it('when the log is awkward, then the database rebuild and applying every event both give exactly the live cells', async () => {
  await awkwardLog();
  const live = await liveCells();
  expect(live.cells.length).toBeGreaterThan(2_000);
  // The edges landed where a Berlin clock puts them.
  expect(live.cells.some((c) => c.includes('"window:w-ghost"'))).toBe(true);
  expect(live.cells.some((c) => c.includes('"unit:ghost"'))).toBe(true);
  expect(live.cells.some((c) => c.includes('"period":"2026-W53"'))).toBe(true);

  const database = await rebuilt('bulk');
  expect(database.result.method).toBe('bulk');
  expect(database.cells).toEqual(live.cells);
  expect(database.organisation).toEqual(live.organisation);

  const applied = await rebuilt('apply');
  expect(applied.result.method).toBe('apply');
  expect(applied.cells).toEqual(live.cells);
  expect(applied.result.events).toBe(database.result.events);
  // 3 units + 5 windows + 2 officers + 1,500 ratings + 215 voids.
  expect(database.result.events).toBe(3 + 5 + 2 + 1_500 + Math.ceil(1_500 / 7));
  expect(database.result.details.cells).toBe(live.cells.length);
});

it('when two channels answer, one without windows (complaint callbacks), then both ways give the live cells, and no window scope comes of them', async () => {
  await awkwardLog();
  await callbacks();
  const live = await liveCells();
  const complaints = live.cells.filter((c) => c.includes('"channel":"complaints"'));
  expect(complaints.length).toBeGreaterThan(500);
  // Callbacks count at unit scopes only, the unit never registered under itself alone.
  expect(complaints.every((c) => c.includes('"scope":"unit:'))).toBe(true);
  expect(complaints.some((c) => c.includes('"scope":"unit:ghost"'))).toBe(true);
  expect(live.cells.some((c) => c.includes('"scope":"window:') && c.includes('"complaints"'))).toBe(false);
  // 400 callbacks and 45 second ones (after a reopen), each once, under the root or the unit it never registered.
  const years = complaints.filter((c) => /"scope":"unit:(berlin|ghost)","granularity":"year"/.test(c)).map((c) => JSON.parse(c));
  expect(years.reduce((n, r) => n + r.n1 + r.n2 + r.n3 + r.n4 + r.n5, 0)).toBe(400 + 45);

  const database = await rebuilt('bulk');
  expect(database.result.method).toBe('bulk');
  expect(database.cells).toEqual(live.cells);
  const applied = await rebuilt('apply');
  expect(applied.cells).toEqual(live.cells);
  expect(database.result.events).toBe(applied.result.events);
  expect(database.result.events).toBe(3 + 5 + 2 + 1_500 + Math.ceil(1_500 / 7) + 400 + 45);
});

it('when residents rate opinions’ answers (channel visits, a source of the visits context), then both ways give the live cells, at unit scopes only', async () => {
  await awkwardLog();
  const random = mulberry32(777);
  const ratings = Array.from({ length: 300 }, (_, i) =>
    opinionRating({ id: `op${i}`, unitId: CALLBACK_UNITS[Math.floor(random() * CALLBACK_UNITS.length)], score: 1 + Math.floor(random() * 5), at: i < EDGES.length ? EDGES[i] : new Date(Date.parse('2025-01-01T00:00:00Z') + Math.floor(random() * 500 * 86_400_000)).toISOString() }),
  );
  for (let i = 0; i < ratings.length; i += 100) await Promise.all(ratings.slice(i, i + 100).map((e, j) => store.append(`opinion-op${i + j}`, 0, [e])));
  const live = await liveCells();
  const visits = live.cells.filter((c) => c.includes('"channel":"visits"'));
  expect(visits.length).toBeGreaterThan(300);
  expect(visits.every((c) => c.includes('"scope":"unit:'))).toBe(true);
  const years = visits.filter((c) => c.includes('"granularity":"year"') && c.includes('"scope":"unit:berlin"')).map((c) => JSON.parse(c));
  const outsideBerlin = visits.filter((c) => c.includes('"granularity":"year"') && c.includes('"scope":"unit:ghost"')).map((c) => JSON.parse(c));
  const sum = (rows: { n1: number; n2: number; n3: number; n4: number; n5: number }[]) => rows.reduce((n, r) => n + r.n1 + r.n2 + r.n3 + r.n4 + r.n5, 0);
  expect(sum(years) + sum(outsideBerlin)).toBe(300);
  const database = await rebuilt('bulk');
  expect(database.result.method).toBe('bulk');
  expect(database.cells).toEqual(live.cells);
  expect((await rebuilt('apply')).cells).toEqual(live.cells);
});

it('when a large log is aggregated in parts, then progress rises part by part and the cells are still the live ones', async () => {
  await awkwardLog();
  const live = await liveCells();
  await pools.owner.query('ANALYZE events'); // the planner's row count is what sizes the parts
  const r = await rebuilt('bulk', 300);
  expect(r.result.method).toBe('bulk');
  expect(r.cells).toEqual(live.cells);
  const reading = r.progress.filter((p) => p.phase === 'reading').map((p) => p.done);
  expect(reading.length).toBeGreaterThanOrEqual(6); // 1,700-odd events in parts of 300
  expect(reading).toEqual([...reading].sort((x, y) => x - y));
  expect(new Set(reading).size).toBeGreaterThanOrEqual(6);
});

it('when ratings lie on the first day imports accept (1900-01-01), then the database still cuts their days as the live projection does', async () => {
  await awkwardLog();
  await store.append('rating-1900', 0, [events.rating({ id: '1900', windowId: 'w-hq', unitId: 'berlin', score: 2, at: '1900-01-01T00:00:00Z' })]);
  await store.append('rating-1949', 0, [events.rating({ id: '1949', windowId: 'w-hq', unitId: 'berlin', score: 4, at: '1949-06-01T10:00:00Z' })]);
  const live = await liveCells();
  expect(live.cells).toContain(JSON.stringify({ scope: 'unit:berlin', granularity: 'year', period: '1900', channel: 'ratings', n1: 0, n2: 1, n3: 0, n4: 0, n5: 0 }));
  const r = await rebuilt('bulk');
  expect(r.result.method).toBe('bulk');
  expect(r.result.declined).toBe(false);
  expect(r.cells).toEqual(live.cells);
});

it('when a rating lies where the database cannot cut its day (before 1900), then the rebuild applies every event instead and still agrees', async () => {
  await awkwardLog();
  await store.append('rating-old', 0, [events.rating({ id: 'old', windowId: 'w-hq', unitId: 'berlin', score: 2, at: '1885-06-01T10:00:00Z' })]);
  const live = await liveCells();
  expect(live.cells).toContain(JSON.stringify({ scope: 'unit:berlin', granularity: 'year', period: '1885', channel: 'ratings', n1: 0, n2: 1, n3: 0, n4: 0, n5: 0 }));
  const r = await rebuilt('bulk');
  expect(r.result.method).toBe('apply');
  expect(r.result.declined).toBe(true);
  expect(r.cells).toEqual(live.cells);
});

it('when an event breaks its schema (written around the event store), then both ways leave it out, as the live projection does', async () => {
  await awkwardLog();
  const poison: NewEvent = { ...events.rating({ id: 'poison', windowId: 'w-hq', unitId: 'berlin', score: 3, at: '2025-05-01T10:00:00Z' }) };
  await pools.owner.query(
    `INSERT INTO events (event_id, stream_id, stream_version, type, version, data, metadata, unit_id, occurred_at)
     VALUES (gen_random_uuid(), 'rating-poison', 1, 'RatingSubmitted', 1, $1, $2, 'berlin', $3)`,
    [JSON.stringify({ ratingId: 'poison', score: 3 }), JSON.stringify(poison.metadata), poison.occurredAt],
  );
  const live = await liveCells();
  const { rows } = await pools.app.query('SELECT count(*)::int AS n FROM dead_letters');
  expect(rows[0].n).toBe(1);
  const database = await rebuilt('bulk');
  expect(database.result.method).toBe('apply'); // it declined: an event without its window
  expect(database.result.declined).toBe(true);
  expect(database.cells).toEqual(live.cells);
});
