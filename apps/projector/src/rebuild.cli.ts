// `npm run rebuild -- <projection>`: drops nothing live; builds the read model anew from the log and swaps it in.
import { Pool } from 'pg';
import { EventStore } from '@minyi/event-store';
import { ConfigError, connectionRole, embeddedPostgresUrl, loadConfig, startEmbeddedPostgres } from '@minyi/platform';
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
  // The rebuild creates, renames and drops tables: it logs in as their owner. MINYI_OWNER_DATABASE_URL, else
  // DATABASE_URL (which must then be the owner's, not the application role's), else the embedded server's.
  let url = config.ownerDatabaseUrl ?? config.databaseUrl ?? embeddedPostgresUrl(config.dataDir);
  let stopEmbedded: (() => Promise<void>) | null = null;
  if (!url) {
    // minyi is not running: start its embedded PostgreSQL for the rebuild.
    const pg = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, log: (m) => console.error(m) });
    url = pg.url;
    stopEmbedded = pg.stop;
  }
  const role = await connectionRole(url);
  if (!role.owner) {
    await stopEmbedded?.();
    throw new ConfigError([
      `the rebuild creates and swaps tables, so it must log in as their owner, and "${role.user}" is not: ` +
        'set MINYI_OWNER_DATABASE_URL (or DATABASE_URL) to the owner\'s URL — the one `main.js migrate` runs with',
    ]);
  }
  await migrateDatabase(url, { appPassword: config.databaseAppPassword });
  const owner = new Pool({ connectionString: url, max: 4 });
  owner.on('error', () => undefined);
  try {
    const r = await rebuildSatisfaction(owner, new EventStore(owner), config.timeZone, progressBar(`rebuild ${name}`), { method });
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
    await owner.end();
    await stopEmbedded?.();
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
