// Rebuilds the satisfaction read models from the log into new tables beside the live ones, then
// swaps them in with the checkpoint in one short transaction: readers never see a half-built model.
import type { Pool, PoolClient } from 'pg';
import { eventCatalog, streamIds } from '@minyi/contracts';
import { EventStore, LOG_START, type LogEvent, type LogPosition } from '@minyi/event-store';
import { PeriodCutter } from '@minyi/indices';
import { ensureCheckpoint, readCheckpoint, writeCheckpoint } from '@minyi/messaging';
import { SatisfactionFold } from '../satisfaction/satisfaction.fold.js';
import { aggregateRatings, cutLog } from './satisfaction.aggregate.js';
import { SATISFACTION_PROJECTION } from '../satisfaction/satisfaction.projection.js';
import { grantReadModel } from '../satisfaction/satisfaction.migrations.js';
import { LIVE_TABLES, writeCounts, writeOrganisation, type SatisfactionTables } from '../satisfaction/satisfaction.writer.js';

export interface RebuildProgress {
  done: number;
  total: number;
  phase: 'reading' | 'writing' | 'swapping' | 'done';
}

export interface RebuildResult {
  /** Events the satisfaction read models count (ratings and the organisation), up to the swap. */
  events: number;
  cells: number;
  seconds: number;
  /** How the bulk of the log was taken: aggregated in PostgreSQL, or folded in memory (see RebuildOptions). */
  method: RebuildMethod;
  /**
   * Where the time went: waiting for event reads and folding them in memory (the tail, and the whole log
   * when folding), aggregating in the database, writing cells, the swap.
   */
  phases: {
    readWaitSeconds: number;
    foldSeconds: number;
    /** All of the database's part; of it, the passes over the log and the roll-up into the new table. */
    aggregateSeconds: number;
    passSeconds: number;
    rollUpSeconds: number;
    /** Writing cells (folding), then keying and analysing the new table. */
    writeSeconds: number;
    swapSeconds: number;
  };
}

/**
 * `database` (the default): PostgreSQL aggregates the log up to a cut, then the tail is folded; falls back
 * to `fold` when an event lies outside the time range it handles. `fold`: every event is read and folded
 * in memory, as the live projection does (the reference the other is tested against).
 */
export type RebuildMethod = 'database' | 'fold';
export interface RebuildOptions {
  method?: RebuildMethod;
  /** `database`: above this many events the passes go in parts, with progress after each (default 2,000,000). */
  eventsPerPart?: number;
}

const NEXT: SatisfactionTables = {
  units: 'rm_units_next',
  windows: 'rm_windows_next',
  officers: 'rm_officers_next',
  satisfaction: 'rm_satisfaction_next',
};

/**
 * Cells held in memory before they are written out; bounds memory whatever the log's length
 * (about 0.9 KiB per cell with its keys, so ≈ 550 MiB at most; later flushes add to the table by key).
 */
const MAX_CELLS_IN_MEMORY = 600_000;
const READ_BATCH = 20_000;
/** The folds count facts: the events are read without their metadata. */
const WITHOUT_METADATA = { metadata: false } as const;

/**
 * `pool` logs in as the owner of the read models (it creates, renames and drops tables; the application's role
 * may not); the new tables get the application role's privileges before they are swapped in.
 */
export async function rebuildSatisfaction(
  pool: Pool,
  store: EventStore,
  timeZone: string,
  onProgress: (p: RebuildProgress) => void = () => undefined,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const started = Date.now();
  const phases = { readWaitSeconds: 0, foldSeconds: 0, aggregateSeconds: 0, passSeconds: 0, rollUpSeconds: 0, writeSeconds: 0, swapSeconds: 0 };
  const timed = async <T>(phase: keyof typeof phases, work: () => Promise<T> | T): Promise<T> => {
    const t = performance.now();
    try {
      return await work();
    } finally {
      phases[phase] += (performance.now() - t) / 1000;
    }
  };
  const paths = new Map<string, string[]>();
  const cutter = new PeriodCutter(timeZone);
  const fold = new SatisfactionFold(paths, cutter);
  let cells = 0;
  let method: RebuildMethod = options.method ?? 'database';
  // As the live projection does, an event that breaks its schema (only possible by writing around the
  // event store) is left out: live, it is a dead letter.
  const foldValid = (e: LogEvent) => eventCatalog.isValid(e.type, e.version, e.data) && fold.apply(e);

  const client = await pool.connect();
  const reader = await pool.connect();
  try {
    for (const key of Object.keys(NEXT) as (keyof SatisfactionTables)[]) {
      await client.query(`DROP TABLE IF EXISTS ${NEXT[key]}`);
      // The counts table starts bare: a bulk load into it, then its key, beats upserting row by row.
      const copy = key === 'satisfaction' ? 'INCLUDING DEFAULTS' : 'INCLUDING ALL';
      await client.query(`CREATE TABLE ${NEXT[key]} (LIKE ${LIVE_TABLES[key]} ${copy})`);
      // The rebuild runs as the tables' owner; the live projection and analytics get what they had on the old ones.
      await client.query(grantReadModel(NEXT[key]));
    }
    let keyed = false;
    const addKey = async (c: PoolClient) => {
      if (keyed) return;
      await c.query(`ALTER TABLE ${NEXT.satisfaction} ADD PRIMARY KEY (scope, granularity, period, channel)`);
      keyed = true;
    };
    /** Whether the new counts table holds cells: the first write is a plain insert, later ones add by key. */
    let filled = false;
    const flush = (c: PoolClient) => timed('writeSeconds', () => write(c));
    const write = async (c: PoolClient) => {
      await writeOrganisation(c, NEXT, fold);
      if (filled) await addKey(c);
      filled = true;
      cells += (await writeCounts(c, NEXT, fold, false, !keyed)).length;
      fold.clearOrganisation();
      fold.clearCells();
    };

    let at: LogPosition = LOG_START;
    let done = 0;
    /** Folds everything visible after `at`, calling `between` after each read. */
    const drain = async (between: () => Promise<void>) => {
      let next = store.readAll(at, READ_BATCH, reader, WITHOUT_METADATA);
      for (;;) {
        const events = await timed('readWaitSeconds', () => next);
        if (events.length === 0) return;
        at = positionOf(events.at(-1)!);
        // Read the next batch while this one is folded.
        next = events.length === READ_BATCH ? store.readAll(at, READ_BATCH, reader, WITHOUT_METADATA) : Promise.resolve([]);
        await timed('foldSeconds', () => events.forEach((e) => foldValid(e) && (done += 1)));
        await between();
      }
    };
    if (method === 'database') {
      // The organisation (a few thousand events at most) is folded here while PostgreSQL aggregates the ratings.
      const cut = await cutLog(client);
      const total = await estimatedEvents(client);
      onProgress({ done: 0, total, phase: 'reading' });
      const organisation = (async () => {
        const events = await store.readCategories([streamIds.unit(''), streamIds.window(''), streamIds.officer('')], cut.xmin, reader);
        for (const e of events) if (foldValid(e)) done += 1;
        await writeOrganisation(reader, NEXT, fold);
        fold.clearOrganisation();
      })();
      organisation.catch(() => undefined); // awaited below; its failure must not go unhandled meanwhile
      const t = performance.now();
      let aggregated: Awaited<ReturnType<typeof aggregateRatings>>;
      try {
        aggregated = await aggregateRatings(pool, NEXT, cutter, cut, organisation, {
          estimatedEvents: total,
          eventsPerPart: options.eventsPerPart,
          onProgress: (d, t) => onProgress({ done: d, total: t, phase: 'reading' }),
        });
      } finally {
        await organisation.catch(() => undefined); // its connection is released only once it is done
      }
      await organisation;
      phases.aggregateSeconds = (performance.now() - t) / 1000;
      if (aggregated) {
        phases.passSeconds = aggregated.passSeconds;
        phases.rollUpSeconds = aggregated.rollUpSeconds;
        done += aggregated.events;
        cells += aggregated.cells;
        at = cut.last;
        filled = true;
        onProgress({ done, total: Math.max(total, done), phase: 'writing' });
      } else {
        // An event outside the range the database can cut into days: fold the whole log instead.
        method = 'fold';
        done = 0;
        paths.clear();
        for (const table of Object.values(NEXT)) await client.query(`TRUNCATE ${table}`);
      }
    }
    if (method === 'fold') {
      const total = await store.countAfter(LOG_START);
      await drain(async () => {
        if (fold.size >= MAX_CELLS_IN_MEMORY) {
          onProgress({ done, total, phase: 'writing' });
          await flush(client);
        }
        onProgress({ done, total: Math.max(total, done), phase: 'reading' });
      });
      onProgress({ done, total: Math.max(total, done), phase: 'writing' });
      await flush(client);
    }
    await timed('writeSeconds', async () => {
      // Indexes are built in parallel where the server allows it.
      await client.query(`SET maintenance_work_mem = '256MB'`);
      await addKey(client);
      await client.query('RESET maintenance_work_mem');
    });
    // Fresh tables have no statistics; without them the first queries after the swap plan badly. A small
    // sample is plenty for the plans these tables get (key lookups), and a tenth of the time.
    await timed('writeSeconds', async () => {
      await client.query('SET default_statistics_target = 10');
      for (const table of Object.values(NEXT)) await client.query(`ANALYZE ${table}`);
      await client.query('RESET default_statistics_target');
    });

    // The swap: hold the live projection's checkpoint, apply what committed meanwhile, rename, move the checkpoint.
    onProgress({ done, total: done, phase: 'swapping' });
    const swapStarted = performance.now();
    await ensureCheckpoint(client, SATISFACTION_PROJECTION);
    await client.query('BEGIN');
    try {
      await readCheckpoint(client, SATISFACTION_PROJECTION, true);
      await drain(async () => undefined);
      await flush(client);
      for (const key of Object.keys(NEXT) as (keyof SatisfactionTables)[]) {
        await client.query(`ALTER TABLE ${LIVE_TABLES[key]} RENAME TO ${LIVE_TABLES[key]}_old`);
        await client.query(`ALTER TABLE ${NEXT[key]} RENAME TO ${LIVE_TABLES[key]}`);
        await client.query(`DROP TABLE ${LIVE_TABLES[key]}_old`);
      }
      await writeCheckpoint(client, SATISFACTION_PROJECTION, at);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    onProgress({ done, total: done, phase: 'done' });
    phases.swapSeconds = (performance.now() - swapStarted) / 1000;
    return { events: done, cells, seconds: (Date.now() - started) / 1000, method, phases };
  } finally {
    client.release();
    reader.release();
  }
}

/** The number of events in the log, from the planner's statistics (for progress only: no scan). */
async function estimatedEvents(client: PoolClient): Promise<number> {
  const { rows } = await client.query<{ n: number }>(`SELECT greatest(reltuples, 0)::float8 AS n FROM pg_class WHERE oid = 'events'::regclass`);
  return Math.round(rows[0]?.n ?? 0);
}

function positionOf(e: LogEvent): LogPosition {
  return { transactionId: e.transactionId, globalPosition: e.globalPosition };
}
