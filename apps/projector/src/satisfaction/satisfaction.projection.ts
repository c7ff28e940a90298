// The satisfaction projection: keeps per-scope, per-period, per-channel level counts current as events commit, from
// every channel's five-level answers (the contexts' satisfaction sources) and the organisation's events.
import type { PoolClient } from 'pg';
import { OfficerRegistered, streamIds, UnitRegistered, WindowRegistered, type SatisfactionSource, type UnitRegisteredV1 } from '@minyi/contracts';
import type { EventStore, LogEvent } from '@minyi/event-store';
import { PeriodCutter } from '@minyi/indices';
import type { Projection, ProjectionDefinition } from '@minyi/messaging';
import { bulkSatisfaction } from '../rebuild/satisfaction.bulk.js';
import { AnswerReader } from './answers.js';
import { IndexChangesPublisher } from './index-changes.publisher.js';
import { SatisfactionFold, type CountCell } from './satisfaction.fold.js';
import { SATISFACTION_TABLES } from './satisfaction.migrations.js';
import { LIVE_TABLES, satisfactionTables, writeCounts, writeOrganisation, type SatisfactionTables } from './satisfaction.writer.js';

export const SATISFACTION_PROJECTION = 'satisfaction';
/** The organisation's events the projection folds beside the answers. */
export const ORGANISATION_EVENTS = [UnitRegistered.type, WindowRegistered.type, OfficerRegistered.type] as const;

export interface SatisfactionProjectionOptions {
  /** MINYI_TZ: periods are cut in it. */
  timeZone: string;
  /**
   * Where a unit's path is looked up when this instance has not seen the unit's registration: its
   * parent came on another Kafka partition, or another projector instance applied that batch.
   */
  store: EventStore;
  /** Every context's satisfaction sources, composed. */
  sources: readonly SatisfactionSource[];
  /** Where the counts go (the live tables, or a rebuild's). */
  tables?: SatisfactionTables;
  /** Distributed mode: the new figures of every changed cell, published after each batch commits. */
  publisher?: IndexChangesPublisher;
}

export class SatisfactionProjection implements Projection<LogEvent> {
  readonly name = SATISFACTION_PROJECTION;
  /** Counts facts only: who sent an event never matters here. */
  readonly withoutMetadata = true;
  readonly handles: readonly string[];
  private readonly paths = new Map<string, string[]>();
  private readonly cutter: PeriodCutter;
  private readonly answers: AnswerReader;
  private readonly tables: SatisfactionTables;
  /** The totals of the cells the last applied batch changed, published once it commits. */
  private changed: CountCell[] = [];

  constructor(private readonly options: SatisfactionProjectionOptions) {
    this.cutter = new PeriodCutter(options.timeZone);
    this.answers = new AnswerReader(options.sources);
    this.tables = options.tables ?? LIVE_TABLES;
    this.handles = [...ORGANISATION_EVENTS, ...this.answers.eventTypes];
  }

  async start(client: PoolClient): Promise<void> {
    const { rows } = await client.query<{ unit_id: string; path: string[] }>(`SELECT unit_id, path FROM ${this.tables.units}`);
    for (const r of rows) this.paths.set(r.unit_id, r.path);
  }

  async apply(events: LogEvent[], tx: PoolClient): Promise<void> {
    await this.learnUnits(events);
    const fold = new SatisfactionFold(this.paths, this.cutter, this.answers);
    for (const e of events) fold.apply(e);
    await writeOrganisation(tx, this.tables, fold);
    this.changed = await writeCounts(tx, this.tables, fold, !!this.options.publisher);
  }

  async afterCommit(events: LogEvent[]): Promise<void> {
    const cells = this.changed;
    this.changed = [];
    await this.options.publisher?.publish(cells, events.at(-1)?.globalPosition ?? 0);
  }

  /**
   * An answer can arrive before this instance knows its unit (organisation and the channels travel on
   * different Kafka topics; another instance may have applied the registration); the unit, which the
   * write side checked exists, is then read from the log.
   */
  private async learnUnits(events: LogEvent[]): Promise<void> {
    const missing = new Set<string>();
    for (const e of events) {
      const unitId = this.unitOf(e);
      if (unitId && !this.paths.has(unitId)) missing.add(unitId);
    }
    for (const unitId of missing) await this.pathFromLog(unitId);
  }

  private unitOf(e: LogEvent): string | null {
    // A unit's parent may sit on another partition and arrive later.
    if (e.type === UnitRegistered.type) return (e.data as UnitRegisteredV1).parentId;
    if (e.type === WindowRegistered.type || e.type === OfficerRegistered.type) return (e.data as { unitId: string }).unitId;
    return this.answers.unitOf(e);
  }

  private async pathFromLog(unitId: string): Promise<string[]> {
    const known = this.paths.get(unitId);
    if (known) return known;
    const [registered] = await this.options.store.readStream(streamIds.unit(unitId));
    const data = registered?.data as UnitRegisteredV1 | undefined;
    const path = [...(data?.parentId ? await this.pathFromLog(data.parentId) : []), unitId];
    if (data) this.paths.set(unitId, path);
    return path;
  }
}

/**
 * Satisfaction as the projector's registry and the generic rebuild take it: its handled types follow the composed
 * sources; its bulk step is the SQL aggregate. Version 1 keeps the checkpoint and Kafka group installations have
 * (`satisfaction`, `minyi.projector.satisfaction`).
 */
export const satisfactionProjection: ProjectionDefinition<LogEvent> = {
  name: SATISFACTION_PROJECTION,
  version: 1,
  handles: (deps) => [...ORGANISATION_EVENTS, ...new AnswerReader(deps.satisfactionSources).eventTypes],
  tables: SATISFACTION_TABLES,
  // A void brings a cell back to zero; a rebuild never writes such a cell.
  inert: { rm_satisfaction: '(n1, n2, n3, n4, n5) = (0, 0, 0, 0, 0)' },
  create: (deps, tables) =>
    new SatisfactionProjection({
      timeZone: deps.timeZone,
      store: deps.store,
      sources: deps.satisfactionSources,
      tables: satisfactionTables(tables),
      // Distributed: what changed is published for analytics consumers.
      publisher: deps.kafka ? new IndexChangesPublisher(deps.kafka.producer, deps.kafka.names.indexChanges) : undefined,
    }),
  bulk: bulkSatisfaction,
};
