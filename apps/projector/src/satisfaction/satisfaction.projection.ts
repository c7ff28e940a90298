// The satisfaction projection: keeps per-scope, per-period level counts current as events commit.
import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@minyi/event-store';
import { PeriodCutter } from '@minyi/indices';
import type { Projection } from '@minyi/messaging';
import { SatisfactionFold } from './satisfaction.fold.js';
import { LIVE_TABLES, writeCounts, writeOrganisation } from './satisfaction.writer.js';

export const SATISFACTION_PROJECTION = 'satisfaction';

export class SatisfactionProjection implements Projection {
  readonly name = SATISFACTION_PROJECTION;
  private readonly paths = new Map<string, string[]>();
  private readonly cutter: PeriodCutter;

  constructor(timeZone: string) {
    this.cutter = new PeriodCutter(timeZone);
  }

  async start(client: PoolClient): Promise<void> {
    const { rows } = await client.query<{ unit_id: string; path: string[] }>(`SELECT unit_id, path FROM ${LIVE_TABLES.units}`);
    for (const r of rows) this.paths.set(r.unit_id, r.path);
  }

  async apply(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    const fold = new SatisfactionFold(this.paths, this.cutter);
    for (const e of events) fold.apply(e);
    await writeOrganisation(tx, LIVE_TABLES, fold);
    await writeCounts(tx, LIVE_TABLES, fold);
  }
}
