// Scenario 1 — intake: durable ratings/s over HTTP on the embedded all-in-one, beside the baselines that
// bound it: raw multi-row INSERT (database ceiling), Emmett appendToStream (a peer event store) and bare
// Fastify without a database (HTTP ceiling). Every measurement is repeated `runs` times, interleaved.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { connect, registerOrganisation, ROOT, startMinyi } from '../lib/minyi.mjs';
import { coresBetween, groupCpu, machineBusyCores, machineCpu, rssSampler, startProcess } from '../lib/procs.mjs';
import * as os from 'node:os';
import { postgresInfo } from '../lib/machine.mjs';
import { dbLoad, httpLoad, WORKERS } from '../lib/workers.mjs';
import { freePort, log, median, round, sleep, waitFor } from '../lib/util.mjs';

export const name = 'intake';

/** The Fastify minyi runs on: the one @nestjs/platform-fastify resolves (not necessarily the root's). */
function minyiFastifyVersion() {
  const adapter = createRequire(path.join(ROOT, 'package.json')).resolve('@nestjs/platform-fastify');
  return createRequire(adapter)('fastify/package.json').version;
}

/** A rating-id-safe tag of a label. */
const tag = (label) => label.replace(/[^A-Za-z0-9]+/g, '').slice(0, 16);

/** What one measurement does; each returns a row of figures. */
function measurements(ctx, env) {
  const d = ctx.durationS;
  const w = ctx.warmupS;
  const http = (label, kind, connections, extra = {}) => ({
    label,
    unit: 'ratings/s',
    async run(runNo) {
      const before = extra.target ? null : await durable(env.db);
      const r = await httpLoad(label, {
        url: extra.target ?? env.minyi.url,
        kind,
        path: kind === 'batch' ? '/v1/ratings/batch' : '/v1/ratings',
        connections,
        durationS: d,
        warmupS: w,
        keys: env.keys,
        batchSize: 100,
        idPrefix: `${tag(label)}-${runNo}-${Date.now().toString(36)}`,
      });
      const row = {
        throughput: r.itemsPerS,
        requestsPerS: r.requestsPerS,
        p50Ms: r.latencyMs.p50,
        p99Ms: r.latencyMs.p99,
        failures: r.non2xx + r.errors + r.timeouts,
        raw: r,
      };
      if (before) {
        // Durable = committed: count what the database holds, not what the load generator heard.
        const after = await durable(env.db);
        row.committedRatings = after.ratings - before.ratings;
        row.commits = after.commits - before.commits;
        row.ratingsPerCommit = row.commits ? round(row.committedRatings / row.commits, 1) : null;
        row.walFsyncs = after.walFsyncs !== null && before.walFsyncs !== null ? after.walFsyncs - before.walFsyncs : null;
        row.xactCommits = after.xactCommit - before.xactCommit;
      }
      return row;
    },
  });
  const db = (label, mode, rows, concurrency) => ({
    label,
    unit: 'rows/s',
    async run(runNo) {
      const before = await walStats(env.db);
      const r = await dbLoad(label, {
        mode,
        dbUrl: env.minyi.dbUrl,
        table: 'bench_raw_events',
        rows,
        concurrency,
        durationS: d,
        warmupS: w,
        idPrefix: `${tag(label)}-${runNo}-${Date.now().toString(36)}`,
      });
      const after = await walStats(env.db);
      return {
        throughput: r.rowsPerS,
        requestsPerS: r.opsPerS,
        p50Ms: r.latencyMs.p50,
        p99Ms: r.latencyMs.p99,
        failures: r.errors,
        walFsyncs: after.walFsyncs !== null && before.walFsyncs !== null ? after.walFsyncs - before.walFsyncs : null,
        xactCommits: after.xactCommit - before.xactCommit,
        raw: r,
      };
    },
  });
  return [
    http('minyi single POST /v1/ratings c=64', 'single', 64),
    http('minyi batch POST /v1/ratings/batch ×100 c=16', 'batch', 16),
    db('raw INSERT 100 rows/stmt c=16 (db ceiling)', 'raw', 100, 16),
    db('raw INSERT 1 row/stmt c=64', 'raw', 1, 64),
    db('Emmett appendToStream 1 event c=16', 'emmett', 1, 16),
    db('Emmett appendToStream 100 events c=16', 'emmett', 100, 16),
    http('bare Fastify 202, no db, c=64 (HTTP ceiling)', 'single', 64, { target: env.fastifyUrl }),
  ];
}

async function walStats(db) {
  const x = await db.query(`SELECT xact_commit::bigint AS c FROM pg_stat_database WHERE datname = current_database()`);
  let walFsyncs = null;
  try {
    // PostgreSQL 18 counts WAL writes and fsyncs in pg_stat_io.
    const r = await db.query(`SELECT coalesce(sum(fsyncs), 0)::bigint AS f FROM pg_stat_io WHERE object = 'wal'`);
    walFsyncs = Number(r.rows[0].f);
  } catch {
    try {
      const r = await db.query(`SELECT wal_sync::bigint AS f FROM pg_stat_wal`);
      walFsyncs = Number(r.rows[0].f);
    } catch {
      /* unknown */
    }
  }
  return { xactCommit: Number(x.rows[0].c), walFsyncs };
}

/**
 * Samples what PostgreSQL's busy backends are doing (pg_stat_activity, every `everyMs`) while a measurement
 * runs: on CPU, or waiting — on the WAL flush above all (IO:WalSync, and LWLock:WALWrite for the flush of
 * another backend). Its own connection; ~50 cheap queries a second. Returns stop() → the summary.
 */
export function waitSampler(dbUrl, everyMs = 20, { byQuery = false } = {}) {
  let stopped = false;
  const counts = new Map();
  /** With byQuery: busy backends per statement (its first 100 characters) and what each waited on. */
  const queries = new Map();
  let samples = 0;
  const loop = (async () => {
    const c = await connect(dbUrl);
    try {
      while (!stopped) {
        const { rows } = await c.query(
          byQuery
            ? `SELECT coalesce(wait_event_type, 'CPU') || ':' || coalesce(wait_event, '-') AS w, left(regexp_replace(query, '\\s+', ' ', 'g'), 100) AS q, count(*)::int AS n
               FROM pg_stat_activity WHERE backend_type = 'client backend' AND state = 'active' AND pid <> pg_backend_pid() GROUP BY 1, 2`
            : `SELECT coalesce(wait_event_type, 'CPU') || ':' || coalesce(wait_event, '-') AS w, count(*)::int AS n
               FROM pg_stat_activity WHERE backend_type = 'client backend' AND state = 'active' AND pid <> pg_backend_pid() GROUP BY 1`,
        );
        samples += 1;
        for (const r of rows) {
          counts.set(r.w, (counts.get(r.w) ?? 0) + r.n);
          if (byQuery) {
            const q = queries.get(r.q) ?? { n: 0, waits: {} };
            q.n += r.n;
            q.waits[r.w] = (q.waits[r.w] ?? 0) + r.n;
            queries.set(r.q, q);
          }
        }
        await sleep(everyMs);
      }
    } finally {
      await c.end().catch(() => undefined);
    }
  })();
  return async () => {
    stopped = true;
    await loop.catch(() => undefined);
    const total = [...counts.values()].reduce((a, n) => a + n, 0);
    const share = (keys) => (total ? round(keys.reduce((a, k) => a + (counts.get(k) ?? 0), 0) / total, 3) : null);
    return {
      samples,
      activeBackends: samples ? round(total / samples, 2) : null,
      /** Of the time backends were busy with a statement: waiting for the WAL to reach the disk, and on CPU. */
      walFlushShare: share(['IO:WalSync', 'LWLock:WALWrite', 'IO:WalWrite']),
      cpuShare: share(['CPU:-']),
      top: Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, n]) => [k, round(n / total, 3)])),
      ...(byQuery
        ? {
            /** Busy backends per sample, by statement: its share of the backends' busy time, and of that on CPU. */
            byQuery: [...queries]
              .sort((a, b) => b[1].n - a[1].n)
              .slice(0, 25)
              .map(([q, v]) => ({ query: q, busyShare: round(v.n / total, 3), backendsPerSample: round(v.n / samples, 3), cpuShare: round((v.waits['CPU:-'] ?? 0) / v.n, 2), waits: v.waits })),
          }
        : {}),
    };
  };
}

async function durable(db) {
  const [{ rows }, wal] = await Promise.all([
    db.query(`SELECT count(*)::bigint AS n, count(DISTINCT transaction_id)::bigint AS c FROM events WHERE type = 'RatingSubmitted'`),
    walStats(db),
  ]);
  return { ratings: Number(rows[0].n), commits: Number(rows[0].c), ...wal };
}

export async function run(ctx) {
  const minyi = await startMinyi('intake', { nodeArgs: ctx.profile ? ['--cpu-prof', `--cpu-prof-dir=${ctx.profileDir}`] : [] });
  const rss = rssSampler(minyi.pid);
  const db = await connect(minyi.dbUrl);
  let fastify;
  try {
    log('intake: registering 16 windows with a terminal each');
    const org = await registerOrganisation(minyi.url, { branches: 2, stationsPerBranch: 4, windowsPerStation: 2 });
    const keys = Object.values(org.keys).map((k) => k.apiKey);
    // The database ceiling writes rows of the events table's exact shape (same columns, defaults and indexes)
    // into a table of its own, so that the projector does not fold them.
    await db.query(`DROP TABLE IF EXISTS bench_raw_events`);
    await db.query(`CREATE TABLE bench_raw_events (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`);
    // Warm up both intake paths, then let PostgreSQL gather statistics, as autovacuum would in its first minute
    // on a live system: with no statistics at all, the batch path's read of 100 rating streams
    // (stream_id = ANY($1)) is planned as a parallel seq scan of the whole log (see analysis.md).
    for (const [kind, c] of [['single', 64], ['batch', 16]]) {
      await httpLoad(`warm-up ${kind}`, { url: minyi.url, kind, path: kind === 'batch' ? '/v1/ratings/batch' : '/v1/ratings', connections: c, durationS: 2, keys, batchSize: 100, idPrefix: `warm${kind}${Date.now().toString(36)}` });
    }
    await db.query('ANALYZE');
    const fastifyPort = await freePort();
    fastify = startProcess('fastify-ceiling', process.execPath, [path.join(WORKERS, 'fastify-ceiling.mjs'), String(fastifyPort)]);
    const fastifyUrl = `http://127.0.0.1:${fastifyPort}`;
    await waitFor(() => fastify.output().includes('LISTENING'), 20_000, 'bare Fastify');
    const httpStack = { minyiFastify: minyiFastifyVersion(), bareFastify: /LISTENING \d+ fastify (\S+)/.exec(fastify.output())?.[1] ?? null };
    log(`intake: minyi runs Fastify ${httpStack.minyiFastify}; the bare-Fastify HTTP ceiling runs Fastify ${httpStack.bareFastify}`);
    rss.mark('setup');

    const env = { minyi, db, keys, fastifyUrl };
    const list = measurements(ctx, env);
    const results = list.map(() => []);
    let waits = null;
    for (let runNo = 1; runNo <= ctx.runs; runNo++) {
      for (let i = 0; i < list.length; i++) {
        if (ctx.only && !ctx.only.some((o) => list[i].label.includes(o))) continue;
        log(`intake run ${runNo}/${ctx.runs}: ${list[i].label} (${ctx.durationS} s)`);
        const cpu0 = { minyi: groupCpu(minyi.pid), fastify: groupCpu(fastify.pid), machine: machineCpu() };
        const stopSampling = waitSampler(minyi.dbUrl);
        const row = await list[i].run(runNo).finally(async () => void (waits = await stopSampling()));
        const cpu1 = { minyi: groupCpu(minyi.pid), fastify: groupCpu(fastify.pid), machine: machineCpu() };
        row.postgresWaits = waits;
        const m = coresBetween(cpu0.minyi, cpu1.minyi);
        // Cores in use over the worker's life (warm-up included): minyi's node, its PostgreSQL, the load generator, the machine.
        row.cores = {
          minyiNode: m.leader,
          postgres: row.raw.postgresBackendCores !== undefined ? Math.round(row.raw.postgresBackendCores * 100) / 100 : m.others,
          fastify: coresBetween(cpu0.fastify, cpu1.fastify).leader,
          loadGenerator: Math.round((row.raw.loadGeneratorCores ?? 0) * 100) / 100,
          machine: machineBusyCores(cpu0.machine, cpu1.machine, os.cpus().length),
        };
        log(`  → ${round(row.throughput, 0)} ${list[i].unit}, p50 ${round(row.p50Ms, 1)} ms, p99 ${round(row.p99Ms, 1)} ms${row.failures ? `, ${row.failures} failures` : ''}${row.committedRatings !== undefined ? `, ${row.committedRatings} committed in ${row.commits} commits` : ''}`);
        results[i].push(row);
        if (!minyi.isAlive()) throw new Error(`minyi died:\n${minyi.output().slice(-3000)}`);
      }
      rss.mark(`run ${runNo}`);
    }
    const memory = rss.stop();

    const figures = list.map((m, i) => {
      const rs = results[i];
      if (!rs.length) return null;
      return {
        label: m.label,
        unit: m.unit,
        median: round(median(rs.map((r) => r.throughput)), 0),
        p50Ms: round(median(rs.map((r) => r.p50Ms)), 2),
        p99Ms: round(median(rs.map((r) => r.p99Ms)), 2),
        requestsPerS: round(median(rs.map((r) => r.requestsPerS)), 0),
        failures: rs.reduce((a, r) => a + (r.failures ?? 0), 0),
        ratingsPerCommit: rs[0].ratingsPerCommit !== undefined ? median(rs.map((r) => r.ratingsPerCommit)) : undefined,
        walFsyncsPerS: rs[0].walFsyncs !== null && rs[0].walFsyncs !== undefined ? round(median(rs.map((r) => r.walFsyncs / (r.raw.elapsedS ?? r.raw.durationS))), 0) : undefined,
        cores: Object.fromEntries(Object.keys(rs[0].cores).map((k) => [k, round(median(rs.map((r) => r.cores[k])), 2)])),
        walFlushShare: rs.some((r) => r.postgresWaits?.walFlushShare != null) ? round(median(rs.map((r) => r.postgresWaits?.walFlushShare).filter((x) => x != null)), 2) : undefined,
        runs: rs.map(({ raw, ...rest }) => ({ ...rest, raw })),
      };
    });
    const by = (s) => figures.find((f) => f?.label.startsWith(s));
    const single = by('minyi single');
    const batch = by('minyi batch');
    const rawBatch = by('raw INSERT 100');
    const emmett1 = by('Emmett appendToStream 1 ');
    const fast = by('bare Fastify');
    const ratio = (a, b) => (a && b && b.median ? round(a.median / b.median, 3) : null);
    // The ratio within each run (measured seconds apart) shows how much the machine drifted between runs.
    const perRun = (a, b) => (a && b ? a.runs.map((r, k) => (b.runs[k]?.throughput ? round(r.throughput / b.runs[k].throughput, 2) : null)) : []);
    const targets = [
      { name: 'durable single ratings ≥ 2.5× Emmett single appends', value: ratio(single, emmett1), perRun: perRun(single, emmett1), target: 2.5 },
      { name: 'durable single ratings ≥ 0.4× no-database HTTP ceiling', value: ratio(single, fast), perRun: perRun(single, fast), target: 0.4 },
      { name: 'batch intake ≥ 0.7× raw multi-row INSERT ceiling', value: ratio(batch, rawBatch), perRun: perRun(batch, rawBatch), target: 0.7 },
    ].map((t) => ({ ...t, met: t.value === null ? null : t.value >= t.target, shortBy: t.value === null || t.value >= t.target ? null : `${round((1 - t.value / t.target) * 100, 1)}% below (needs ×${round(t.target / t.value, 2)})` }));

    return {
      postgres: await postgresInfo(db),
      httpStack,
      figures: figures.filter(Boolean),
      targets,
      memory: { allInOne: memory },
      table: {
        header: ['measurement', 'median', 'unit', 'req/s', 'p50 ms', 'p99 ms', 'per commit', 'fsync/s', 'pg WAL wait', 'failures', 'cores: node/pg/http/loadgen/all'],
        rows: figures
          .filter(Boolean)
          .map((f) => [f.label, f.median, f.unit, f.requestsPerS, f.p50Ms, f.p99Ms, f.ratingsPerCommit ?? '', f.walFsyncsPerS ?? '', f.walFlushShare ?? '', f.failures, `${f.cores.minyiNode}/${f.cores.postgres}/${f.cores.fastify}/${f.cores.loadGenerator}/${f.cores.machine}`]),
      },
      notes: [
        `HTTP stack: minyi runs Fastify ${httpStack.minyiFastify} (under @nestjs/platform-fastify); the bare-Fastify HTTP ceiling runs Fastify ${httpStack.bareFastify}, the newest Fastify 5 installed.`,
        'All loads run from separate processes on the same 2-core machine as minyi and PostgreSQL (they compete for CPU).',
        'minyi throughput counts 2xx answers × items; committedRatings in each run counts what the database holds afterwards.',
        'Baselines write into the same embedded PostgreSQL (fsync on, synchronous_commit on) while minyi idles.',
        'After a 2 s warm-up of each intake path the bench runs ANALYZE (what autovacuum does within its first minute on a live system).',
        'pg WAL wait: of the PostgreSQL backends busy with a statement (pg_stat_activity sampled every 20 ms), the share waiting for the WAL flush (IO:WalSync, LWLock:WALWrite, IO:WalWrite); each run keeps the top wait events.',
      ],
    };
  } finally {
    await db.end().catch(() => undefined);
    await fastify?.stop(5000);
    await minyi.stop();
  }
}
