// The satisfaction projection: keeps per-scope, per-period level counts current as events commit.
import type { PoolClient } from 'pg';
import { RatingSubmitted, RatingVoided, streamIds, type RatingSubmittedV1, type RatingVoidedV1, type UnitRegisteredV1 } from '@minyi/contracts';
import type { EventStore, LogEvent } from '@minyi/event-store';
import { PeriodCutter } from '@minyi/indices';
import type { Projection } from '@minyi/messaging';
import type { IndexChangesPublisher } from './index-changes.publisher.js';
import { SatisfactionFold, type CountCell } from './satisfaction.fold.js';
import { LIVE_TABLES, writeCounts, writeOrganisation } from './satisfaction.writer.js';

export const SATISFACTION_PROJECTION = 'satisfaction';

export class SatisfactionProjection implements Projection<LogEvent> {
  readonly name = SATISFACTION_PROJECTION;
  /** Counts facts only: who sent an event never matters here. */
  readonly withoutMetadata = true;
  private readonly paths = new Map<string, string[]>();
  private readonly cutter: PeriodCutter;
  /** The totals of the cells the last applied batch changed, published once it commits. */
  private changed: CountCell[] = [];

  constructor(
    timeZone: string,
    /**
     * Where a unit's path is looked up when this instance has not seen the unit's registration: its
     * parent came on another Kafka partition, or another projector instance applied that batch.
     */
    private readonly store: EventStore,
    private readonly publisher?: IndexChangesPublisher,
  ) {
    this.cutter = new PeriodCutter(timeZone);
  }

  async start(client: PoolClient): Promise<void> {
    const { rows } = await client.query<{ unit_id: string; path: string[] }>(`SELECT unit_id, path FROM ${LIVE_TABLES.units}`);
    for (const r of rows) this.paths.set(r.unit_id, r.path);
  }

  async apply(events: LogEvent[], tx: PoolClient): Promise<void> {
    await this.learnUnits(events);
    const fold = new SatisfactionFold(this.paths, this.cutter);
    for (const e of events) fold.apply(e);
    await writeOrganisation(tx, LIVE_TABLES, fold);
    this.changed = await writeCounts(tx, LIVE_TABLES, fold, !!this.publisher);
  }

  async afterCommit(events: LogEvent[]): Promise<void> {
    const cells = this.changed;
    this.changed = [];
    await this.publisher?.publish(cells, events.at(-1)?.globalPosition ?? 0);
  }

  /**
   * A rating can arrive before this instance knows its unit (organisation and ratings travel on
   * different Kafka topics; another instance may have applied the registration); the unit, which the
   * write side checked exists, is then read from the log.
   */
  private async learnUnits(events: LogEvent[]): Promise<void> {
    const missing = new Set<string>();
    for (const e of events) {
      const unitId = unitOf(e);
      if (unitId && !this.paths.has(unitId)) missing.add(unitId);
    }
    for (const unitId of missing) await this.pathFromLog(unitId);
  }

  private async pathFromLog(unitId: string): Promise<string[]> {
    const known = this.paths.get(unitId);
    if (known) return known;
    const [registered] = await this.store.readStream(streamIds.unit(unitId));
    const data = registered?.data as UnitRegisteredV1 | undefined;
    const path = [...(data?.parentId ? await this.pathFromLog(data.parentId) : []), unitId];
    if (data) this.paths.set(unitId, path);
    return path;
  }
}

function unitOf(e: LogEvent): string | null {
  if (e.type === RatingSubmitted.type) return (e.data as RatingSubmittedV1).unitId;
  if (e.type === RatingVoided.type) return (e.data as RatingVoidedV1).rating.unitId;
  if (e.type === 'WindowRegistered' || e.type === 'OfficerRegistered') return (e.data as { unitId: string }).unitId;
  // A unit's parent may sit on another partition and arrive later.
  if (e.type === 'UnitRegistered') return (e.data as UnitRegisteredV1).parentId;
  return null;
}
