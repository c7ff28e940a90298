// The PostgreSQL event store: append with optimistic concurrency (grouped into shared commits),
// read a stream, and read the global log in a gap-safe order.
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { Conflict, eventCatalog, InvalidInput, joinPath, textProblemOf, unrecordableText, type FieldError } from '@minyi/contracts';
import { prepared } from './prepared.js';
import type { AppendRequest, AppendResult, LogEvent, LogPosition, LogReadOptions, NewEvent, RecordedEvent } from './types.js';

/** Notified after commits that added to the log (by the event store that wrote them; see notifyReaders). */
export const EVENTS_CHANNEL = 'minyi_events';

export interface EventStoreOptions {
  /** Most events written by one grouped commit. */
  maxEventsPerCommit?: number;
  /** Grouped commits allowed in flight at once (each holds one connection). */
  maxConcurrentCommits?: number;
  /**
   * More commits allowed in flight while at least `bulkEvents` events wait (batches and imports): their
   * groups stay large anyway, and PostgreSQL then works on more than one core. Singles never queue that
   * many, and keep the fewer, larger groups that suit them.
   */
  maxConcurrentBulkCommits?: number;
  bulkEvents?: number;
  /**
   * Readers of the log are notified at most once per this many milliseconds (the first commit after a
   * quiet spell at once, the last one of a busy spell at the end of its interval): a notification costs
   * the database a transaction, and a reader that is already busy does not need another.
   */
  notifyIntervalMs?: number;
}

interface Pending {
  request: AppendRequest;
  resolve: (r: AppendResult) => void;
  reject: (e: unknown) => void;
}

export class StreamVersionConflict extends Conflict {
  constructor(readonly streamId: string, readonly expectedVersion: number) {
    super(`stream ${streamId} is not at version ${expectedVersion}: someone else wrote to it first`);
  }
}

/**
 * A request of an appendMany that cannot be recorded as it is. Nothing of that appendMany was queued; the
 * caller may drop request `requestIndex` and append the others again.
 */
export class InvalidAppend extends InvalidInput {
  constructor(
    readonly requestIndex: number,
    message: string,
    errors: FieldError[],
  ) {
    super(message, errors);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Instants travel as ISO text, which for years outside 0001–9999 PostgreSQL does not read (nor has it a year 0).
const EARLIEST_INSTANT = Date.parse('0001-01-01T00:00:00Z');
const LATEST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * Why an append cannot be recorded, checked before it is queued: PostgreSQL would otherwise refuse the whole
 * grouped commit it travels in, and every other caller's appends with it. Null when it can be.
 */
function problemOfAppend(request: AppendRequest): InvalidInput | null {
  const refuse = (path: string, message: string) => new InvalidInput(`the append to ${String(request.streamId)} cannot be recorded: ${path} ${message}`, [{ path, message }]);
  const { streamId, events } = request;
  if (typeof streamId !== 'string' || streamId === '' || textProblemOf(streamId) !== null) return refuse('streamId', 'must be non-empty, well-formed text without NUL');
  if (!Number.isInteger(request.expectedVersion) || request.expectedVersion < 0) return refuse('expectedVersion', 'must be a whole number ≥ 0');
  if (!Array.isArray(events) || events.length === 0) return refuse('events', 'must hold at least one event');
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    // Paths name the event's own fields (`comment`, `occurredAt`), prefixed by its place when there are several.
    const at = (p: string) => (events.length === 1 ? p : joinPath(`events.${i}`, p));
    if (!eventCatalog.isValid(e.type, e.version, e.data)) {
      try {
        eventCatalog.validate(e.type, e.version, e.data);
      } catch (err) {
        if (!(err instanceof InvalidInput)) throw err;
        return new InvalidInput(err.message, err.errors.map((x) => ({ path: at(x.path), message: x.message })));
      }
    }
    const text = unrecordableText(e.data) ?? unrecordableText(e.metadata, 'metadata');
    if (text) return refuse(at(text.path), text.message);
    const t = e.occurredAt instanceof Date ? e.occurredAt.getTime() : Number.NaN;
    if (!Number.isFinite(t)) return refuse(at('occurredAt'), 'is not a valid instant');
    if (t < EARLIEST_INSTANT || t > LATEST_INSTANT) return refuse(at('occurredAt'), 'is outside the years 0001–9999');
    if (e.unitId !== null && (typeof e.unitId !== 'string' || textProblemOf(e.unitId) !== null)) return refuse(at('unitId'), 'must be null or well-formed text without NUL');
    if (e.eventId !== undefined && (typeof e.eventId !== 'string' || !UUID.test(e.eventId))) return refuse(at('eventId'), 'must be a uuid');
  }
  return null;
}

interface EventRow {
  global_position: string;
  transaction_id: string;
  event_id: string;
  stream_id: string;
  stream_version: string;
  type: string;
  version: number;
  data: unknown;
  metadata: RecordedEvent['metadata'];
  unit_id: string | null;
  occurred_ms: number;
  recorded_ms: number;
}

// Times travel as epoch milliseconds: parsing timestamptz text costs more than the rest of a row.
const LOG_COLUMNS =
  'global_position, transaction_id::text AS transaction_id, event_id, stream_id, stream_version, type, version, data, unit_id, ' +
  'floor(extract(epoch FROM occurred_at) * 1000)::float8 AS occurred_ms, floor(extract(epoch FROM recorded_at) * 1000)::float8 AS recorded_ms';
const COLUMNS = `${LOG_COLUMNS}, metadata`;

function toRecorded(r: EventRow): RecordedEvent {
  const e = toLogEvent(r) as RecordedEvent;
  e.metadata = r.metadata;
  return e;
}

function toLogEvent(r: Omit<EventRow, 'metadata'>): LogEvent {
  const up = eventCatalog.upcast(r.type, r.version, r.data);
  return {
    eventId: r.event_id,
    streamId: r.stream_id,
    streamVersion: Number(r.stream_version),
    globalPosition: Number(r.global_position),
    transactionId: r.transaction_id,
    type: r.type,
    version: up.version,
    data: up.data,
    occurredAt: new Date(r.occurred_ms),
    recordedAt: new Date(r.recorded_ms),
    unitId: r.unit_id,
  };
}

const APPEND_COLUMNS = 'event_id, stream_id, stream_version, type, version, data, metadata, unit_id, occurred_at';
const APPENDED_EVENTS = `SELECT * FROM json_to_recordset($1::json) AS e(event_id uuid, stream_id text, stream_version bigint, type text,
  version int, data jsonb, metadata jsonb, unit_id text, occurred_at timestamptz, first bool)`;
const readLog = (columns: string) =>
  prepared(
    `SELECT ${columns} FROM events
     WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
       AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
     ORDER BY events.transaction_id, events.global_position
     LIMIT $3`,
  );
const READ_LOG = readLog(COLUMNS);
const READ_LOG_WITHOUT_METADATA = readLog(LOG_COLUMNS);

/**
 * The same window of the log as readLog (the same rows, order and limit), of which only the events of the types in
 * $4 are sent, and the window's last event whatever its type (a reader moves its place there): the others stay in
 * the database. `nth` counts the window's rows, so the last row's is how many were read.
 */
const readLogOf = (columns: string, fields: string) =>
  prepared(
    `SELECT ${fields}, x.nth, x.last FROM (
       SELECT w.*, row_number() OVER log_order AS nth, lead(w.global_position) OVER log_order IS NULL AS last
       FROM (SELECT ${columns}, events.transaction_id AS log_xid FROM events
             WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
               AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
             ORDER BY events.transaction_id, events.global_position
             LIMIT $3) w
       WINDOW log_order AS (ORDER BY w.log_xid, w.global_position)
     ) x
     WHERE x.type = ANY($4::text[]) OR x.last
     ORDER BY x.nth`,
  );
const LOG_FIELDS = 'x.global_position, x.transaction_id, x.event_id, x.stream_id, x.stream_version, x.type, x.version, x.data, x.unit_id, x.occurred_ms, x.recorded_ms';
const READ_LOG_OF = readLogOf(COLUMNS, `${LOG_FIELDS}, x.metadata`);
const READ_LOG_OF_WITHOUT_METADATA = readLogOf(LOG_COLUMNS, LOG_FIELDS);

/** What a read of some types of the log answers (readAllOf). */
export interface LogWindow<E extends LogEvent = LogEvent> {
  /** The events of the types asked for, in log order. */
  events: E[];
  /** How many events of any type the read passed over (fewer than its limit: it reached the end of what is visible). */
  read: number;
  /** The last event it passed over, of any type — where a reader that skips the others moves to; null when it read none. */
  last: (LogPosition & { recordedAt: Date }) | null;
}

/** An append goes in when its stream is new, or holds the event just before the append's first. */
const AT_EXPECTED_VERSION = `(stream_version = 1 OR EXISTS (SELECT 1 FROM events x WHERE x.stream_id = ev.stream_id AND x.stream_version = ev.stream_version - 1))`;

/**
 * Appends of one event each (nearly every commit: ratings): one INSERT. About a quarter less server time per
 * event than the general statement below, whose second insert makes the appended rows a materialised CTE.
 */
const SINGLE_EVENT_APPENDS = prepared(`
  WITH ev AS (${APPENDED_EVENTS})
  INSERT INTO events (${APPEND_COLUMNS})
  SELECT ${APPEND_COLUMNS} FROM ev WHERE ${AT_EXPECTED_VERSION}
  ON CONFLICT (stream_id, stream_version) DO NOTHING
  RETURNING stream_id, global_position`);

/** Appends of any length: an append's further events go in only if its first did. */
const APPENDS = prepared(`
  WITH ev AS (${APPENDED_EVENTS}),
  firsts AS (
    INSERT INTO events (${APPEND_COLUMNS})
    SELECT ${APPEND_COLUMNS} FROM ev WHERE first AND ${AT_EXPECTED_VERSION}
    ON CONFLICT (stream_id, stream_version) DO NOTHING
    RETURNING stream_id, global_position
  ), rest AS (
    INSERT INTO events (${APPEND_COLUMNS})
    SELECT ${APPEND_COLUMNS} FROM ev WHERE NOT first AND stream_id IN (SELECT stream_id FROM firsts)
    RETURNING stream_id, global_position
  )
  SELECT stream_id, global_position FROM firsts UNION ALL SELECT stream_id, global_position FROM rest`);

const NOTIFY_READERS = prepared(`SELECT pg_notify('${EVENTS_CHANNEL}', '')`)([]);

export class EventStore {
  private queue: Pending[] = [];
  private inFlight = 0;
  /** Streams written by a commit in flight: a second append to one waits, so commits never lock each other. */
  private readonly streamsInFlight = new Set<string>();
  private readonly maxEvents: number;
  private readonly maxConcurrent: number;
  private readonly maxConcurrentBulk: number;
  private readonly bulkEvents: number;
  /** Events in `queue`. */
  private queuedEvents = 0;
  /** Counters for /metrics: commits made and events they carried. */
  readonly stats = { commits: 0, events: 0, conflicts: 0, notifications: 0 };
  private readonly notifyIntervalMs: number;
  /** When the last notification was sent, and whether one is waiting for its interval to pass. */
  private lastNotifiedAt = -Infinity;
  private notifyTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pool: Pool,
    options: EventStoreOptions = {},
  ) {
    this.maxEvents = options.maxEventsPerCommit ?? 2000;
    this.maxConcurrent = options.maxConcurrentCommits ?? 2;
    this.maxConcurrentBulk = Math.max(this.maxConcurrent, options.maxConcurrentBulkCommits ?? 4);
    this.bulkEvents = options.bulkEvents ?? 200;
    this.notifyIntervalMs = options.notifyIntervalMs ?? 10;
  }

  /**
   * Appends events to one stream if it is still at `expectedVersion`. Concurrent calls are
   * gathered into one transaction; each caller is answered only after that transaction commits.
   */
  append(streamId: string, expectedVersion: number, events: NewEvent[]): Promise<AppendResult> {
    return this.appendMany([{ streamId, expectedVersion, events }])[0];
  }

  /**
   * Several independent appends; each settles on its own (one conflict fails only itself). Every request is
   * checked first — its events against the catalogue, its text, its instants — and if one cannot be recorded,
   * InvalidAppend is thrown naming it and none is queued.
   */
  appendMany(requests: AppendRequest[]): Promise<AppendResult>[] {
    for (let i = 0; i < requests.length; i++) {
      const problem = problemOfAppend(requests[i]);
      if (problem) throw new InvalidAppend(i, problem.message, problem.errors);
    }
    const promises = requests.map((request) => {
      this.queuedEvents += request.events.length;
      return new Promise<AppendResult>((resolve, reject) => this.queue.push({ request, resolve, reject }));
    });
    this.flush();
    return promises;
  }

  private flush(): void {
    while (this.queue.length > 0 && (this.inFlight < this.maxConcurrent || (this.inFlight < this.maxConcurrentBulk && this.queuedEvents >= this.bulkEvents))) {
      const batch = this.takeBatch();
      if (batch.length === 0) return;
      this.inFlight += 1;
      for (const p of batch) this.streamsInFlight.add(p.request.streamId);
      this.commitWithRetry(batch)
        .catch((err) => batch.forEach((p) => p.reject(err)))
        .finally(() => {
          for (const p of batch) this.streamsInFlight.delete(p.request.streamId);
          this.inFlight -= 1;
          this.flush();
        });
    }
  }

  /**
   * Takes queued appends, in order, up to the size limit; a second append to a stream waits for the next
   * batch. One pass that keeps the rest in order (removing each taken append from the array instead cost
   * a shift of the whole queue per append: 1.7 % of node's time under batch intake).
   */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    const streams = new Set<string>();
    let events = 0;
    let apart: string | undefined;
    let i = 0;
    for (; i < this.queue.length; i++) {
      const p = this.queue[i];
      const size = p.request.events.length;
      if (batch.length > 0 && events + size > this.maxEvents) break;
      if (streams.has(p.request.streamId) || this.streamsInFlight.has(p.request.streamId) || (batch.length > 0 && p.request.apart !== apart)) {
        rest.push(p);
        continue;
      }
      streams.add(p.request.streamId);
      events += size;
      if (batch.length === 0) apart = p.request.apart;
      batch.push(p);
      this.queuedEvents -= size;
    }
    if (batch.length > 0) this.queue = i < this.queue.length ? rest.concat(this.queue.slice(i)) : rest;
    return batch;
  }

  /**
   * Another process's commit can still deadlock with ours; PostgreSQL aborts one and we try again.
   * Any other failure of a shared commit (one statement: nothing of it was written) means an append the
   * checks of appendMany could not refuse — e.g. an event id already used by another stream. The group is then
   * halved and each half committed again, down to the failing append alone, so that it fails only its own
   * caller, every other append is committed exactly once, and a group of n costs about 2·log2(n) commits
   * more, not n.
   */
  private async commitWithRetry(batch: Pending[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.commit(batch);
      } catch (err) {
        const code = (err as { code?: string }).code;
        if ((code === '40P01' || code === '40001') && attempt < 5) continue;
        if (batch.length === 1 || isDatabaseUnavailable(err)) throw err;
        const half = Math.ceil(batch.length / 2);
        for (const part of [batch.slice(0, half), batch.slice(half)]) {
          await this.commitWithRetry(part).catch((e) => part.forEach((p) => p.reject(e)));
        }
        return;
      }
    }
  }

  /**
   * One statement, so one round trip and its own transaction. An append wins when its stream is at the
   * version it expects — new (0), or holding an event at that version — and its first event takes the next
   * version: the unique (stream, version) key lets exactly one of two racing writers have it (the other's
   * insert does nothing, and waits for the first to commit or roll back). A winner's further events
   * follow. The log's readers are told afterwards (notifyReaders).
   */
  private async commit(batch: Pending[]): Promise<void> {
    // The events travel as one JSON document (one string, no per-field array escaping); data and metadata
    // stay nested objects and arrive as jsonb. An append's expected version is its first event's, less one.
    const rows: Record<string, unknown>[] = [];
    let single = true;
    for (const p of batch) {
      const { streamId, expectedVersion, events } = p.request;
      if (events.length > 1) single = false;
      events.forEach((e, i) => {
        rows.push({
          event_id: e.eventId ?? randomUUID(),
          stream_id: streamId,
          stream_version: expectedVersion + i + 1,
          type: e.type,
          version: e.version,
          data: e.data,
          metadata: e.metadata,
          unit_id: e.unitId,
          occurred_at: e.occurredAt.toISOString(),
          first: i === 0,
        });
      });
    }
    const { rows: inserted } = await this.pool.query<{ stream_id: string; global_position: string }>((single ? SINGLE_EVENT_APPENDS : APPENDS)([JSON.stringify(rows)]));
    this.stats.commits += 1;
    if (inserted.length > 0) this.notifyReaders();
    const positions = new Map<string, number[]>();
    for (const r of inserted) {
      const list = positions.get(r.stream_id) ?? [];
      list.push(Number(r.global_position));
      positions.set(r.stream_id, list);
    }
    for (const p of batch) {
      const { streamId, expectedVersion, events } = p.request;
      const won = positions.get(streamId);
      if (won) {
        this.stats.events += events.length;
        p.resolve({ streamId, nextVersion: expectedVersion + events.length, globalPositions: won.sort((a, b) => a - b) });
      } else {
        this.stats.conflicts += 1;
        p.reject(new StreamVersionConflict(streamId, expectedVersion));
      }
    }
  }

  /**
   * Tells the log's readers (LISTEN minyi_events, in any process) that commits have added to it. Sent
   * after the commit, never inside it: a notifying transaction holds a database-wide lock through its
   * commit and WAL flush, which would let only one grouped commit flush at a time. Coalesced to one per
   * `notifyIntervalMs`; readers also poll, so a notification lost with a connection costs only a delay.
   */
  private notifyReaders(): void {
    if (this.notifyTimer) return;
    const wait = this.lastNotifiedAt + this.notifyIntervalMs - performance.now();
    const send = () => {
      this.notifyTimer = null;
      this.lastNotifiedAt = performance.now();
      this.stats.notifications += 1;
      this.pool.query(NOTIFY_READERS).catch(() => undefined);
    };
    if (wait <= 0) send();
    else this.notifyTimer = setTimeout(send, wait).unref();
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRow>(`SELECT ${COLUMNS} FROM events WHERE stream_id = $1 ORDER BY stream_version`, [streamId]);
    return rows.map(toRecorded);
  }

  /** Reads many streams in one query; streams with no events are absent from the map. */
  async readStreams(streamIds: string[]): Promise<Map<string, RecordedEvent[]>> {
    const out = new Map<string, RecordedEvent[]>();
    if (streamIds.length === 0) return out;
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, stream_version`,
      [streamIds],
    );
    for (const r of rows) {
      const e = toRecorded(r);
      const list = out.get(e.streamId) ?? [];
      list.push(e);
      out.set(e.streamId, list);
    }
    return out;
  }

  /**
   * Reads the global log after `after`, in (transaction id, position) order, but only events whose
   * transactions are older than every transaction still in progress: a transaction that commits
   * later can then never hold a position the reader has already passed.
   */
  readAll(after: LogPosition, limit: number, client?: Pool | PoolClient, options?: LogReadOptions & { metadata?: true }): Promise<RecordedEvent[]>;
  readAll(after: LogPosition, limit: number, client: Pool | PoolClient | undefined, options: LogReadOptions): Promise<LogEvent[]>;
  async readAll(after: LogPosition, limit: number, client?: Pool | PoolClient, options: LogReadOptions = {}): Promise<LogEvent[]> {
    const values = [after.transactionId, after.globalPosition, limit];
    if (options.metadata === false) {
      const { rows } = await (client ?? this.pool).query<EventRow>(READ_LOG_WITHOUT_METADATA(values));
      return rows.map(toLogEvent);
    }
    const { rows } = await (client ?? this.pool).query<EventRow>(READ_LOG(values));
    return rows.map(toRecorded);
  }

  /**
   * readAll's window of the log — the same events after `after`, at most `limit`, in the same gap-safe order — of
   * which only the events of `types` are read out (their data and metadata); of the others, the database sends
   * nothing but the window's last event's place (`last`), and how many there were (`read`). For readers that
   * skip most of the log: a read model of cases does not need the content of every rating.
   */
  readAllOf(after: LogPosition, limit: number, types: readonly string[], options?: LogReadOptions & { metadata?: true }, client?: Pool | PoolClient): Promise<LogWindow<RecordedEvent>>;
  readAllOf(after: LogPosition, limit: number, types: readonly string[], options: LogReadOptions, client?: Pool | PoolClient): Promise<LogWindow<LogEvent>>;
  async readAllOf(after: LogPosition, limit: number, types: readonly string[], options: LogReadOptions = {}, client?: Pool | PoolClient): Promise<LogWindow<LogEvent>> {
    const withMetadata = options.metadata !== false;
    const { rows } = await (client ?? this.pool).query<EventRow & { nth: string; last: boolean }>(
      (withMetadata ? READ_LOG_OF : READ_LOG_OF_WITHOUT_METADATA)([after.transactionId, after.globalPosition, limit, types]),
    );
    const wanted = new Set(types);
    const events: LogEvent[] = [];
    for (const r of rows) if (wanted.has(r.type)) events.push(withMetadata ? toRecorded(r) : toLogEvent(r));
    const end = rows.at(-1);
    return {
      events,
      read: end ? Number(end.nth) : 0,
      last: end ? { transactionId: end.transaction_id, globalPosition: Number(end.global_position), recordedAt: new Date(end.recorded_ms) } : null,
    };
  }

  /**
   * The events of every stream whose id starts with one of `prefixes` (a category, e.g. `unit-`), in log
   * order, of transactions below `beforeTransaction` (a pg_snapshot_xmin: the set below it is final).
   */
  async readCategories(prefixes: string[], beforeTransaction: string, client?: Pool | PoolClient): Promise<RecordedEvent[]> {
    const like = prefixes.map((_, i) => `stream_id LIKE $${i + 2}`).join(' OR ');
    const { rows } = await (client ?? this.pool).query<EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE (${like}) AND transaction_id < $1::xid8 ORDER BY events.transaction_id, events.global_position`,
      [beforeTransaction, ...prefixes.map((p) => `${p.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)],
    );
    return rows.map(toRecorded);
  }

  /** How many committed events lie after `after` (for lag metrics and progress). */
  async countAfter(after: LogPosition): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM events WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)`,
      [after.transactionId, after.globalPosition],
    );
    return Number(rows[0].n);
  }

  async streamVersion(streamId: string): Promise<number> {
    const { rows } = await this.pool.query<{ version: string | null }>('SELECT max(stream_version) AS version FROM events WHERE stream_id = $1', [streamId]);
    return Number(rows[0]?.version ?? 0);
  }
}

/**
 * The database cannot be reached or is shutting down (connection lost, admin shutdown, out of
 * resources): the failure says nothing about the data, so callers retry rather than give up on it.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  if (typeof code === 'string' && /^(08|53|57|58)|^ECONN(REFUSED|RESET)$/.test(code)) return true;
  return /Connection terminated|connect ECONNREFUSED|Client has encountered a connection error|ECONNRESET/i.test(String((err as Error)?.message));
}
