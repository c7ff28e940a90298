// Rebuilds the satisfaction read models from the log into new tables beside the live ones, then
// swaps them in with the checkpoint in one short transaction: readers never see a half-built model.
import type { Pool, PoolClient } from 'pg';
import { EventStore, LOG_START, type LogPosition, type RecordedEvent } from '@minyi/event-store';
import { PeriodCutter } from '@minyi/indices';
import { ensureCheckpoint, readCheckpoint, writeCheckpoint } from '@minyi/messaging';
import { SatisfactionFold } from '../satisfaction/satisfaction.fold.js';
import { SATISFACTION_PROJECTION } from '../satisfaction/satisfaction.projection.js';
import { LIVE_TABLES, writeCounts, writeOrganisation, type SatisfactionTables } from '../satisfaction/satisfaction.writer.js';

export interface RebuildProgress {
  done: number;
  total: number;
  phase: 'reading' | 'writing' | 'swapping' | 'done';
}

export interface RebuildResult {
  events: number;
  cells: number;
  seconds: number;
  /** Where the time went: waiting for event reads, folding in memory, writing cells, the swap. */
  phases: { readWaitSeconds: number; foldSeconds: number; writeSeconds: number; swapSeconds: number };
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

export async function rebuildSatisfaction(
  pool: Pool,
  store: EventStore,
  timeZone: string,
  onProgress: (p: RebuildProgress) => void = () => undefined,
): Promise<RebuildResult> {
  const started = Date.now();
  const phases = { readWaitSeconds: 0, foldSeconds: 0, writeSeconds: 0, swapSeconds: 0 };
  const timed = async <T>(phase: keyof typeof phases, work: () => Promise<T> | T): Promise<T> => {
    const t = performance.now();
    try {
      return await work();
    } finally {
      phases[phase] += (performance.now() - t) / 1000;
    }
  };
  const total = await store.countAfter(LOG_START);
  const paths = new Map<string, string[]>();
  const fold = new SatisfactionFold(paths, new PeriodCutter(timeZone));
  let cells = 0;

  const client = await pool.connect();
  const reader = await pool.connect();
  try {
    for (const key of Object.keys(NEXT) as (keyof SatisfactionTables)[]) {
      await client.query(`DROP TABLE IF EXISTS ${NEXT[key]}`);
      // The counts table starts bare: a bulk load into it, then its key, beats upserting row by row.
      const copy = key === 'satisfaction' ? 'INCLUDING DEFAULTS' : 'INCLUDING ALL';
      await client.query(`CREATE TABLE ${NEXT[key]} (LIKE ${LIVE_TABLES[key]} ${copy})`);
    }
    let keyed = false;
    const addKey = async (c: PoolClient) => {
      if (keyed) return;
      await c.query(`ALTER TABLE ${NEXT.satisfaction} ADD PRIMARY KEY (scope, granularity, period, channel)`);
      keyed = true;
    };
    let flushes = 0;
    const flush = (c: PoolClient) => timed('writeSeconds', () => write(c));
    const write = async (c: PoolClient) => {
      await writeOrganisation(c, NEXT, fold);
      // The first write goes into the empty table as a plain insert; later ones add to it by key.
      if (flushes++ > 0) await addKey(c);
      cells += (await writeCounts(c, NEXT, fold, false, !keyed)).length;
      fold.clearOrganisation();
      fold.clearCells();
    };

    let at: LogPosition = LOG_START;
    let done = 0;
    /** Folds everything visible after `at`, calling `between` after each read. */
    const drain = async (between: () => Promise<void>) => {
      let next = store.readAll(at, READ_BATCH, reader);
      for (;;) {
        const events = await timed('readWaitSeconds', () => next);
        if (events.length === 0) return;
        at = positionOf(events.at(-1)!);
        // Read the next batch while this one is folded.
        next = events.length === READ_BATCH ? store.readAll(at, READ_BATCH, reader) : Promise.resolve([]);
        await timed('foldSeconds', () => events.forEach((e) => fold.apply(e)));
        done += events.length;
        await between();
      }
    };
    await drain(async () => {
      if (fold.size >= MAX_CELLS_IN_MEMORY) {
        onProgress({ done, total, phase: 'writing' });
        await flush(client);
      }
      onProgress({ done, total: Math.max(total, done), phase: 'reading' });
    });
    onProgress({ done, total: Math.max(total, done), phase: 'writing' });
    await flush(client);
    await addKey(client);
    // Fresh tables have no statistics; without them the first queries after the swap plan badly.
    for (const table of Object.values(NEXT)) await client.query(`ANALYZE ${table}`);

    // The swap: hold the live projection's checkpoint, apply what committed meanwhile, rename, move the checkpoint.
    onProgress({ done, total: Math.max(total, done), phase: 'swapping' });
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
    return { events: done, cells, seconds: (Date.now() - started) / 1000, phases };
  } finally {
    client.release();
    reader.release();
  }
}

function positionOf(e: RecordedEvent): LogPosition {
  return { transactionId: e.transactionId, globalPosition: e.globalPosition };
}
