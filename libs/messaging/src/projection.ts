// The port between a transport and what it feeds: a projection applies events inside the
// transaction that also moves the consumer's checkpoint.
import type { Pool, PoolClient } from 'pg';
import type { LogEvent, RecordedEvent } from '@minyi/event-store';

/**
 * `E` is what the projection reads of each event: the whole envelope (RecordedEvent), or, when it never looks
 * at who sent an event, LogEvent with `withoutMetadata` set, and the postgres transport leaves the metadata
 * in the database (~5 % of a batch rating's CPU). Other transports may still hand it whole events.
 */
export interface Projection<E extends LogEvent = RecordedEvent> {
  readonly name: string;
  /** May be set only when `E` is LogEvent: the postgres transport then reads the log without metadata. */
  readonly withoutMetadata?: LogEvent extends E ? boolean : false;
  /** Called once before the first batch (e.g. to warm caches from the read model). */
  start?(client: PoolClient): Promise<void>;
  /**
   * Effects outside PostgreSQL (e.g. publishing to Kafka), made before the transaction that moves the
   * checkpoint, so that no transaction stays open while a broker answers (an open transaction would hold
   * back every gap-safe reader of the server). At least once: a crash or a lost race delivers again.
   */
  deliver?(events: E[]): Promise<void>;
  /**
   * `deliver` may run again for events it has delivered (its effects are idempotent: commands with deterministic
   * ids). Only such a projection may deliver on the Kafka transport, which knows which messages are new only inside
   * the transaction: it delivers the messages it has not yet applied just before it, and may deliver one twice.
   */
  readonly deliversIdempotently?: boolean;
  /** Applies the events, in log order, using `tx`; throwing rolls back events and checkpoint alike. */
  apply(events: E[], tx: PoolClient): Promise<void>;
  /** Called after the transaction of a batch committed (e.g. to publish what changed). */
  afterCommit?(events: E[]): Promise<void>;
}

/** A projection of either kind, for a transport that hands every projection whole events (Kafka). */
export type AnyProjection = Projection<LogEvent> | Projection<RecordedEvent>;

export interface ConsumerStatus {
  name: string;
  running: boolean;
  lastError: string | null;
  appliedEvents: number;
  /** Seconds between the recording of the last applied event and its application. */
  lastLagSeconds: number | null;
}

/** A transport delivers the log to projections; postgres (embedded) and kafka (distributed) implement it. */
export interface Consumer {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): ConsumerStatus;
}

/** Runs the projection's start hook, if it has one, on a connection of its own. */
export async function startProjection(pool: Pool, projection: Pick<Projection, 'start'>): Promise<void> {
  if (!projection.start) return;
  const c = await pool.connect();
  try {
    await projection.start(c);
  } finally {
    c.release();
  }
}

/** A health check for a consumer: failing while it is stopped or its last attempt failed. */
export function consumerHealthCheck(name: string, consumer: Consumer): { name: string; check(): string | null } {
  return {
    name,
    check: () => {
      const s = consumer.status();
      if (!s.running) return 'not running';
      return s.lastError ? `failing: ${s.lastError}` : null;
    },
  };
}
