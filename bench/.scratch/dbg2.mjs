import { startMinyi, registerOrganisation, connect, projectionBacklog } from '../lib/minyi.mjs';
import { cleanupAll } from '../lib/procs.mjs';
import { runWorker } from '../lib/workers.mjs';
import { waitFor } from '../lib/util.mjs';
const m = await startMinyi('dbg');
try {
  const org = await registerOrganisation(m.url, { branches: 2, stationsPerBranch: 1, windowsPerStation: 1 });
  const db = await connect(m.dbUrl);
  const cu = () => waitFor(async () => (await projectionBacklog(db)) === 0, 60000, 'c');
  await cu();
  const show = async (l) => {
    const a = await db.query(`SELECT (SELECT count(*) FROM rm_units) u, (SELECT count(*) FROM rm_windows) w, (SELECT sum(n5) FROM rm_satisfaction WHERE scope='unit:root' and granularity='year') root, (SELECT sum(n5) FROM rm_satisfaction WHERE scope like 'window:%' and granularity='year') win, (SELECT count(*) FROM rm_satisfaction) cells`);
    const q = await fetch(m.url + '/v1/rankings?parentId=root&of=units&granularity=year&period=2026', { headers: { authorization: 'Bearer ' + org.readerToken } }).then(r => r.json());
    console.log(l, a.rows[0], JSON.stringify(q).slice(0, 200));
  };
  const key = Object.values(org.keys)[0].apiKey;
  const post = (id) => fetch(m.url + '/v1/ratings', { method: 'POST', headers: { authorization: 'Bearer ' + key, 'content-type': 'application/json' }, body: JSON.stringify({ id, score: 5, occurredAt: new Date().toISOString() }) });
  await post('r1'); await cu(); await show('A');
  await runWorker('rebuild', 'rebuild.mjs', { dbUrl: m.dbUrl, timeZone: 'Asia/Shanghai' });
  await show('B after rebuild');
  await post('r2'); await cu(); await show('C after post');
  await runWorker('rebuild', 'rebuild.mjs', { dbUrl: m.dbUrl, timeZone: 'Asia/Shanghai' });
  await show('D after rebuild 2');
  await post('r3'); await cu(); await show('E after post');
  console.log(m.output().slice(-2000));
  await db.end();
} finally { await m.stop(); await cleanupAll(); }
