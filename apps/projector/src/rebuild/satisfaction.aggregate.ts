// A rebuild's bulk step done where the events are: PostgreSQL aggregates every rating event up to a cut
// of the log into the new satisfaction table, so that a million events never travel to Node one by one.
// Local days are cut with the zone offsets the live projection's PeriodCutter uses (passed in as segments)
// and labelled by the same code, so the rebuilt cells are the live ones, label for label.
import type { Pool, PoolClient, QueryResult } from 'pg';
import { RatingSubmitted, RatingVoided } from '@minyi/contracts';
import { LOG_START, type LogPosition } from '@minyi/event-store';
import { labelsOfDay, type PeriodCutter } from '@minyi/indices';
import { RATINGS_CHANNEL } from '../satisfaction/satisfaction.fold.js';
import type { SatisfactionTables } from '../satisfaction/satisfaction.writer.js';

/** The events a rebuild takes in bulk: those of transactions older than any still running. */
export interface LogCut {
  /** pg_snapshot_xmin at the cut: every transaction below it has ended, so the set below it is fixed. */
  xmin: string;
  /** The last event below the cut in log order: where the live tail is read from afterwards. */
  last: LogPosition;
}

export async function cutLog(client: PoolClient): Promise<LogCut> {
  const { rows } = await client.query<{ xmin: string; transaction_id: string | null; global_position: string | null }>(
    `SELECT c.xmin::text AS xmin, e.transaction_id::text AS transaction_id, e.global_position::text AS global_position
     FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin) c
     LEFT JOIN LATERAL (
       SELECT transaction_id, global_position FROM events WHERE transaction_id < c.xmin
       ORDER BY transaction_id DESC, global_position DESC LIMIT 1
     ) e ON true`,
  );
  const r = rows[0];
  return {
    xmin: r.xmin,
    last: r.transaction_id === null ? LOG_START : { transactionId: r.transaction_id, globalPosition: Number(r.global_position) },
  };
}

/** Staging tables of one rebuild (unlogged: they are rebuilt, never recovered). */
const DAYS = 'rm_rebuild_days';
const CALENDAR = 'rm_rebuild_calendar';
const VOIDS = 'rm_rebuild_voids';
const MS_PER_DAY = 86_400_000;
// Ratings are refused before 1990 and more than 5 minutes ahead of the clock; the segments cover that with
// a wide margin (each year costs ~3 ms to work out). An event outside (written around the event store)
// makes the aggregation decline, and the rebuild folds.
const EARLIEST_MS = Date.UTC(1989, 11, 30);
const FUTURE_MARGIN_MS = 3 * 366 * MS_PER_DAY;

export interface AggregateResult {
  /** Rating events aggregated. */
  events: number;
  cells: number;
  /** Seconds: the passes over the log (with the voids), then the roll-up into every scope and period. */
  passSeconds: number;
  rollUpSeconds: number;
}

export interface AggregateOptions {
  /** Roughly how many events the log holds (for progress and for cutting the passes into parts). */
  estimatedEvents?: number;
  /**
   * Above this many events the passes go through the log in parts of about this size, reporting progress
   * after each; a part's groups are merged with the others' in the roll-up (on a 1M log, one part).
   */
  eventsPerPart?: number;
  onProgress?: (done: number, total: number) => void;
  now?: number;
}

/**
 * Fills `tables.satisfaction` (empty, without its key) with the level counts of every rating event below
 * the cut. Needs `tables.units` already written (unit paths). Returns null, having written nothing, when
 * some event lies outside the time range the zone segments cover.
 */
export async function aggregateRatings(
  pool: Pool,
  tables: SatisfactionTables,
  cutter: PeriodCutter,
  cut: LogCut,
  unitsReady: Promise<void>,
  options: AggregateOptions = {},
): Promise<AggregateResult | null> {
  const now = options.now ?? Date.now();
  const estimated = Math.max(0, options.estimatedEvents ?? 0);
  const eventsPerPart = options.eventsPerPart ?? 2_000_000;
  const endMs = now + FUTURE_MARGIN_MS;
  const segments = cutter.offsetSegments(EARLIEST_MS, endMs);
  const [a, b] = [await pool.connect(), await pool.connect()];
  try {
    for (const c of [a, b]) await c.query(`SET work_mem = '256MB'; SET maintenance_work_mem = '256MB'; SET TimeZone = 'UTC'`);
    // Left over by a rebuild that was killed.
    await a.query(`DROP TABLE IF EXISTS ${DAYS}, ${VOIDS}, ${CALENDAR}`);
    // 1. The log, aggregated by local day: level counts per window, per officer and per unit. Two
    // connections read it at once (a core each): one groups by window, the other by officer and by unit —
    // disjoint groups, so nothing needs merging. Voids (rare) are aggregated apart and then added to the
    // groups of the ratings they take back, so that the two big passes stay as plain as possible.
    const submitted = localDay('e.occurred_at', segments, endMs);
    const voided = localDay(`(r->>'occurredAt')::timestamptz`, segments, endMs);
    const columns = `(kind char(1) NOT NULL, id text, day int, levels bigint NOT NULL, events bigint NOT NULL)`;
    await a.query(`CREATE UNLOGGED TABLE ${DAYS} ${columns}; CREATE UNLOGGED TABLE ${VOIDS} ${columns}`);
    const packed = (score: string, sign: string) =>
      `sum(CASE WHEN ${score} BETWEEN 1 AND 5 THEN ${sign}1::int8 << (${LEVEL_BITS} * (${score} - 1)) ELSE 0 END)::bigint`;
    const byWindow = { kind: `'w'`, id: 'window_id', groups: 'window_id, day' };
    const byOfficerAndUnit = {
      kind: `CASE WHEN GROUPING(officer_id) = 0 THEN 'o' ELSE 'u' END`,
      id: 'CASE WHEN GROUPING(officer_id) = 0 THEN officer_id ELSE unit_id END',
      groups: 'GROUPING SETS ((officer_id, day), (unit_id, day))',
    };
    const ratings = (c: PoolClient, g: typeof byWindow, [from, to]: [number, number]) =>
      c.query(
        `INSERT INTO ${DAYS}
         SELECT ${g.kind}, ${g.id}, day, ${packed('s', '')}, count(*)
         FROM (SELECT e.data->>'unitId' AS unit_id, e.data->>'windowId' AS window_id, e.data->>'officerId' AS officer_id,
                      (e.data->>'score')::int AS s, ${submitted} AS day
               FROM events e WHERE e.type = $2 AND e.transaction_id < $1::xid8 AND e.global_position >= $3 AND e.global_position < $4) r
         GROUP BY ${g.groups}`,
        [cut.xmin, RatingSubmitted.type, from, to],
      );
    // The parts: ranges of log positions (the log is stored in position order, so each part reads its own pages).
    const { rows: bounds } = await a.query<{ lo: string | null; hi: string | null }>(`SELECT min(global_position)::text AS lo, max(global_position)::text AS hi FROM events`);
    const lo = Number(bounds[0].lo ?? 0);
    const hi = Number(bounds[0].hi ?? 0) + 1;
    const partCount = Math.max(1, Math.ceil(estimated / eventsPerPart));
    const parts = Array.from({ length: partCount }, (_, i): [number, number] => [
      lo + Math.floor(((hi - lo) * i) / partCount),
      i === partCount - 1 ? hi : lo + Math.floor(((hi - lo) * (i + 1)) / partCount),
    ]);
    const merged = partCount > 1;
    const partsDone = [0, 0];
    const started = performance.now();
    const onParts = async (c: PoolClient, g: typeof byWindow, side: number) => {
      for (let i = 0; i < parts.length; i++) {
        await ratings(c, g, parts[i]);
        partsDone[side] = i + 1;
        options.onProgress?.(Math.round((estimated * Math.min(...partsDone)) / partCount), estimated);
      }
    };
    const passes = await Promise.allSettled([
      // Every rating has its window, so the window groups name every day: the calendar is made from them
      // while the other connection is still counting.
      onParts(a, byWindow, 0).then(() => writeCalendar(a)),
      onParts(b, byOfficerAndUnit, 1).then(() =>
        b.query(
          `INSERT INTO ${VOIDS}
           SELECT CASE WHEN GROUPING(window_id) = 0 THEN 'w' WHEN GROUPING(officer_id) = 0 THEN 'o' ELSE 'u' END,
                  CASE WHEN GROUPING(window_id) = 0 THEN window_id WHEN GROUPING(officer_id) = 0 THEN officer_id ELSE unit_id END,
                  day, ${packed('s', '-')}, count(*)
           FROM (SELECT r->>'unitId' AS unit_id, r->>'windowId' AS window_id, r->>'officerId' AS officer_id, (r->>'score')::int AS s, ${voided} AS day
                 FROM events e CROSS JOIN LATERAL (SELECT e.data->'rating') AS x(r)
                 WHERE e.type = $2 AND e.transaction_id < $1::xid8) v
           GROUP BY GROUPING SETS ((window_id, day), (officer_id, day), (unit_id, day))`,
          [cut.xmin, RatingVoided.type],
        ),
      ),
    ]);
    const failure = passes.find((p) => p.status === 'rejected')?.reason as { code?: string } | undefined;
    if (failure) {
      // A data exception (a score that is no number, a time that is no time): an event the event store's
      // validation would have refused. Only the fold, which validates each event, can tell what counts.
      if (String(failure.code).startsWith('22')) return null;
      throw failure;
    }
    const voidGroups = (passes[1] as PromiseFulfilledResult<QueryResult>).value.rowCount ?? 0;
    if (voidGroups > 0) {
      // Every void group has its ratings' group (the void carries the rating's own facts); if one had not,
      // the log would hold a void of a rating it lacks, and only the fold could say what that counts as.
      const sameGroup = `d.kind = v.kind AND coalesce(d.id, '') = coalesce(v.id, '') AND coalesce(d.day, -1) = coalesce(v.day, -1)`;
      if (merged) {
        // Parts' groups are merged in the roll-up anyway: the voids join them there.
        const { rows: orphans } = await a.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${VOIDS} v WHERE NOT EXISTS (SELECT 1 FROM ${DAYS} d WHERE ${sameGroup})`);
        if (Number(orphans[0].n) > 0) return null;
        await a.query(`INSERT INTO ${DAYS} SELECT * FROM ${VOIDS}`);
      } else {
        const updated = await a.query(`UPDATE ${DAYS} d SET levels = d.levels + v.levels, events = d.events + v.events FROM ${VOIDS} v WHERE ${sameGroup}`);
        if (updated.rowCount !== voidGroups) return null;
      }
    }
    // One row per (kind, id, day) — merged when the passes went in parts.
    const groups = merged
      ? `(SELECT kind, id, day, sum(levels)::bigint AS levels, sum(events)::bigint AS events FROM ${DAYS} GROUP BY kind, id, day)`
      : DAYS;
    const { rows: summary } = await a.query<{ events: string; outside: string; largest: string }>(
      `SELECT coalesce(sum(events) FILTER (WHERE kind = 'w'), 0)::text AS events,
              count(*) FILTER (WHERE day IS NULL OR (id IS NULL AND kind <> 'o'))::text AS outside,
              coalesce(max(events), 0)::text AS largest FROM ${groups} g`,
    );
    // Declines (the caller folds instead) when some event lies outside the zone segments or lacks its window
    // or unit (it broke its schema), or when a cell holds so many events that a level's count might not fit
    // its bits (never seen: 4,095 at one window on one day).
    if (Number(summary[0].outside) > 0 || Number(summary[0].largest) > LEVEL_MAX) return null;
    const events = Number(summary[0].events);

    const passSeconds = (performance.now() - started) / 1000;
    await unitsReady;

    // 2. Scopes × periods, written by two connections at once: days on one, weeks to years on the other.
    const levels = LEVELS.map((n) => `((levels >> ${LEVEL_BITS * (n - 1)}) & ${LEVEL_MAX})::int AS n${n}`).join(', ');
    const sums = LEVELS.map((n) => `sum(n${n})::int AS n${n}`).join(', ');
    const scopeDays = `(
      SELECT CASE kind WHEN 'w' THEN 'window:' ELSE 'officer:' END || id AS scope, day, ${levels}
      FROM ${groups} g WHERE kind = 'w' OR (kind = 'o' AND id IS NOT NULL)
      UNION ALL
      SELECT 'unit:' || p.unit_id, d.day, ${sums}
      FROM (SELECT id AS unit_id, day, ${levels} FROM ${groups} g WHERE kind = 'u') d
      LEFT JOIN ${tables.units} u USING (unit_id)
      CROSS JOIN LATERAL unnest(coalesce(u.path, ARRAY[d.unit_id])) AS p(unit_id)
      GROUP BY p.unit_id, d.day
    ) s JOIN ${CALENDAR} c USING (day)`;
    const into = `INSERT INTO ${tables.satisfaction} (scope, granularity, period, channel, n1, n2, n3, n4, n5)`;
    const channel = `'${RATINGS_CHANNEL}'`;
    const rollUpStarted = performance.now();
    const written = await Promise.all([
      a.query(
        `${into} SELECT s.scope, 'day', c.d, ${channel}, s.n1, s.n2, s.n3, s.n4, s.n5 FROM ${scopeDays}
         WHERE (s.n1, s.n2, s.n3, s.n4, s.n5) <> (0, 0, 0, 0, 0)`,
      ),
      // Weeks and months from the days, then quarters and years from the (few) months.
      b.query(
        `WITH wm AS MATERIALIZED (
           SELECT s.scope, c.w, c.m, GROUPING(c.w) = 0 AS is_week, ${sums}
           FROM ${scopeDays} GROUP BY GROUPING SETS ((s.scope, c.w), (s.scope, c.m))
         ), months AS (SELECT DISTINCT m, q, y FROM ${CALENDAR})
         ${into}
         SELECT scope, CASE WHEN is_week THEN 'week' ELSE 'month' END, coalesce(w, m), ${channel}, n1, n2, n3, n4, n5
         FROM wm WHERE (n1, n2, n3, n4, n5) <> (0, 0, 0, 0, 0)
         UNION ALL
         SELECT scope, CASE WHEN GROUPING(q) = 0 THEN 'quarter' ELSE 'year' END, coalesce(q, y), ${channel}, ${sums}
         FROM wm JOIN months USING (m) WHERE NOT is_week
         GROUP BY GROUPING SETS ((scope, q), (scope, y))
         HAVING (sum(n1), sum(n2), sum(n3), sum(n4), sum(n5)) <> (0, 0, 0, 0, 0)`,
      ),
    ]);
    return { events, cells: written.reduce((n, r) => n + (r.rowCount ?? 0), 0), passSeconds, rollUpSeconds: (performance.now() - rollUpStarted) / 1000 };
  } finally {
    await a.query(`DROP TABLE IF EXISTS ${DAYS}, ${VOIDS}, ${CALENDAR}`).catch(() => undefined);
    for (const c of [a, b]) {
      await c.query('RESET ALL').catch(() => undefined);
      c.release();
    }
  }
}

/** The labels of every day that occurs, from the same code as the live projection's. */
async function writeCalendar(c: PoolClient): Promise<void> {
  const { rows: days } = await c.query<{ day: number }>(`SELECT DISTINCT day FROM ${DAYS} WHERE kind = 'w' AND day IS NOT NULL`);
  const labels = days.map((r) => labelsOfDay(r.day));
  await c.query(`CREATE UNLOGGED TABLE ${CALENDAR} (day int PRIMARY KEY, d text NOT NULL, w text NOT NULL, m text NOT NULL, q text NOT NULL, y text NOT NULL)`);
  await c.query(
    `INSERT INTO ${CALENDAR}
     SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS c(day, d, w, m, q, y)`,
    [days.map((r) => r.day), labels.map((l) => l.day), labels.map((l) => l.week), labels.map((l) => l.month), labels.map((l) => l.quarter), labels.map((l) => l.year)],
  );
}

const LEVELS = [1, 2, 3, 4, 5];
/**
 * The five level counts of a cell travel packed in one bigint, 12 bits each (one sum per event instead of
 * five filtered ones: a third less time for the pass over the log). Exact while a (window, officer, unit,
 * day) cell holds at most LEVEL_MAX events, which is checked; counts may pass through negatives (a void),
 * as the packed sum is plain integer arithmetic and each final level count is in 0..LEVEL_MAX.
 */
const LEVEL_BITS = 12;
const LEVEL_MAX = 2 ** LEVEL_BITS - 1;

/**
 * SQL for the local day number (days since 1970-01-01) of a timestamptz expression: the offset is picked
 * from the segments by a balanced tree of comparisons, added to the instant, and the sum floored to a day
 * (the session's TimeZone must be UTC). NULL outside [first segment, endMs).
 */
function localDay(instant: string, segments: { fromMs: number; offsetMs: number }[], endMs: number): string {
  const literal = (ms: number) => `'${new Date(ms).toISOString()}'::timestamptz`;
  const pick = (lo: number, hi: number): string => {
    // segments[lo..hi) apply; segment i runs from its fromMs to the next one's.
    if (hi - lo === 1) return `interval '${segments[lo].offsetMs / 1000} seconds'`;
    const mid = (lo + hi) >> 1;
    return `CASE WHEN ${instant} < ${literal(segments[mid].fromMs)} THEN ${pick(lo, mid)} ELSE ${pick(mid, hi)} END`;
  };
  return `CASE WHEN ${instant} >= ${literal(segments[0].fromMs)} AND ${instant} < ${literal(endMs)}
    THEN (${instant} + ${pick(0, segments.length)})::date - DATE '1970-01-01' END`;
}
