// Rebuilds every satisfaction read model with apps/projector's rebuildSatisfaction (what
// `npm run rebuild -- satisfaction` runs), in its own process, and prints `RESULT <json>` with the
// rebuild's figures and this process's peak RSS.
//
//   node bench/workers/rebuild.mjs '<json config>'     config: { dbUrl, timeZone }
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { rebuildSatisfaction } = require('../../dist/apps/projector/src/index.js');
const { EventStore } = require('../../dist/libs/event-store/src/index.js');
const { createPools } = require('../../dist/libs/platform/src/index.js');

const cfg = JSON.parse(process.argv[2]);
const pools = await createPools(cfg.dbUrl, { max: 4 });
const phases = {};
let lastPrint = 0;
let phase = null;
let phaseStarted = Date.now();
const started = Date.now();
try {
  const r = await rebuildSatisfaction(pools.app, new EventStore(pools.app), cfg.timeZone, (p) => {
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
  });
  if (phase) phases[phase] = (phases[phase] ?? 0) + (Date.now() - phaseStarted) / 1000;
  process.stdout.write(
    'RESULT ' +
      JSON.stringify({
        events: r.events,
        cells: r.cells,
        seconds: r.seconds,
        eventsPerS: r.events / r.seconds,
        peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
        phasesS: phases,
      }) +
      '\n',
  );
} finally {
  await pools.end();
}
process.exit(0);
