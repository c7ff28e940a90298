// `npm run rebuild -- <projection>`: drops nothing live; builds the read model anew from the log and swaps it in.
import { EventStore } from '@minyi/event-store';
import { ConfigError, createPools, embeddedPostgresUrl, loadConfig, startEmbeddedPostgres } from '@minyi/platform';
import { migrateDatabase } from '@minyi/minyi';
import { progressBar } from './rebuild/progress-bar.js';
import { rebuildSatisfaction } from './rebuild/satisfaction.rebuild.js';

const PROJECTIONS = ['satisfaction'];

async function main(): Promise<void> {
  const name = process.argv[2];
  // `--fold`: fold every event in memory, as the live projection does (slower; the reference the default is tested against).
  const method = process.argv.includes('--fold') ? 'fold' : 'database';
  if (!name || !PROJECTIONS.includes(name)) {
    console.error(`usage: npm run rebuild -- <projection>\nprojections: ${PROJECTIONS.join(', ')}`);
    process.exit(2);
  }
  const config = loadConfig();
  let url = config.databaseUrl ?? embeddedPostgresUrl(config.dataDir);
  let stopEmbedded: (() => Promise<void>) | null = null;
  if (!url) {
    // minyi is not running: start its embedded PostgreSQL for the rebuild.
    const pg = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, log: (m) => console.error(m) });
    url = pg.url;
    stopEmbedded = pg.stop;
  }
  await migrateDatabase(url);
  const pools = await createPools(url, { max: 4 });
  try {
    const r = await rebuildSatisfaction(pools.app, new EventStore(pools.app), config.timeZone, progressBar(`rebuild ${name}`), { method });
    console.log(
      `rebuilt ${name}: ${r.events.toLocaleString('en-US')} events → ${r.cells.toLocaleString('en-US')} cells in ${r.seconds.toFixed(2)} s ` +
        `(${Math.round(r.events / Math.max(r.seconds, 0.001)).toLocaleString('en-US')} events/s, ${r.method === 'database' ? 'aggregated in PostgreSQL' : 'folded in memory'})`,
    );
    const p = r.phases;
    console.log(
      `  aggregating ${p.aggregateSeconds.toFixed(2)} s, waiting for reads ${p.readWaitSeconds.toFixed(2)} s, folding ${p.foldSeconds.toFixed(2)} s, ` +
        `writing ${p.writeSeconds.toFixed(2)} s, swap ${p.swapSeconds.toFixed(2)} s`,
    );
  } finally {
    await pools.end();
    await stopEmbedded?.();
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
