// A context's manifest: everything it contributes to a minyi process, so that apps/minyi, the distributed
// layout, the rebuild CLI and the test system compose contexts instead of listing their parts by hand.
import type { Type } from '@nestjs/common';
import type { Pool } from 'pg';
import type { SatisfactionSource } from '@minyi/contracts';
import type { EventStore, LogEvent, Migration, RecordedEvent } from '@minyi/event-store';
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
}

/**
 * A read model: which event types it handles (a consumer skips the rest and subscribes only to their
 * contexts' topics), a version (a new definition is built beside the live one and swapped in), the tables it
 * writes (a generic rebuild creates `<table>_next` for each, builds them from the log and renames them in).
 */
export interface ProjectionDefinition<E extends LogEvent = LogEvent | RecordedEvent> {
  name: string;
  version: number;
  handles: readonly string[];
  tables: readonly string[];
  /** `tables` maps each live table name to the one to write (itself, or its `_next` during a rebuild). */
  create(deps: ProjectionDeps, tables: Readonly<Record<string, string>>): Projection<E & LogEvent>;
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

export interface ContextManifest {
  /** `ratings`, `complaints`, … */
  name: string;
  /** The process parts it contributes (`node main.js <part>…`), each a Nest module. */
  parts: Readonly<Record<string, Type<unknown>>>;
  /** Ids prefixed by the context (`complaints-0001-…`); those of the first contexts keep their old global numbers. */
  migrations: readonly Migration[];
  projections?: readonly ProjectionDefinition[];
  reactors?: readonly ReactorDefinition[];
  satisfactionSources?: readonly SatisfactionSource[];
}
