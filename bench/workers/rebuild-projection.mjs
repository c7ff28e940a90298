// Rebuilds one projection of the registry with apps/projector's generic rebuildProjection (what
// `npm run rebuild -- <name>` runs), in its own process, and prints `RESULT <json>` with the rebuild's figures, the
// bulk step's own phases and this process's peak RSS. (rebuild.mjs is the satisfaction scenario's, with its checks.)
//
//   node bench/workers/rebuild-projection.mjs '<json config>'
//   config: { dbUrl, timeZone, projection, distDir?, method? ('bulk' | 'apply') }
import { createRequire } from 'node:module';

const cfg = JSON.parse(process.argv[2]);
const require = createRequire(import.meta.url);
const dist = cfg.distDir ?? new URL('../../dist', import.meta.url).pathname;
const { rebuildProjection } = require(`${dist}/apps/projector/src/index.js`);
const { PROJECTIONS, SATISFACTION_SOURCES } = require(`${dist}/apps/minyi/src/index.js`);
const { EventStore } = require(`${dist}/libs/event-store/src/index.js`);
const { createPools } = require(`${dist}/libs/platform/src/index.js`);

const pools = await createPools(cfg.dbUrl, { max: 4 });
const owner = pools.owner ?? pools.app;
try {
  const definition = PROJECTIONS.find((p) => p.name === cfg.projection);
  if (!definition) throw new Error(`no projection ${cfg.projection}; there are ${PROJECTIONS.map((p) => p.name).join(', ')}`);
  const deps = { pool: owner, store: new EventStore(owner), timeZone: cfg.timeZone, satisfactionSources: SATISFACTION_SOURCES, config: {} };
  const r = await rebuildProjection(definition, deps, { method: cfg.method ?? 'bulk' });
  process.stdout.write(
    'RESULT ' +
      JSON.stringify({
        projection: r.projection,
        events: r.events,
        rows: r.rows,
        method: r.method,
        declined: r.declined,
        seconds: r.seconds,
        eventsPerS: r.events / r.seconds,
        phases: r.phases,
        details: r.details,
        peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      }) +
      '\n',
  );
} finally {
  await pools.end();
}
process.exit(0);
