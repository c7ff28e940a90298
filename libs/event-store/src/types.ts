// The event envelope as minyi records it, and the shapes of appends and log positions.

export interface EventMetadata {
  /** Who caused it: `admin`, `terminal:<id>`, `reader:<id>`, `system`. */
  actor: string;
  correlationId: string;
  causationId: string | null;
  /** Hash of the client's request that created it, so a retry can be told from a clash. */
  requestHash?: string;
}

export interface NewEvent<T = unknown> {
  eventId?: string;
  type: string;
  version: number;
  data: T;
  occurredAt: Date;
  unitId: string | null;
  metadata: EventMetadata;
}

/**
 * An event of the log as a reader gets it without its metadata (projections that count facts never need
 * who sent them; leaving the metadata in the database saves ~5 % of a batch rating's CPU).
 */
export interface LogEvent<T = unknown> {
  eventId: string;
  streamId: string;
  streamVersion: number;
  globalPosition: number;
  /** The writing transaction's id (xid8, as a decimal string): the first key of the log order. */
  transactionId: string;
  type: string;
  version: number;
  data: T;
  occurredAt: Date;
  recordedAt: Date;
  unitId: string | null;
}

/** An event of the log with its whole envelope. */
export interface RecordedEvent<T = unknown> extends LogEvent<T> {
  metadata: EventMetadata;
}

/** What a read of the log returns: the whole envelope, or the events without their metadata. */
export interface LogReadOptions {
  /** false: leave the metadata in the database (the events are then LogEvents). Default true. */
  metadata?: boolean;
}

/**
 * A place in the global log. The log is ordered by (transactionId, globalPosition), and a reader
 * only sees transactions older than every transaction still running, so no commit is skipped.
 */
export interface LogPosition {
  transactionId: string;
  globalPosition: number;
}

export const LOG_START: LogPosition = { transactionId: '0', globalPosition: 0 };

export function compareLogPositions(a: LogPosition, b: LogPosition): number {
  const ta = BigInt(a.transactionId);
  const tb = BigInt(b.transactionId);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.globalPosition - b.globalPosition;
}

export interface AppendRequest {
  streamId: string;
  /** The stream's current version as the caller last read it; 0 means "the stream must not exist". */
  expectedVersion: number;
  events: NewEvent[];
  /**
   * Appends of different `apart` keys never share a transaction (those without one count as one key): the store
   * otherwise commits whatever reaches it together in one transaction, which would tell a reader of the log that two
   * facts arrived at the same moment — the use of a survey's invitation token beside the response of another, say.
   */
  apart?: string;
}

export interface AppendResult {
  streamId: string;
  nextVersion: number;
  globalPositions: number[];
}
