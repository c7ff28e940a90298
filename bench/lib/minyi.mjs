// Starts the embedded all-in-one (`node dist/apps/minyi/src/main.js`) in a folder of its own under /tmp,
// on free ports, and talks to its API.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startProcess, trackPostgres, trackTempDir } from './procs.mjs';
import { freePort, log, waitFor } from './util.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
import { distDir } from './snapshot.mjs';

/** main.js of the build under test (see snapshot.mjs). */
export const mainJs = () => path.join(distDir(), 'apps/minyi/src/main.js');
export const MAIN = path.join(ROOT, 'dist/apps/minyi/src/main.js');
export const ADMIN_TOKEN = 'bench-admin-token-do-not-use-in-production';
export const TIME_ZONE = 'Asia/Shanghai';

export function tempDir(label) {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `minyi-bench-${label}-`));
  trackTempDir(d);
  return d;
}

/**
 * Starts minyi with its own data folder and ports. `nodeArgs` go before main.js (e.g. --cpu-prof).
 * Returns { url, pid, dataDir, dbUrl (superuser), stop() }.
 */
export async function startMinyi(label, { nodeArgs = [], env = {}, dataDir, parts = [] } = {}) {
  const dir = dataDir ?? tempDir(label);
  const [port, pgPort] = [await freePort(), await freePort()];
  trackPostgres(path.join(dir, 'pg'));
  log(`starting minyi (${label}) on :${port}, embedded PostgreSQL on :${pgPort}, data in ${dir}`);
  const proc = startProcess(`minyi:${label}`, process.execPath, [...nodeArgs, mainJs(), ...parts], {
    cwd: ROOT,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      MINYI_DATA_DIR: dir,
      MINYI_PG_PORT: String(pgPort),
      MINYI_ADMIN_TOKEN: ADMIN_TOKEN,
      MINYI_TZ: TIME_ZONE,
      MINYI_LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      KAFKA_BROKERS: '',
      ...env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  let exited = null;
  proc.exited.then((e) => (exited = e));
  await waitFor(
    async () => {
      if (exited) throw new Error(`minyi exited (${JSON.stringify(exited)}):\n${proc.output().slice(-3000)}`);
      const r = await fetch(`${url}/health`).catch(() => null);
      return r?.status === 200;
    },
    120_000,
    'minyi /health',
    250,
  ).catch((err) => {
    if (exited) throw err;
    throw new Error(`${err.message}\n${proc.output().slice(-3000)}`);
  });
  // The superuser's password of a data folder: its postgres-password file (0600); the fixed one of older builds.
  const pgPasswordFile = path.join(dir, 'postgres-password');
  const pgPassword = fs.existsSync(pgPasswordFile) ? fs.readFileSync(pgPasswordFile, 'utf8').trim() : 'minyi-embedded';
  const dbUrl = `postgresql://postgres:${encodeURIComponent(pgPassword)}@127.0.0.1:${pgPort}/minyi`;
  return {
    label,
    url,
    port,
    pgPort,
    pid: proc.pid,
    dataDir: dir,
    dbUrl,
    output: proc.output,
    exited: proc.exited,
    isAlive: () => exited === null,
    stop: () => proc.stop(30_000),
  };
}

/** A small JSON client for minyi's API. */
export function api(baseUrl, token) {
  return async function call(method, route, body, { expect } = {}) {
    const r = await fetch(`${baseUrl}${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    const json = text ? JSON.parse(text) : null;
    if (expect ? !expect.includes(r.status) : r.status >= 400) {
      throw new Error(`${method} ${route} → ${r.status}: ${text.slice(0, 500)}`);
    }
    return { status: r.status, body: json };
  };
}

async function inParallel(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

/**
 * Registers a unit tree through the API: root → branches → stations → windows, one terminal per window
 * (plus any extra windows named in `extraWindows`), and an analyst reader.
 * Ids are deterministic (root, b<i>, s<i>, w<i>, term-w<i>) so that SQL-loaded ratings can refer to them.
 */
export async function registerOrganisation(baseUrl, { branches, stationsPerBranch, windowsPerStation, extraWindows = [], terminals = true }) {
  const admin = api(baseUrl, ADMIN_TOKEN);
  await admin('POST', '/v1/units', { id: 'root', name: '包头市公安局', parentId: null, kind: 'bureau' }, { expect: [200, 201] });
  const branchIds = Array.from({ length: branches }, (_, i) => `b${i}`);
  await inParallel(branchIds, 8, (id, i) => admin('POST', '/v1/units', { id, name: `分局 ${i}`, parentId: 'root', kind: 'branch' }, { expect: [200, 201] }));
  const stations = [];
  branchIds.forEach((b, bi) => {
    for (let j = 0; j < stationsPerBranch; j++) stations.push({ id: `s${bi * stationsPerBranch + j}`, parent: b });
  });
  await inParallel(stations, 8, (s) => admin('POST', '/v1/units', { id: s.id, name: `派出所 ${s.id}`, parentId: s.parent, kind: 'station' }, { expect: [200, 201] }));
  const windows = [];
  stations.forEach((s, si) => {
    for (let k = 0; k < windowsPerStation; k++) windows.push({ id: `w${si * windowsPerStation + k}`, unitId: s.id });
  });
  for (const w of extraWindows) windows.push(w);
  await inParallel(windows, 8, (w) => admin('POST', '/v1/windows', { id: w.id, unitId: w.unitId, name: `窗口 ${w.id}` }, { expect: [200, 201] }));
  let keys = {};
  if (terminals) {
    const issued = await inParallel(windows, 8, (w) =>
      admin('POST', '/v1/terminals', { id: `term-${w.id}`, windowId: w.id }, { expect: [201] }),
    );
    windows.forEach((w, i) => (keys[w.id] = { terminalId: issued[i].body.id, apiKey: issued[i].body.apiKey }));
  }
  const reader = await admin('POST', '/v1/readers', { id: `analyst-${Date.now()}`, role: 'analyst' }, { expect: [201] });
  return { branches: branchIds, stations, windows, keys, readerToken: reader.body.token };
}

/** A superuser connection to minyi's database (the bench reads counts and writes baselines with it). */
export async function connect(dbUrl) {
  const c = new pg.Client({ connectionString: dbUrl });
  // A server going away (minyi stopped, the runner interrupted) must not crash the runner.
  c.on('error', (err) => log(`database connection: ${err.message}`));
  await c.connect();
  return c;
}

export async function countRatings(client) {
  const { rows } = await client.query(`SELECT count(*)::bigint AS n FROM events WHERE type = 'RatingSubmitted'`);
  return Number(rows[0].n);
}

/** Events the live satisfaction projection has not applied yet. */
export async function projectionBacklog(client, consumer = 'satisfaction') {
  const { rows } = await client.query(
    `SELECT count(*)::bigint AS n FROM events e, consumer_checkpoints c
     WHERE c.consumer = $1 AND (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position)`,
    [consumer],
  );
  return Number(rows[0].n);
}

/**
 * Events behind each consumer's checkpoint (the projections and reactors of the embedded all-in-one), or
 * `exists: true` per consumer when `exact` is false (cheap enough to poll while load runs). A rebuild also makes the
 * Kafka consumer's row of its projection (`…minyi.projector.<name>`), which no embedded process moves: left out.
 */
export async function consumerBacklogs(client, { exact = false } = {}) {
  const behind = exact
    ? `(SELECT count(*) FROM events e WHERE (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position))::bigint`
    : `(EXISTS (SELECT 1 FROM events e WHERE (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position)))::int`;
  const { rows } = await client.query(`SELECT c.consumer, ${behind} AS n FROM consumer_checkpoints c WHERE c.consumer NOT LIKE '%minyi.projector.%' ORDER BY 1`);
  return Object.fromEntries(rows.map((r) => [r.consumer, Number(r.n)]));
}

/**
 * Waits until every consumer has applied the whole log (so that the next measurement starts on an idle minyi),
 * up to `timeoutMs`. Answers what was behind when it started (exact counts) and how long it took.
 */
export async function awaitConsumers(client, timeoutMs = 180_000) {
  const started = Date.now();
  const behind = await consumerBacklogs(client, { exact: true });
  for (;;) {
    const now = await consumerBacklogs(client);
    if (Object.values(now).every((n) => n === 0)) return { behind, drainS: Math.round((Date.now() - started) / 100) / 10, caughtUp: true };
    if (Date.now() - started > timeoutMs) {
      const drainS = Math.round((Date.now() - started) / 100) / 10;
      log(`  consumers still behind after ${drainS} s: ${Object.keys(now).filter((k) => now[k] > 0).join(', ')}`);
      return { behind, drainS, caughtUp: false, still: now };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
