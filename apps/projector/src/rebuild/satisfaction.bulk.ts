// The satisfaction projection's bulk step for the generic rebuild: the organisation (a few thousand events at most)
// folded in memory while PostgreSQL aggregates every channel's answers below the cut into the new counts table,
// loaded without its key, which is added after (a bulk load and then the key beats upserting row by row).
import { eventCatalog, streamIds } from '@minyi/contracts';
import { PeriodCutter } from '@minyi/indices';
import type { BulkBuild, BulkResult } from '@minyi/messaging';
import type { PoolClient } from 'pg';
import { AnswerReader } from '../satisfaction/answers.js';
import { SatisfactionFold } from '../satisfaction/satisfaction.fold.js';
import { satisfactionTables, writeOrganisation } from '../satisfaction/satisfaction.writer.js';
import { aggregateAnswers } from './satisfaction.aggregate.js';

export async function bulkSatisfaction(build: BulkBuild): Promise<BulkResult | null> {
  const tables = satisfactionTables(build.tables);
  const cutter = new PeriodCutter(build.deps.timeZone);
  // One connection of its own (the organisation, the key) beside the aggregate's two: a pool of four serves a rebuild.
  const keyed = await build.pool.connect();
  let events = 0;
  try {
    const key = await dropPrimaryKey(keyed, tables.satisfaction);
    try {
      const organisation = (async () => {
        const fold = new SatisfactionFold(new Map(), cutter, new AnswerReader([]));
        const log = await build.deps.store.readCategories([streamIds.unit(''), streamIds.window(''), streamIds.officer('')], build.cut.xmin, keyed);
        for (const e of log) if (eventCatalog.isValid(e.type, e.version, e.data) && fold.apply(e)) events += 1;
        await writeOrganisation(keyed, tables, fold);
      })();
      organisation.catch(() => undefined); // awaited below; its failure must not go unhandled meanwhile
      const t = performance.now();
      let aggregated: Awaited<ReturnType<typeof aggregateAnswers>>;
      try {
        aggregated = await aggregateAnswers(build.pool, tables, cutter, build.cut, build.deps.satisfactionSources, organisation, {
          estimatedEvents: build.estimatedEvents,
          eventsPerPart: typeof build.options.eventsPerPart === 'number' ? build.options.eventsPerPart : undefined,
          onProgress: build.onProgress,
        });
      } finally {
        await organisation.catch(() => undefined); // its connection is released only once it is done
      }
      await organisation;
      const aggregateSeconds = (performance.now() - t) / 1000;
      if (!aggregated) return null;
      const k = performance.now();
      await restoreKey(keyed, tables.satisfaction, key);
      return {
        events: events + aggregated.events,
        details: {
          cells: aggregated.cells,
          aggregateSeconds,
          passSeconds: aggregated.passSeconds,
          rollUpSeconds: aggregated.rollUpSeconds,
          keySeconds: (performance.now() - k) / 1000,
        },
      };
    } finally {
      // Declined or failed: the table gets its key back before anything is applied to it (it upserts by it).
      await restoreKey(keyed, tables.satisfaction, key).catch(() => undefined);
    }
  } finally {
    keyed.release();
  }
}

interface DroppedKey {
  name: string;
  definition: string;
  restored: boolean;
}

async function dropPrimaryKey(c: PoolClient, table: string): Promise<DroppedKey | null> {
  const { rows } = await c.query<{ name: string; definition: string }>(
    `SELECT quote_ident(conname) AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'p'`,
    [table],
  );
  if (!rows.length) return null;
  await c.query(`ALTER TABLE ${table} DROP CONSTRAINT ${rows[0].name}`);
  return { ...rows[0], restored: false };
}

async function restoreKey(c: PoolClient, table: string, key: DroppedKey | null): Promise<void> {
  if (!key || key.restored) return;
  // Built in parallel where the server allows it.
  await c.query(`SET maintenance_work_mem = '256MB'`);
  try {
    await c.query(`ALTER TABLE ${table} ADD CONSTRAINT ${key.name} ${key.definition}`);
    key.restored = true;
  } finally {
    await c.query('RESET maintenance_work_mem');
  }
}
