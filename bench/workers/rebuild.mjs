// Rebuilds every satisfaction read model with apps/projector's generic rebuildProjection and the registry's
// satisfaction definition (what `npm run rebuild -- satisfaction` runs), in its own process, and prints
// `RESULT <json>` with the rebuild's figures and this process's peak RSS.
//
//   node bench/workers/rebuild.mjs '<json config>'     config: { dbUrl, timeZone, distDir?, method? ('database' | 'fold') }
//   'database': the definition's bulk step (the SQL aggregate), then the rest applied; 'fold': every event applied.
import { createRequire } from 'node:module';

const cfg = JSON.parse(process.argv[2]);
// The build under test: the runner's snapshot of dist/ (cfg.distDir), else the repository's.
const require = createRequire(import.meta.url);
const dist = cfg.distDir ?? new URL('../../dist', import.meta.url).pathname;
const { rebuildProjection } = require(`${dist}/apps/projector/src/index.js`);
const { PROJECTIONS, SATISFACTION_SOURCES } = require(`${dist}/apps/minyi/src/index.js`);
const { EventStore } = require(`${dist}/libs/event-store/src/index.js`);
const { createPools } = require(`${dist}/libs/platform/src/index.js`);

const pools = await createPools(cfg.dbUrl, { max: 4 });
// cfg.dbUrl is the superuser's: the rebuild runs as the tables' owner (builds before the application had a login
// role of its own opened an owner's pool beside the application's).
const owner = pools.owner ?? pools.app;
// What the log holds when the rebuild starts, and any transaction that could hide part of it from a
// gap-safe reader (an open transaction older than events it wrote).
// (The events the satisfaction read models count: ratings, voids and the organisation's units, windows and officers.)
const logBefore = (
  await owner.query(
    `SELECT count(*) FILTER (WHERE type IN ('RatingSubmitted', 'RatingVoided', 'UnitRegistered', 'WindowRegistered', 'OfficerRegistered'))::bigint AS n,
            pg_snapshot_xmin(pg_current_snapshot())::text AS xmin FROM events`,
  )
).rows[0];
const openTx = (
  await owner.query(
    `SELECT pid, backend_xid::text AS xid, backend_xmin::text AS xmin, state, application_name, left(query, 120) AS query, now() - xact_start AS age
     FROM pg_stat_activity WHERE (backend_xid IS NOT NULL OR backend_xmin IS NOT NULL) AND pid <> pg_backend_pid()`,
  )
).rows;
const phases = {};
let lastPrint = 0;
let phase = null;
let phaseStarted = Date.now();
const started = Date.now();
try {
  const satisfaction = PROJECTIONS.find((p) => p.name === 'satisfaction');
  const deps = { pool: owner, store: new EventStore(owner), timeZone: cfg.timeZone, satisfactionSources: SATISFACTION_SOURCES, config: {} };
  const onProgress = (p) => {
    const now = Date.now();
    if (p.phase !== phase) {
      if (phase) phases[phase] = (phases[phase] ?? 0) + (now - phaseStarted) / 1000;
      phase = p.phase;
      phaseStarted = now;
    }
    if (now - lastPrint > 5000) {
      lastPrint = now;
      process.stderr.write(`rebuild: ${p.phase} ${p.done}/${p.total} after ${((now - started) / 1000).toFixed(1)} s, rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB\n`);
    }
  };
  const r = await rebuildProjection(satisfaction, deps, { method: cfg.method === 'fold' ? 'apply' : 'bulk', onProgress });
  if (phase) phases[phase] = (phases[phase] ?? 0) + (Date.now() - phaseStarted) / 1000;
  process.stdout.write(
    'RESULT ' +
      JSON.stringify({
        events: r.events,
        cells: r.rows.rm_satisfaction,
        // As the bench has always named them: aggregated in the database, or every event folded by the projection.
        method: r.method === 'bulk' ? 'database' : 'fold',
        seconds: r.seconds,
        eventsPerS: r.events / r.seconds,
        peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
        phasesS: phases,
        productPhasesS: { ...r.phases, ...r.details },
        eventsInLogAtStart: Number(logBefore.n),
        snapshotXminAtStart: logBefore.xmin,
        openTransactionsAtStart: openTx.map((t) => ({ ...t, age: String(t.age) })),
      }) +
      '\n',
  );
} finally {
  await pools.end();
}
process.exit(0);
