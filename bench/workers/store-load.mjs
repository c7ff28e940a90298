// minyi's EventStore alone (no HTTP, no Nest, no projector) in its own process: `concurrency` loops append
// new rating streams (1 event each, or appendMany of `perCall` streams) for a fixed time. Prints `RESULT <json>`.
//
//   node bench/workers/store-load.mjs '<json config>'
//   config: { dbUrl, distDir, concurrency, perCall, durationS, warmupS?, options?: EventStoreOptions, idPrefix }
import { createRequire } from 'node:module';
import { ratingEvents } from '../lib/rating-events.mjs';
import { closedLoop, latencySummary } from '../lib/util.mjs';

const cfg = JSON.parse(process.argv[2]);
const require = createRequire(import.meta.url);
const { EventStore } = require(`${cfg.distDir}/libs/event-store/src/index.js`);
const { createPools } = require(`${cfg.distDir}/libs/platform/src/index.js`);

const pools = await createPools(cfg.dbUrl, { max: 20 });
const store = new EventStore(pools.app, cfg.options ?? {});
const rating = ratingEvents(cfg.idPrefix);

/** A new rating stream of one event. */
function request() {
  const e = rating();
  return {
    streamId: `rating-${e.id}`,
    expectedVersion: 0,
    events: [{ type: 'RatingSubmitted', version: 1, data: e.data, occurredAt: e.occurredAt, unitId: e.unitId, metadata: e.metadata }],
  };
}

const run = (durationS, record) =>
  closedLoop({
    concurrency: cfg.concurrency,
    durationS,
    record,
    op: () => (cfg.perCall === 1 ? store.append(...Object.values(request())) : Promise.all(store.appendMany(Array.from({ length: cfg.perCall }, request)))),
  });

try {
  if (cfg.warmupS) await run(cfg.warmupS, false);
  const before = { ...store.stats };
  const cpu0 = process.cpuUsage();
  const r = await run(cfg.durationS, true);
  const cpu = process.cpuUsage(cpu0);
  const latency = latencySummary(r.latencies);
  const commits = store.stats.commits - before.commits;
  const events = store.stats.events - before.events;
  process.stdout.write(
    'RESULT ' +
      JSON.stringify({
        concurrency: cfg.concurrency,
        perCall: cfg.perCall,
        options: cfg.options ?? {},
        elapsedS: r.elapsedS,
        eventsPerS: (r.calls * cfg.perCall) / r.elapsedS,
        eventsPerCommit: commits ? events / commits : null,
        processCores: (cpu.user + cpu.system) / 1e6 / r.elapsedS,
        cpuUsPerEvent: (cpu.user + cpu.system) / (r.calls * cfg.perCall),
        latencyMs: { p50: latency.p50, p99: latency.p99 },
      }) +
      '\n',
  );
} finally {
  await pools.end();
}
process.exit(0);
