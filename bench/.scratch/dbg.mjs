import { startMinyi, registerOrganisation, connect, projectionBacklog } from '../lib/minyi.mjs';
import { cleanupAll } from '../lib/procs.mjs';
import { runWorker } from '../lib/workers.mjs';
import { waitFor } from '../lib/util.mjs';
const m = await startMinyi('dbg');
try {
  const org = await registerOrganisation(m.url, { branches: 2, stationsPerBranch: 1, windowsPerStation: 1 });
  const db = await connect(m.dbUrl);
  await waitFor(async () => (await projectionBacklog(db)) === 0, 30000, 'c');
  const show = async (l) => {
    const a = await db.query(`SELECT (SELECT count(*) FROM rm_units) u, (SELECT count(*) FROM rm_windows) w, (SELECT count(*) FROM rm_satisfaction WHERE scope='unit:root') root, (SELECT count(*) FROM rm_satisfaction) cells`);
    console.log(l, a.rows[0]);
  };
  const key = Object.values(org.keys)[0].apiKey;
  await fetch(m.url + '/v1/ratings', { method: 'POST', headers: { authorization: 'Bearer ' + key, 'content-type': 'application/json' }, body: JSON.stringify({ id: 'r1', score: 5, occurredAt: new Date().toISOString() }) });
  await waitFor(async () => (await projectionBacklog(db)) === 0, 30000, 'c');
  await show('before rebuild');
  const r = await runWorker('rebuild', 'rebuild.mjs', { dbUrl: m.dbUrl, timeZone: 'Asia/Shanghai' });
  console.log(r);
  await show('after rebuild');
  const ev = await db.query(`SELECT transaction_id::text, global_position, type, stream_id FROM events ORDER BY transaction_id, global_position`);
  console.log(ev.rows.map(r => `${r.transaction_id} ${r.global_position} ${r.type} ${r.stream_id}`).join('\n'));
  console.log((await db.query('SELECT * FROM rm_units')).rows);
  await db.end();
} finally { await m.stop(); await cleanupAll(); }
