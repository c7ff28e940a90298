// `npm run rebuild -- <projection>…`: drops nothing live; builds each read model of the registry anew from the log
// beside the live one and swaps it in, handing the live consumer's place over in either transport.
import { Pool } from 'pg';
import { EventStore } from '@minyi/event-store';
import { ConfigError, connectionRole, embeddedPostgresUrl, loadConfig, startEmbeddedPostgres } from '@minyi/platform';
import { migrateDatabase, PROJECTIONS, SATISFACTION_SOURCES } from '@minyi/minyi';
import { progressBar } from './rebuild/progress-bar.js';
import { rebuildProjection, type RebuildResult } from './rebuild/rebuild-projection.js';

function usage(): never {
  console.error(
    'usage: npm run rebuild -- <projection>… [--apply]\n' +
      `projections: ${PROJECTIONS.map((p) => p.name).join(', ')}\n` +
      '  --apply  every event through the projection\'s own apply, as the live consumer does (no bulk step; slower: the reference the bulk step is tested against)',
  );
  process.exit(2);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  // `--fold` is the older name of `--apply`.
  const method = args.includes('--apply') || args.includes('--fold') ? 'apply' : undefined;
  const names = args.filter((a) => !a.startsWith('--'));
  const definitions = names.map((n) => PROJECTIONS.find((p) => p.name === n));
  if (!names.length || definitions.some((d) => !d) || args.some((a) => a.startsWith('--') && !['--apply', '--fold'].includes(a))) usage();
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
    const store = new EventStore(owner);
    const deps = { pool: owner, store, timeZone: config.timeZone, satisfactionSources: SATISFACTION_SOURCES, config: config as unknown as Record<string, unknown> };
    for (const definition of definitions) {
      const r = await rebuildProjection(definition!, deps, { method, kafkaTopicPrefix: config.kafkaTopicPrefix, onProgress: progressBar(`rebuild ${definition!.name}`) });
      report(r);
    }
  } finally {
    await owner.end();
    await stopEmbedded?.();
  }
}

function report(r: RebuildResult): void {
  const n = (x: number) => x.toLocaleString('en-US');
  const how = r.method === 'bulk' ? 'its bulk step, then the rest applied' : r.declined ? 'every event applied (its bulk step declined)' : 'every event applied';
  console.log(
    `rebuilt ${r.projection}: ${n(r.events)} events → ${Object.entries(r.rows).map(([t, rows]) => `${t} ${n(rows)}`).join(', ')} rows in ${r.seconds.toFixed(2)} s ` +
      `(${n(Math.round(r.events / Math.max(r.seconds, 0.001)))} events/s, ${how})`,
  );
  const p = r.phases;
  const details = Object.entries(r.details).map(([k, v]) => `${k} ${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(2) : v}`);
  console.log(
    `  bulk ${p.bulkSeconds.toFixed(2)} s${details.length ? ` (${details.join(', ')})` : ''}, applying ${p.applySeconds.toFixed(2)} s, analysing ${p.finishSeconds.toFixed(2)} s, swap ${p.swapSeconds.toFixed(2)} s; ` +
      `handed over: ${r.handedOver.join(', ')}`,
  );
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
