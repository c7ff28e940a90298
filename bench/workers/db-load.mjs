// Database baselines in their own process, each for a fixed time at a fixed concurrency:
//   raw      — multi-row INSERT (VALUES of `rows` rows, autocommit) of rows shaped like minyi's events, with `pg`
//   emmett   — @event-driven-io/emmett-postgresql appendToStream of `rows` RatingSubmitted events to a new stream
//   raw-unnest, raw+streams — decompositions of minyi's grouped commit (see below)
// Prints `RESULT <json>`: operations and rows per second, per-operation latency percentiles.
//
//   node bench/workers/db-load.mjs '<json config>'
//   config: { mode: 'raw'|'emmett', dbUrl, table?, rows, concurrency, durationS, idPrefix, warmupS? }
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import pg from 'pg';
import { ratingEvents } from '../lib/rating-events.mjs';
import { closedLoop, latencySummary } from '../lib/util.mjs';

const cfg = JSON.parse(process.argv[2]);
/** One rating as minyi records it: the RatingSubmitted data, the metadata, the unit and time. */
const ratingEvent = ratingEvents(cfg.idPrefix);

let operation;
let close = async () => undefined;
let pool;

/** CPU seconds used by this worker's PostgreSQL backends (read from /proc: same machine). */
async function backendCpuSeconds() {
  const clients = await Promise.all(Array.from({ length: cfg.concurrency }, () => pool.connect()));
  let total = 0;
  try {
    for (const c of clients) {
      const { rows } = await c.query('SELECT pg_backend_pid() AS pid');
      try {
        const s = fs.readFileSync(`/proc/${rows[0].pid}/stat`, 'utf8');
        const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
        total += (Number(f[11]) + Number(f[12])) / 100;
      } catch {
        /* not visible */
      }
    }
  } finally {
    clients.forEach((c) => c.release());
  }
  return total;
}

if (cfg.mode === 'raw-unnest' || cfg.mode === 'raw+streams') {
  // Decompositions of the event store's grouped commit against the raw ceiling (same rows, same table):
  //   raw-unnest  — one INSERT … SELECT FROM unnest(9 arrays), as EventStore.insertEvents sends it
  //   raw+streams — BEGIN; multi-row INSERT into a copy of `streams`; multi-row INSERT of the events; COMMIT
  pool = new pg.Pool({ connectionString: cfg.dbUrl, max: cfg.concurrency });
  close = () => pool.end();
  const values = (rows, perRow) => Array.from({ length: rows }, (_, r) => `(${Array.from({ length: perRow }, (_, c) => `$${r * perRow + c + 1}`).join(',')})`).join(',');
  const eventsSql = `INSERT INTO ${cfg.table} (event_id, stream_id, stream_version, type, version, data, metadata, unit_id, occurred_at) VALUES ${values(cfg.rows, 9)}`;
  const streamsSql = `INSERT INTO ${cfg.streamsTable} (stream_id, version) VALUES ${values(cfg.rows, 2)}`;
  const unnestSql = `INSERT INTO ${cfg.table} (event_id, stream_id, stream_version, type, version, data, metadata, unit_id, occurred_at)
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[], $8::text[], $9::timestamptz[])`;
  operation = async () => {
    const es = Array.from({ length: cfg.rows }, ratingEvent);
    if (cfg.mode === 'raw-unnest') {
      const cols = [[], [], [], [], [], [], [], [], []];
      for (const e of es) {
        [randomUUID(), `rating-${e.id}`, 1, 'RatingSubmitted', 1, JSON.stringify(e.data), JSON.stringify(e.metadata), e.unitId, e.occurredAt.toISOString()].forEach((v, i) => cols[i].push(v));
      }
      await pool.query(unnestSql, cols);
      return;
    }
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(streamsSql, es.flatMap((e) => [`rating-${e.id}`, 1]));
      await client.query(
        eventsSql,
        es.flatMap((e) => [randomUUID(), `rating-${e.id}`, 1, 'RatingSubmitted', 1, JSON.stringify(e.data), JSON.stringify(e.metadata), e.unitId, e.occurredAt.toISOString()]),
      );
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };
} else if (cfg.mode === 'raw') {
  pool = new pg.Pool({ connectionString: cfg.dbUrl, max: cfg.concurrency });
  close = () => pool.end();
  const perRow = 9;
  const values = Array.from({ length: cfg.rows }, (_, r) => `(${Array.from({ length: perRow }, (_, c) => `$${r * perRow + c + 1}`).join(',')})`).join(',');
  const sql = `INSERT INTO ${cfg.table} (event_id, stream_id, stream_version, type, version, data, metadata, unit_id, occurred_at) VALUES ${values}`;
  operation = async () => {
    const params = [];
    for (let i = 0; i < cfg.rows; i++) {
      const e = ratingEvent();
      params.push(randomUUID(), `rating-${e.id}`, 1, 'RatingSubmitted', 1, JSON.stringify(e.data), JSON.stringify(e.metadata), e.unitId, e.occurredAt.toISOString());
    }
    await pool.query(sql, params);
  };
} else if (cfg.mode === 'emmett') {
  const { getPostgreSQLEventStore } = await import('@event-driven-io/emmett-postgresql');
  const { STREAM_DOES_NOT_EXIST } = await import('@event-driven-io/emmett');
  pool = new pg.Pool({ connectionString: cfg.dbUrl, max: cfg.concurrency });
  const store = getPostgreSQLEventStore(cfg.dbUrl, { connectionOptions: { pool } });
  await store.schema.migrate();
  close = async () => {
    await store.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
  };
  let streams = 0;
  operation = async () => {
    const events = [];
    for (let i = 0; i < cfg.rows; i++) {
      const e = ratingEvent();
      events.push({ type: 'RatingSubmitted', data: e.data, metadata: e.metadata });
    }
    const stream = cfg.rows === 1 ? `rating-${events[0].data.ratingId}` : `ratings-${cfg.idPrefix}-${streams++}`;
    await store.appendToStream(stream, events, { expectedStreamVersion: STREAM_DOES_NOT_EXIST });
  };
} else {
  throw new Error(`unknown mode ${cfg.mode}`);
}

let errors = 0;
let firstError = null;
const run = (durationS, record) =>
  closedLoop({
    concurrency: cfg.concurrency,
    durationS,
    record,
    op: operation,
    onError: (err) => {
      errors++;
      firstError ??= err.message;
      if (errors > 100) throw err;
    },
  });

try {
  const lifeStarted = Date.now();
  if (cfg.warmupS) await run(cfg.warmupS, false);
  const cpu0 = process.cpuUsage();
  const r = await run(cfg.durationS, true);
  const cpu = process.cpuUsage(cpu0);
  const backendCores = (await backendCpuSeconds()) / ((Date.now() - lifeStarted) / 1000);
  const { p50, p90, p99, max } = latencySummary(r.latencies);
  process.stdout.write(
    'RESULT ' +
      JSON.stringify({
        mode: cfg.mode,
        rows: cfg.rows,
        concurrency: cfg.concurrency,
        elapsedS: r.elapsedS,
        ops: r.calls,
        errors,
        firstError,
        opsPerS: r.calls / r.elapsedS,
        rowsPerS: (r.calls * cfg.rows) / r.elapsedS,
        loadGeneratorCores: (cpu.user + cpu.system) / 1e6 / r.elapsedS,
        postgresBackendCores: backendCores,
        latencyMs: { p50, p90, p99, max },
      }) +
      '\n',
  );
} finally {
  await close();
}
process.exit(0);
