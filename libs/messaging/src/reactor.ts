// Reactors: events of the log that must cause commands (a bad rating opens its follow-up), on the consumer port.
// A reactor is a projection whose effects are its deliveries — idempotent commands through the command kit, each
// appending with an expected version under a deterministic id — and whose `apply` does nothing, so that its
// checkpoint moves only after every effect of the batch has landed. A crash, a redelivery or a second consumer
// then repeats commands that find themselves done (no new event), never a second effect: exactly once.
import type { RecordedEvent } from '@minyi/event-store';
import type { ProjectionDeps, ReactorDefinition } from './manifest.js';
import { PostgresLogConsumer, type PostgresLogConsumerOptions } from './postgres-log.consumer.js';
import type { Projection } from './projection.js';

export interface Reaction {
  /** The consumer's checkpoint row: renaming it starts the reactor again from the start of the log. */
  readonly name: string;
  /** The event types it reacts to; every other event passes by. */
  readonly handles: readonly string[];
  /**
   * Runs what the event causes: commands whose ids are derived from the event, so that running them again finds
   * them done. Throwing stops the batch; the consumer retries it (and after its attempts sets the event aside).
   */
  react(event: RecordedEvent): Promise<void>;
  /**
   * What a reaction belongs to (e.g. the rating whose follow-up it opens or voids): reactions with the same key
   * run one after another in log order, those with different keys at once (up to `concurrency`). Without it, all
   * run one after another.
   */
  keyOf?(event: RecordedEvent): string;
  /** Keys reacted to at once within a batch; default 8. */
  readonly concurrency?: number;
  /**
   * Reacts to a window's first events of many keys at once (e.g. one command per key through handleCommands: two
   * round trips for the window instead of two per event). Given the events that are the first of their key in the
   * window, it answers those it did not take (they then run with the rest, through `react`). Each key's later events
   * run only after this has settled, so a key's order holds.
   */
  reactToFirsts?(events: RecordedEvent[]): Promise<RecordedEvent[]>;
}

export class Reactor implements Projection<RecordedEvent> {
  readonly name: string;
  private readonly handles: ReadonlySet<string>;

  constructor(private readonly reaction: Reaction) {
    this.name = reaction.name;
    this.handles = new Set(reaction.handles);
  }

  async deliver(events: RecordedEvent[]): Promise<void> {
    const relevant = events.filter((e) => this.handles.has(e.type));
    if (relevant.length === 0) return;
    const keyOf = this.reaction.keyOf?.bind(this.reaction);
    if (!keyOf) {
      for (const e of relevant) await this.reaction.react(e);
      return;
    }
    const lanes = new Map<string, RecordedEvent[]>();
    for (const e of relevant) {
      const key = keyOf(e);
      const lane = lanes.get(key);
      if (lane) lane.push(e);
      else lanes.set(key, [e]);
    }
    if (this.reaction.reactToFirsts) {
      const firsts = [...lanes.values()].map((lane) => lane[0]);
      const left = new Set(await this.reaction.reactToFirsts(firsts));
      for (const [key, lane] of lanes) {
        if (left.has(lane[0])) continue;
        if (lane.length === 1) lanes.delete(key);
        else lane.shift();
      }
    }
    const queue = [...lanes.values()];
    const run = async () => {
      for (let lane = queue.shift(); lane; lane = queue.shift()) for (const e of lane) await this.reaction.react(e);
    };
    const workers = Array.from({ length: Math.min(this.reaction.concurrency ?? 8, queue.length) }, run);
    // Every lane finishes (or fails) before the batch is judged, so no reaction is still running when it is retried.
    const settled = await Promise.allSettled(workers);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Nothing to write: the effects are the deliveries; the consumer moves the checkpoint in this transaction. */
  async apply(): Promise<void> {}
}

/**
 * The consumer that runs a reactor: always the postgres transport, in both modes. Its effects are commands on the
 * event store, so it follows the store's own gap-safe log (the order across streams its decisions need, which
 * Kafka keeps only per stream) with its checkpoint beside it, and does not wait for the relay. In the distributed
 * mode the process hosting reactors (the projector) reads PostgreSQL for them; Kafka is never in their path.
 */
export function reactorConsumer(definition: ReactorDefinition, deps: ProjectionDeps, options: PostgresLogConsumerOptions = {}): PostgresLogConsumer<RecordedEvent> {
  // Smaller batches than a read model's (each reaction is a command: the checkpoint moves more often); the events
  // it does not handle only move its checkpoint.
  return new PostgresLogConsumer<RecordedEvent>(deps.pool, deps.store, definition.create(deps), { batchSize: 200, handles: definition.handles, ...options });
}
