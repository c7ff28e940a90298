// Rebuilds any projection of the registry from the log into new tables beside the live ones (`<table>_next`), then
// swaps them in with the consumers' places in one short transaction: readers never see a half-built read model, and
// whichever transport keeps it live goes on exactly once from where the new tables stand.
//
// The hand-over, for both transports at once (so the rebuild never needs to know which one runs):
// - postgres (embedded): the checkpoint is locked (the live consumer locks it per batch, so it waits), what committed
//   meanwhile is applied to the new tables, and the checkpoint is moved to the last event applied;
// - Kafka (distributed): the consumer's row (its places: next offset and last log position per topic-partition) is
//   locked the same way, and a floor is set in it: every partition then skips the events up to the last one the
//   new tables hold. Whatever the consumer had applied lies at or below that floor (it applies only events the relay
//   read gap-safely, all visible to the swap), so nothing is applied twice, and nothing above it was in the tables.
import type { PoolClient } from 'pg';
import { eventCatalog } from '@minyi/contracts';
import { LOG_START, type LogEvent, type LogPosition } from '@minyi/event-store';
import { handledTypes, isTransient, projectionCheckpoint, projectionGroup, REBUILT_FLOOR, RETIRED, type Projection, type ProjectionDefinition, type ProjectionDeps } from '@minyi/messaging';
import { cutLog } from './log-cut.js';

export interface RebuildProgress {
  done: number;
  total: number;
  phase: 'reading' | 'writing' | 'swapping' | 'done';
}

/**
 * `bulk` (the default when the definition has a bulk step): that step builds the tables from the bulk of the log,
 * the rest is applied event by event; falls back to `apply` when it declines. `apply`: every event through the
 * projection's own apply, as the live consumer does (the reference the bulk step is tested against).
 */
export type RebuildMethod = 'bulk' | 'apply';

export interface RebuildOptions {
  method?: RebuildMethod;
  /** Options of the definition's bulk step (satisfaction: `eventsPerPart`). */
  bulk?: Readonly<Record<string, unknown>>;
  /**
   * KAFKA_TOPIC_PREFIX of the installation: names the distributed consumer's row, which the rebuild creates if it
   * is missing (rows of any prefix that exist are handed over too).
   */
  kafkaTopicPrefix?: string;
  onProgress?: (p: RebuildProgress) => void;
}

export interface RebuildResult {
  projection: string;
  /** Events the projection handles, up to the swap. */
  events: number;
  /** Rows of each table after the swap. */
  rows: Record<string, number>;
  seconds: number;
  /** How the bulk of the log was taken; `declined`: the bulk step was asked for and declined. */
  method: RebuildMethod;
  declined: boolean;
  phases: {
    /** The bulk step (its own details below). */
    bulkSeconds: number;
    /** Applying events (the whole log, or what came after the bulk step's cut) before the swap. */
    applySeconds: number;
    /** Keying and analysing the new tables. */
    finishSeconds: number;
    swapSeconds: number;
  };
  details: Readonly<Record<string, number | string>>;
  /** The checkpoint rows moved in the swap (postgres checkpoints and Kafka consumers' rows). */
  handedOver: string[];
}

const READ_BATCH = 20_000;

/** The `_next` table a rebuild fills for a live table. */
export const nextTable = (table: string) => `${table}_next`;

/**
 * `deps.pool` logs in as the owner of the read models (the rebuild creates, renames and drops tables; the
 * application's role may not); the new tables get the live ones' privileges before they are swapped in.
 */
export async function rebuildProjection(definition: ProjectionDefinition, deps: ProjectionDeps, options: RebuildOptions = {}): Promise<RebuildResult> {
  const started = Date.now();
  const onProgress = options.onProgress ?? (() => undefined);
  const phases = { bulkSeconds: 0, applySeconds: 0, finishSeconds: 0, swapSeconds: 0 };
  const timed = async <T>(phase: keyof typeof phases, work: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await work();
    } finally {
      phases[phase] += (performance.now() - t) / 1000;
    }
  };
  const pool = deps.pool;
  const rebuildDeps: ProjectionDeps = { ...deps, kafka: null };
  const tables = Object.fromEntries(definition.tables.map((t) => [t, nextTable(t)]));
  const handles = new Set(handledTypes(definition, rebuildDeps));
  let method: RebuildMethod = options.method ?? (definition.bulk ? 'bulk' : 'apply');
  if (method === 'bulk' && !definition.bulk) method = 'apply';
  let declined = false;
  let details: Readonly<Record<string, number | string>> = {};

  const client = await pool.connect();
  // The log's reader is taken after the bulk step, which has the pool's other connections (it needs three).
  let reader: PoolClient | null = null;
  const lock = `minyi rebuild ${definition.name}`;
  try {
    // Two rebuilds of one projection would build into the same `_next` tables.
    const { rows: locked } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [lock]);
    if (!locked[0].ok) throw new Error(`another rebuild of ${definition.name} is running; wait for it to finish`);
    for (const live of definition.tables) await createBeside(client, live, tables[live]);
    let at: LogPosition = LOG_START;
    let done = 0;
    let total = await estimatedEvents(client);

    if (method === 'bulk') {
      const cut = await cutLog(client);
      onProgress({ done: 0, total, phase: 'reading' });
      const bulk = await timed('bulkSeconds', () =>
        definition.bulk!({ pool, deps: rebuildDeps, tables, cut, estimatedEvents: total, onProgress: (d, t) => onProgress({ done: d, total: t, phase: 'reading' }), options: options.bulk ?? {} }),
      );
      if (bulk) {
        at = cut.last;
        done = bulk.events;
        details = bulk.details ?? {};
        onProgress({ done, total: Math.max(total, done), phase: 'writing' });
      } else {
        // It declined (an event it cannot take in bulk): every event is applied instead.
        declined = true;
        method = 'apply';
        for (const t of Object.values(tables)) await client.query(`TRUNCATE ${t}`);
      }
    }
    if (method === 'apply') total = await deps.store.countAfter(LOG_START);

    reader = await pool.connect();
    const log = reader;
    const projection = definition.create(rebuildDeps, tables) as Projection<LogEvent>;
    await projection.start?.(client);
    const withMetadata = !projection.withoutMetadata;
    /** Applies everything visible after `at` (as the live consumer would), in transactions of its own or in `tx`. */
    const drain = async (inTransaction: boolean, report: boolean) => {
      let next = deps.store.readAll(at, READ_BATCH, log, { metadata: withMetadata });
      for (;;) {
        const events = await next;
        if (events.length === 0) return;
        at = positionOf(events.at(-1)!);
        // Read the next batch while this one is applied.
        next = events.length === READ_BATCH ? deps.store.readAll(at, READ_BATCH, log, { metadata: withMetadata }) : Promise.resolve([]);
        // As the live consumer does, an event that breaks its schema (only possible by writing around the event
        // store) is left out: live, it is a dead letter.
        const handled = events.filter((e) => handles.has(e.type) && eventCatalog.isValid(e.type, e.version, e.data));
        done += await applyEvents(client, projection, handled, inTransaction);
        if (report) onProgress({ done, total: Math.max(total, done), phase: 'reading' });
      }
    };
    await timed('applySeconds', () => drain(false, true));
    onProgress({ done, total: Math.max(total, done), phase: 'writing' });
    await timed('finishSeconds', async () => {
      // Fresh tables have no statistics; without them the first queries after the swap plan badly. A small
      // sample is plenty for the plans these tables get (key lookups), and a tenth of the time.
      await client.query('SET default_statistics_target = 10');
      for (const t of Object.values(tables)) await client.query(`ANALYZE ${t}`);
      await client.query('RESET default_statistics_target');
    });

    // The swap: hold every consumer's place, apply what committed meanwhile, rename, hand the places over.
    onProgress({ done, total: done, phase: 'swapping' });
    const swapStarted = performance.now();
    const checkpoint = projectionCheckpoint(definition);
    const group = (options.kafkaTopicPrefix ?? '') + projectionGroup(definition);
    await ensureRow(client, checkpoint);
    await ensureRow(client, group);
    let handedOver: string[] = [];
    await client.query('BEGIN');
    try {
      const rows = await lockPlaces(client, definition);
      await drain(true, false);
      for (const live of definition.tables) await swapIn(client, live, tables[live]);
      handedOver = await handOver(client, definition, rows, at);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    phases.swapSeconds = (performance.now() - swapStarted) / 1000;
    onProgress({ done, total: done, phase: 'done' });
    const counted: Record<string, number> = {};
    for (const live of definition.tables) counted[live] = Number((await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${live}`)).rows[0].n);
    return { projection: definition.name, events: done, rows: counted, seconds: (Date.now() - started) / 1000, method, declined, phases, details, handedOver };
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]).catch(() => undefined);
    client.release();
    reader?.release();
  }
}

/** A new table like the live one (columns, defaults, keys, indexes), with the same privileges. */
async function createBeside(client: PoolClient, live: string, next: string): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS ${next}`);
  await client.query(`CREATE TABLE ${next} (LIKE ${live} INCLUDING ALL)`);
  // The rebuild runs as the tables' owner; the live projection and analytics get what they had on the old ones.
  const { rows } = await client.query<{ privilege: string; grantee: string }>(
    `SELECT a.privilege_type AS privilege, coalesce(quote_ident(r.rolname), 'PUBLIC') AS grantee
     FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
     WHERE c.oid = $1::regclass AND a.grantee <> c.relowner`,
    [live],
  );
  for (const r of rows) await client.query(`GRANT ${r.privilege} ON ${next} TO ${r.grantee}`);
}

/** Applies events to the new tables; one that fails on its own is left out (live, it would be a dead letter). */
async function applyEvents(client: PoolClient, projection: Projection<LogEvent>, events: LogEvent[], inTransaction: boolean): Promise<number> {
  if (!events.length) return 0;
  const attempt = async (batch: LogEvent[]) => {
    await client.query(inTransaction ? 'SAVEPOINT rebuild_batch' : 'BEGIN');
    try {
      await projection.apply(batch, client);
      await client.query(inTransaction ? 'RELEASE SAVEPOINT rebuild_batch' : 'COMMIT');
    } catch (err) {
      await client.query(inTransaction ? 'ROLLBACK TO SAVEPOINT rebuild_batch' : 'ROLLBACK').catch(() => undefined);
      throw err;
    }
  };
  try {
    await attempt(events);
    return events.length;
  } catch (err) {
    if (isTransient(err)) throw err;
    let applied = 0;
    for (const e of events) {
      try {
        await attempt([e]);
        applied += 1;
      } catch (one) {
        if (isTransient(one)) throw one;
      }
    }
    return applied;
  }
}

async function ensureRow(client: PoolClient, consumer: string): Promise<void> {
  await client.query(`INSERT INTO consumer_checkpoints (consumer, transaction_id, global_position) VALUES ($1, '0', 0) ON CONFLICT (consumer) DO NOTHING`, [consumer]);
}

const like = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Locks, in name order, the rows of every consumer of the projection, whatever its version and whatever the Kafka
 * topic prefix.
 */
async function lockPlaces(client: PoolClient, definition: ProjectionDefinition): Promise<{ consumer: string; kafka: boolean }[]> {
  const group = like(projectionGroup({ name: definition.name, version: 1 }));
  const { rows } = await client.query<{ consumer: string }>(
    `SELECT consumer FROM consumer_checkpoints
     WHERE consumer = $1 OR consumer LIKE $2 OR consumer LIKE $3 OR consumer LIKE $4
     ORDER BY consumer FOR UPDATE`,
    [definition.name, `${like(definition.name)}@v%`, `%${group}`, `%${group}@v%`],
  );
  return rows.map((r) => ({ consumer: r.consumer, kafka: r.consumer.includes(projectionGroup({ name: definition.name, version: 1 })) }));
}

/**
 * Moves the postgres checkpoints of this version to `at`, and sets its Kafka consumers' floor there. Those of other
 * versions are retired: their consumers (a projector still running the older definition) apply nothing more — two
 * places for one set of tables would count what one had applied again when the other took over.
 */
async function handOver(client: PoolClient, definition: ProjectionDefinition, rows: { consumer: string; kafka: boolean }[], at: LogPosition): Promise<string[]> {
  const group = projectionGroup(definition);
  const current = (r: { consumer: string; kafka: boolean }) => (r.kafka ? r.consumer.endsWith(group) : r.consumer === projectionCheckpoint(definition));
  const move = async (list: { consumer: string; kafka: boolean }[], to: LogPosition) => {
    await client.query(`UPDATE consumer_checkpoints SET transaction_id = $2::xid8, global_position = $3, updated_at = now() WHERE consumer = ANY($1::text[])`, [
      list.filter((r) => !r.kafka).map((r) => r.consumer),
      to.transactionId,
      to.globalPosition,
    ]);
    await client.query(
      `UPDATE consumer_checkpoints
       SET offsets = offsets || jsonb_build_object($4::text, jsonb_build_object('offset', '0', 'transactionId', $2::text, 'globalPosition', $3::bigint)), updated_at = now()
       WHERE consumer = ANY($1::text[])`,
      [list.filter((r) => r.kafka).map((r) => r.consumer), to.transactionId, to.globalPosition, REBUILT_FLOOR],
    );
  };
  await move(rows.filter(current), at);
  await move(rows.filter((r) => !current(r)), RETIRED);
  return rows.map((r) => (current(r) ? r.consumer : `${r.consumer} (retired)`));
}

/** Renames the new table in place of the live one (and its indexes to the names the live one had). */
async function swapIn(client: PoolClient, live: string, next: string): Promise<void> {
  // A sequence the live table owns (a serial column) would go with it: the new table, whose default uses it, takes it.
  const { rows: sequences } = await client.query<{ sequence: string; column: string }>(
    `SELECT s.oid::regclass::text AS sequence, quote_ident(a.attname) AS column
     FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
     JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
     WHERE d.refobjid = $1::regclass AND d.deptype = 'a'`,
    [live],
  );
  for (const s of sequences) await client.query(`ALTER SEQUENCE ${s.sequence} OWNED BY ${next}.${s.column}`);
  await client.query(`ALTER TABLE ${live} RENAME TO ${live}_old`);
  await client.query(`ALTER TABLE ${next} RENAME TO ${live}`);
  await client.query(`DROP TABLE ${live}_old`);
  const { rows: indexes } = await client.query<{ name: string }>(`SELECT indexrelid::regclass::text AS name FROM pg_index WHERE indrelid = $1::regclass`, [live]);
  for (const { name } of indexes) {
    if (!name.startsWith(next)) continue;
    const canonical = live + name.slice(next.length).replace(/\d+$/, '');
    const { rows: taken } = await client.query(`SELECT 1 FROM pg_class WHERE relname = $1 AND relnamespace = current_schema()::regnamespace`, [canonical]);
    if (!taken.length) await client.query(`ALTER INDEX ${name} RENAME TO ${canonical}`);
  }
}

/** The number of events in the log, from the planner's statistics (for progress only: no scan). */
async function estimatedEvents(client: PoolClient): Promise<number> {
  const { rows } = await client.query<{ n: number }>(`SELECT greatest(reltuples, 0)::float8 AS n FROM pg_class WHERE oid = 'events'::regclass`);
  return Math.round(rows[0]?.n ?? 0);
}

function positionOf(e: LogEvent): LogPosition {
  return { transactionId: e.transactionId, globalPosition: e.globalPosition };
}
