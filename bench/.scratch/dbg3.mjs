import { createRequire } from 'node:module';
import { startMinyi, registerOrganisation, connect, projectionBacklog } from '../lib/minyi.mjs';
import { cleanupAll } from '../lib/procs.mjs';
import { runWorker } from '../lib/workers.mjs';
import { waitFor } from '../lib/util.mjs';
const require = createRequire(import.meta.url);
const { EventStore, LOG_START } = require('../../dist/libs/event-store/src/index.js');
const { createPools } = require('../../dist/libs/platform/src/index.js');
const m = await startMinyi('dbg');
try {
  await registerOrganisation(m.url, { branches: 10, stationsPerBranch: 5, windowsPerStation: 10 });
  const db = await connect(m.dbUrl);
  await waitFor(async () => (await projectionBacklog(db)) === 0, 60000, 'c');
  const pools = await createPools(m.dbUrl, { max: 2 });
  const store = new EventStore(pools.app);
  for (let k = 0; k < 5; k++) {
    const ev = await store.readAll(LOG_START, 20000);
    const types = {};
    for (const e of ev) types[e.type] = (types[e.type] ?? 0) + 1;
    const x = await db.query('SELECT pg_snapshot_xmin(pg_current_snapshot())::text x, (SELECT min(transaction_id)::text FROM events) mn, (SELECT max(transaction_id)::text FROM events) mx, (SELECT count(*) FROM events) n');
    console.log(k, ev.length, JSON.stringify(types), x.rows[0]);
    const act = await db.query("SELECT pid, backend_xid, backend_xmin, state, left(query,80) q, xact_start FROM pg_stat_activity WHERE backend_xid IS NOT NULL OR backend_xmin IS NOT NULL");
    console.log(act.rows);
    await new Promise(r => setTimeout(r, 300));
  }
  await pools.end(); await db.end();
} finally { await m.stop(); await cleanupAll(); }
