// `npm run demo`: builds a realistic city bureau in a running minyi (or starts one), loads 14 months
// of history, then streams ratings from every window's terminal so the figures visibly move.
import { randomBytes } from 'node:crypto';
import { loadAdministratorToken } from '@minyi/organisation';
import { ApiClient, loadConfig } from '@minyi/platform';
import { DEMO_OFFICERS, DEMO_UNITS, DEMO_WINDOWS } from './demo/demo-organisation.js';
import { printRates, runComplaintsDemo, walkFollowUps } from './demo/demo-complaints.js';
import { demoRating } from './demo/demo-ratings.js';
import { runVisitsDemo } from './demo/demo-visits.js';
import { surveysDemo } from './demo/demo-surveys.js';
import { startSystem } from './system.js';

const DAY = 24 * 3600 * 1000;

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function must(what: string, p: Promise<{ status: number; body: any }>) {
  const r = await p;
  if (r.status >= 300 && r.status !== 200) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

async function reachable(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`)).status === 200;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const seconds = Number(process.env.DEMO_SECONDS ?? 60);
  const perSecond = Number(process.env.DEMO_RATE ?? 20);
  let url = process.env.MINYI_URL ?? `http://127.0.0.1:${config.port}`;
  let stop: (() => Promise<void>) | null = null;
  if (!(await reachable(url))) {
    console.log(`minyi is not running at ${url}; starting it here (embedded)…`);
    const system = await startSystem(config, { logger: false });
    url = system.url;
    stop = system.stop;
  }
  const admin = new ApiClient(url, loadAdministratorToken(config).token);
  const run = randomBytes(3).toString('hex');
  const random = mulberry32(Date.now() & 0xffff);

  console.log('registering 包头市公安局 with its branches, stations, brigades, windows and officers…');
  for (const u of DEMO_UNITS) await must(`unit ${u.id}`, admin.post('/v1/units', u));
  for (const w of DEMO_WINDOWS) await must(`window ${w.id}`, admin.post('/v1/windows', { id: w.id, unitId: w.unitId, name: w.name, serviceTypes: w.serviceTypes }));
  for (const o of DEMO_OFFICERS) await must(`officer ${o.id}`, admin.post('/v1/officers', o));
  // Keys are shown once, so each demo run installs fresh terminals.
  const terminals: { window: (typeof DEMO_WINDOWS)[number]; id: string; client: ApiClient }[] = [];
  for (const w of DEMO_WINDOWS) {
    const t = await must(`terminal for ${w.id}`, admin.post('/v1/terminals', { id: `demo-${run}-${w.id}`, windowId: w.id }));
    terminals.push({ window: w, id: t.id as string, client: new ApiClient(url, t.apiKey) });
  }
  const analyst = await must('analyst', admin.post('/v1/readers', { id: `demo-analyst-${run}`, role: 'analyst' }));
  const leader = await must('leader', admin.post('/v1/readers', { id: `demo-leader-qs-${run}`, role: 'leader', unitId: 'bt-qs' }));

  const history = Number(process.env.DEMO_HISTORY ?? 20000);
  console.log(`importing ${history.toLocaleString('en-US')} ratings of the last 14 months (an older rating system's records)…`);
  const now = Date.now();
  for (let done = 0; done < history; ) {
    const n = Math.min(5000, history - done);
    const ratings = Array.from({ length: n }, () => {
      const t = terminals[Math.floor(random() * terminals.length)];
      return { ...demoRating(t.window, new Date(now - DAY - random() * 425 * DAY), random), terminalId: t.id };
    });
    await must('import', admin.post('/v1/ratings/import', { ratings }));
    done += n;
  }

  const complaints = Number(process.env.DEMO_COMPLAINTS ?? 120);
  console.log(`filing ${complaints} complaints of the last 60 days (app reports of the 四不 problems, 12345 hotline calls, letters, a reception day) and walking them through their steps…`);
  const stations = DEMO_UNITS.filter((u) => u.parentId && u.parentId !== 'bt').map((u) => ({ id: u.id, branch: u.parentId! }));
  const cases = await runComplaintsDemo(admin, (token) => new ApiClient(url, token), stations, run, random, complaints);
  console.log(`  ${cases.filed} complaints filed, ${cases.stepsTaken} steps taken (accept/escalate, handle, reply, callback, reopen, close)`);
  console.log('the 楼长 visit programme (seed 004): households, talk meetings at four levels, opinions in residents’ own words, disputes and hazards…');
  await runVisitsDemo(admin, (token) => new ApiClient(url, token), { root: { id: 'bt', name: '包头市公安局' }, branches: DEMO_UNITS.filter((u) => u.parentId === 'bt'), stations }, run, random);
  const desk = new ApiClient(url, (await must('desk', admin.post('/v1/clients', { id: `demo-${run}-followups`, name: '差评整改专班', scopes: ['cases:write'] }))).token);
  const branches = DEMO_UNITS.filter((u) => u.parentId === 'bt').map((u) => ({ id: u.id, name: u.name }));
  await surveysDemo(admin, (token) => new ApiClient(url, token), analyst.token, run, random);

  const month = new Date(now).toISOString().slice(0, 7);
  const from = new Date(now - 365 * DAY).toISOString().slice(0, 10);
  const to = new Date(now).toISOString().slice(0, 10);
  console.log(`
Reader tokens (shown once):
  analyst (everything):             ${analyst.token}
  leader of 青山区分局 (bt-qs only): ${leader.token}

Try:
  curl -s -H 'Authorization: Bearer ${analyst.token}' \\
    '${url}/v1/satisfaction?scope=unit:bt&granularity=month&from=${from}&to=${to}'
  curl -s -H 'Authorization: Bearer ${analyst.token}' \\
    '${url}/v1/rankings?parentId=bt&of=windows&granularity=month&period=${month}&minN=5'
  API docs: ${url}/docs

Streaming about ${perSecond} ratings/s from ${terminals.length} window terminals for ${seconds} s (DEMO_SECONDS, DEMO_RATE)…`);

  const reader = new ApiClient(url, analyst.token);
  let sent = 0;
  const started = Date.now();
  let lastReport = 0;
  let followUpsWalked = false;
  while (Date.now() - started < seconds * 1000) {
    const tick = Date.now();
    await Promise.all(
      Array.from({ length: perSecond }, () => {
        const t = terminals[Math.floor(random() * terminals.length)];
        return t.client.post('/v1/ratings', demoRating(t.window, new Date(Date.now() - random() * 60_000), random)).then(() => (sent += 1));
      }),
    );
    if (Date.now() - lastReport >= 5000) {
      lastReport = Date.now();
      const s = await reader.get(`/v1/satisfaction?scope=unit:bt&granularity=month&from=${to}&to=${to}`);
      const e = s.body.series?.[0];
      const r = await reader.get(`/v1/rankings?parentId=bt&of=units&granularity=month&period=${e?.period ?? month}`);
      const top = (r.body.items ?? []).map((i: any) => `${i.rank}.${i.name} ${i.value.toFixed(1)}`).join('  ');
      console.log(
        `[${Math.round((Date.now() - started) / 1000)}s] sent ${sent}  ${e?.period} 包头市公安局: n=${e?.n} 满意率 ${((e?.satisfactionRate ?? 0) * 100).toFixed(2)}% 指数 ${(e?.index ?? 0).toFixed(2)}  |  ${top}`,
      );
    }
    if (!followUpsWalked && Date.now() - started > Math.min(20, seconds / 2) * 1000) {
      // By now the live bad ratings have opened their follow-ups (差评整改): verify, rectify, call back.
      followUpsWalked = true;
      const walked = await walkFollowUps(reader, desk, 'bt', random);
      console.log(`  ${walked} bad-rating follow-ups verified (some found invalid on appeal, voiding their rating), rectified and called back`);
      await printRates(reader, 'bt', branches);
    }
    await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - tick))));
  }
  await printRates(reader, 'bt', branches);
  console.log(`done: ${sent} live ratings sent.${stop ? ' minyi keeps running here; Ctrl-C to stop.' : ''}`);
  if (!stop) return;
  process.once('SIGINT', () => void stop!().then(() => process.exit(0)));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
