// Extra scenario `store` (not part of `npm run bench`; run it by name): minyi's EventStore on its own — no
// HTTP, no Nest, no projector — appending new rating streams from a separate process into a database of its
// own on the same embedded PostgreSQL. It separates the event store's ceiling from the HTTP/intake cost,
// and shows what the grouped commit's pipeline depth (maxConcurrentCommits, default 2) does.
import { createRequire } from 'node:module';
import * as os from 'node:os';
import { connect, startMinyi } from '../lib/minyi.mjs';
import { postgresInfo } from '../lib/machine.mjs';
import { machineBusyCores, machineCpu } from '../lib/procs.mjs';
import { distDir } from '../lib/snapshot.mjs';
import { runWorker } from '../lib/workers.mjs';
import { log, median, round } from '../lib/util.mjs';

export async function run(ctx) {
  const minyi = await startMinyi('store');
  const db = await connect(minyi.dbUrl);
  try {
    await db.query('DROP DATABASE IF EXISTS storebench');
    await db.query('CREATE DATABASE storebench');
    const url = minyi.dbUrl.replace(/\/minyi$/, '/storebench');
    const require = createRequire(import.meta.url);
    const migrated = await require(`${distDir()}/apps/minyi/src/index.js`).migrateDatabase(url);
    // The event store appends as the application's own login role, as minyi does (builds before it had one: the owner's URL).
    const appUrl = migrated?.appUrl ?? url;
    const variants = [
      { label: 'append 1 event, c=16 (as Emmett)', concurrency: 16, perCall: 1 },
      { label: 'append 1 event, c=64', concurrency: 64, perCall: 1 },
      { label: 'append 1 event, c=64, maxConcurrentCommits 8', concurrency: 64, perCall: 1, options: { maxConcurrentCommits: 8 } },
      { label: 'appendMany 100 streams, c=16', concurrency: 16, perCall: 100 },
      { label: 'appendMany 100 streams, c=16, maxConcurrentCommits 8', concurrency: 16, perCall: 100, options: { maxConcurrentCommits: 8 } },
    ];
    // Raw baselines in the same database, to decompose the grouped commit's cost (same rows as the intake's ceiling).
    const sdb = await connect(url);
    await sdb.query(`CREATE TABLE bench_raw_events (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`);
    // The table the event store wrote a row to per new stream until migration 0004 (kept here to show its cost).
    await sdb.query(`CREATE TABLE bench_raw_streams (stream_id text PRIMARY KEY, version bigint NOT NULL CHECK (version > 0))`);
    await sdb.end();
    variants.push(
      { label: 'raw INSERT 100 rows (VALUES), c=16 — the ceiling', concurrency: 16, perCall: 100, raw: 'raw' },
      { label: 'raw INSERT 100 rows as unnest(arrays), c=16', concurrency: 16, perCall: 100, raw: 'raw-unnest' },
      { label: 'raw INSERT 100 rows + 100 streams rows in one transaction, c=16', concurrency: 16, perCall: 100, raw: 'raw+streams' },
    );
    const results = variants.map(() => []);
    for (let runNo = 1; runNo <= ctx.runs; runNo++) {
      for (let i = 0; i < variants.length; i++) {
        const v = variants[i];
        const m0 = machineCpu();
        if (v.raw) {
          const r = await runWorker('raw', 'db-load.mjs', {
            mode: v.raw,
            dbUrl: url,
            table: 'bench_raw_events',
            streamsTable: 'bench_raw_streams',
            rows: 100,
            concurrency: v.concurrency,
            durationS: ctx.durationS,
            warmupS: ctx.warmupS,
            idPrefix: `r${i}-${runNo}-${Date.now().toString(36)}`,
          });
          const row = { eventsPerS: r.rowsPerS, eventsPerCommit: 100, processCores: r.loadGeneratorCores, cpuUsPerEvent: (r.loadGeneratorCores / r.rowsPerS) * 1e6, latencyMs: r.latencyMs, postgresCores: r.postgresBackendCores };
          row.machineCores = machineBusyCores(m0, machineCpu(), os.cpus().length);
          results[i].push(row);
          log(`store run ${runNo}: ${v.label}: ${round(row.eventsPerS, 0)} rows/s, p50 ${round(r.latencyMs.p50, 1)} ms, client ${round(row.processCores, 2)} cores, PostgreSQL ${round(r.postgresBackendCores, 2)} cores`);
          continue;
        }
        const r = await runWorker('store', 'store-load.mjs', {
          dbUrl: appUrl,
          distDir: distDir(),
          concurrency: v.concurrency,
          perCall: v.perCall,
          options: v.options,
          durationS: ctx.durationS,
          warmupS: ctx.warmupS,
          idPrefix: `s${i}-${runNo}-${Date.now().toString(36)}`,
        });
        r.machineCores = machineBusyCores(m0, machineCpu(), os.cpus().length);
        results[i].push(r);
        log(`store run ${runNo}: ${v.label}: ${round(r.eventsPerS, 0)} events/s, ${round(r.eventsPerCommit, 1)} per commit, p50 ${round(r.latencyMs.p50, 1)} ms, p99 ${round(r.latencyMs.p99, 1)} ms, process ${round(r.processCores, 2)} cores`);
      }
      await db.query('VACUUM ANALYZE').catch(() => undefined);
    }
    const figures = variants.map((v, i) => ({
      label: v.label,
      eventsPerS: round(median(results[i].map((r) => r.eventsPerS)), 0),
      eventsPerCommit: round(median(results[i].map((r) => r.eventsPerCommit)), 1),
      p50Ms: round(median(results[i].map((r) => r.latencyMs.p50)), 2),
      p99Ms: round(median(results[i].map((r) => r.latencyMs.p99)), 2),
      processCores: round(median(results[i].map((r) => r.processCores)), 2),
      cpuUsPerEvent: round(median(results[i].map((r) => r.cpuUsPerEvent)), 1),
      machineCores: round(median(results[i].map((r) => r.machineCores)), 2),
      postgresCores: results[i][0]?.postgresCores !== undefined ? round(median(results[i].map((r) => r.postgresCores)), 2) : null,
      runs: results[i],
    }));
    return {
      postgres: await postgresInfo(db),
      figures,
      targets: [],
      table: {
        header: ['EventStore alone / raw decompositions', 'events/s', 'events per commit', 'p50 ms', 'p99 ms', 'client cores', 'client µs/event', 'PostgreSQL cores', 'machine cores'],
        rows: figures.map((f) => [f.label, f.eventsPerS, f.eventsPerCommit, f.p50Ms, f.p99Ms, f.processCores, f.cpuUsPerEvent, f.postgresCores ?? '', f.machineCores]),
      },
      notes: [
        'A database of its own (storebench) on the same embedded PostgreSQL, so that no projector folds these events.',
        'The raw rows decompose the grouped commit: the same 100 rows as a VALUES list (the intake ceiling), as unnest() of 9 arrays (how EventStore.insertEvents sends them), and together with 100 `streams` rows in one transaction (what the store’s stream-version table cost until migration 0004 removed it).',
        'PostgreSQL cores are measured only for the raw rows (from their backends); the machine column covers everything.',
      ],
    };
  } finally {
    await db.end().catch(() => undefined);
    await minyi.stop();
  }
}
