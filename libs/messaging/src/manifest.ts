// A context's manifest: everything it contributes to a minyi process, so that apps/minyi, the distributed
// layout, the rebuild CLI and the test system compose contexts instead of listing their parts by hand.
import type { Type } from '@nestjs/common';
import type { Pool } from 'pg';
import type { SatisfactionSource } from '@minyi/contracts';
import type { EventStore, LogEvent, LogPosition, Migration, RecordedEvent } from '@minyi/event-store';
import type { KafkaConnection } from './kafka/kafka.connection.js';
import type { Projection } from './projection.js';

/** What a projection or reactor is built from in a running process. */
export interface ProjectionDeps {
  pool: Pool;
  store: EventStore;
  /** MINYI_TZ: periods are cut in it. */
  timeZone: string;
  /** Every context's satisfaction sources, composed. */
  satisfactionSources: readonly SatisfactionSource[];
  /** The process's whole configuration, for what a projection or reactor needs beyond the above. */
  config: Readonly<Record<string, unknown>>;
  /** The process's Kafka connection in the distributed mode; absent or null otherwise (and in a rebuild). */
  kafka?: KafkaConnection | null;
}

/**
 * What a projection's bulk builder is given: the `_next` tables to fill from every event below a cut of the log.
 * The generic rebuild then applies the events after the cut through the projection's own apply.
 */
export interface BulkBuild {
  /** Logs in as the tables' owner (it may drop a key before a bulk load and add it after). */
  pool: Pool;
  deps: ProjectionDeps;
  /** Each live table → the table to fill (its `_next`). */
  tables: Readonly<Record<string, string>>;
  /** Build from the events of every transaction below `xmin` (a pg_snapshot_xmin): the last of them is `last`. */
  cut: { xmin: string; last: LogPosition };
  /** Roughly how many events the log holds (for progress). */
  estimatedEvents: number;
  onProgress(done: number, total: number): void;
  /** The caller's options for this projection's bulk step (e.g. `eventsPerPart`). */
  options: Readonly<Record<string, unknown>>;
}

export interface BulkResult {
  /** The events the bulk step took (those the projection counts). */
  events: number;
  /** How it went, for the rebuild's report (seconds of its phases, rows written, …). */
  details?: Readonly<Record<string, number | string>>;
}

/**
 * A read model: which event types it handles (a consumer skips the rest and subscribes only to their
 * contexts' topics), a version (a new definition is built beside the live one and swapped in), the tables it
 * writes (a generic rebuild creates `<table>_next` for each, builds them from the log and renames them in).
 */
export interface ProjectionDefinition<E extends LogEvent = LogEvent | RecordedEvent> {
  name: string;
  version: number;
  /** The event types it handles; a function when they depend on the composition (satisfaction: its sources). */
  handles: readonly string[] | ((deps: ProjectionDeps) => readonly string[]);
  tables: readonly string[];
  /** `tables` maps each live table name to the one to write (itself, or its `_next` during a rebuild). */
  create(deps: ProjectionDeps, tables: Readonly<Record<string, string>>): Projection<E & LogEvent>;
  /**
   * Per table, an SQL condition true of the rows that carry nothing (a count brought back to zero): the live
   * tables may keep them, a rebuild need not make them. Two builds of the model are equal when their other rows are.
   */
  inert?: Readonly<Record<string, string>>;
  /**
   * A faster way than applying each event to build the tables from the bulk of the log (satisfaction: one SQL
   * aggregate). Resolves null, having written nothing, when it declines: the rebuild then applies every event.
   */
  bulk?(build: BulkBuild): Promise<BulkResult | null>;
}

/**
 * A reactor: an event that must cause a command. Built on the consumer port with a checkpoint; its effects are
 * commands with deterministic ids (a redelivery is a duplicate, never a second effect).
 */
export interface ReactorDefinition {
  name: string;
  handles: readonly string[];
  create(deps: ProjectionDeps): Projection<RecordedEvent>;
}

/** A process part with what composition needs to know of it beyond its module. */
export interface PartDefinition {
  module: Type<unknown>;
  /** The process of the distributed layout that runs it; default `intake` (the write side). */
  process?: 'intake' | 'relay' | 'projector' | 'analytics';
  /** It consumes or produces Kafka when KAFKA_BROKERS is set; a process without such a part never connects. */
  kafka?: boolean;
  /** false: left out of the embedded all-in-one (the relay exists only to feed Kafka). Default true. */
  allInOne?: boolean;
}

export interface ContextManifest {
  /** `ratings`, `complaints`, … */
  name: string;
  /** The process parts it contributes (`node main.js <part>…`): a Nest module, or one with its placement. */
  parts: Readonly<Record<string, Type<unknown> | PartDefinition>>;
  /**
   * Ids prefixed by the context (`complaints-0001-…`), applied in the order given; those of the first contexts
   * keep their old global numbers (`0003-…`), which go before every prefixed one.
   */
  migrations: readonly Migration[];
  projections?: readonly ProjectionDefinition[];
  reactors?: readonly ReactorDefinition[];
  satisfactionSources?: readonly SatisfactionSource[];
}

/** What the manifests add up to, as the projector part and the rebuild take it (provided under COMPOSITION). */
export interface Composition {
  projections: readonly ProjectionDefinition[];
  reactors: readonly ReactorDefinition[];
  satisfactionSources: readonly SatisfactionSource[];
}

export const COMPOSITION = Symbol('Composition');

/** The event types a projection handles, in a process of these dependencies. */
export function handledTypes(definition: Pick<ProjectionDefinition, 'handles'>, deps: ProjectionDeps): readonly string[] {
  return typeof definition.handles === 'function' ? definition.handles(deps) : definition.handles;
}

/**
 * The checkpoint of a projection's postgres transport: its name, and from version 2 on `<name>@v<version>`, so that
 * a new definition is built beside the live one (version 1 keeps the name installations already have).
 */
export function projectionCheckpoint(definition: Pick<ProjectionDefinition, 'name' | 'version'>): string {
  return definition.version === 1 ? definition.name : `${definition.name}@v${definition.version}`;
}

/**
 * The place a rebuild gives the consumers of a projection's other versions: past every event (the highest xid8), so
 * that a projector still running an older definition applies nothing more to the tables a newer one built, and one
 * started with it again waits for a rebuild. Kafka consumers get it as their floor.
 */
export const RETIRED: LogPosition = { transactionId: '18446744073709551615', globalPosition: 0 };

/** A projection's Kafka consumer group (before the topic prefix), also its checkpoint row's name. */
export function projectionGroup(definition: Pick<ProjectionDefinition, 'name' | 'version'>): string {
  return `minyi.projector.${projectionCheckpoint(definition)}`;
}

/** A reactor's Kafka consumer group (before the topic prefix). */
export function reactorGroup(definition: Pick<ReactorDefinition, 'name'>): string {
  return `minyi.reactor.${definition.name}`;
}
