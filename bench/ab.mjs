#!/usr/bin/env node
// A/B of minyi builds on the intake's load, interleaved within the same minutes: every build runs its own embedded
// all-in-one at once (each with its own PostgreSQL), and the measurements alternate between them (A B, then B A, …),
// each starting only once every build's consumers have applied the whole log (so that no build's backlog is
// measured against another's). The load is the intake scenario's own worker (bench/workers/http-load.mjs).
//
//   node bench/ab.mjs --build base=/tmp/minyi-base/dist --build head=dist [--rounds 3] [--duration 10]
//                     [--warmup 2] [--kind single|batch] [--connections 64] [--profile head] [--by-query]
//                     [--statements] [--scores 5,4,3] [--out name]
//
// A build inside the repository (e.g. `dist`) is copied to bench/.scratch/ab/<name>/dist first, so that a rebuild
// by someone else during the run changes nothing measured; a build elsewhere (a git worktree with its own
// node_modules) runs where it is. --profile <name> runs that build with node --cpu-prof (summaries written beside
// the JSON). --by-query also samples which statements PostgreSQL's busy backends run; --statements counts them
// (pg_stat_statements, preloaded in each build's data folder: minyi is started twice). --scores replaces the
// scores the load sends in turn (e.g. none bad, to tell the follow-ups' cost from the readers'). Results: bench/results/ab/<out>.json and a table on stdout.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { awaitConsumers, connect, registerOrganisation, ROOT, startMinyi } from './lib/minyi.mjs';
import { cleanupAll, coresBetween, groupCpu, killAllNow, machineBusyCores, machineCpu } from './lib/procs.mjs';
import { loadAverage } from './lib/machine.mjs';
import { formatSummary, summarise } from './lib/cpuprofile.mjs';
import { httpLoad } from './lib/workers.mjs';
import { log, median, round, table } from './lib/util.mjs';
import { waitSampler } from './scenarios/intake.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const o = { builds: [], rounds: 3, durationS: 10, warmupS: 2, kind: 'single', connections: null, profile: null, out: null, keepTemp: false, byQuery: false, statements: false, scores: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '--build') {
      const [name, dir] = next().split('=');
      o.builds.push({ name, dir: path.resolve(ROOT, dir) });
    } else if (a === '--rounds') o.rounds = Number(next());
    else if (a === '--duration') o.durationS = Number(next());
    else if (a === '--warmup') o.warmupS = Number(next());
    else if (a === '--kind') o.kind = next();
    else if (a === '--connections') o.connections = Number(next());
    else if (a === '--profile') o.profile = next();
    else if (a === '--out') o.out = next();
    else if (a === '--keep-temp') o.keepTemp = true;
    else if (a === '--by-query') o.byQuery = true;
    else if (a === '--statements') o.statements = true;
    else if (a === '--scores') o.scores = next().split(',').map(Number);
    else throw new Error(`unknown argument ${a}`);
  }
  if (o.builds.length < 1) throw new Error('name at least one --build name=dist-folder');
  o.connections ??= o.kind === 'batch' ? 16 : 64;
  return o;
}

/** A build inside the repository is copied (others rebuild dist/ while this runs); one elsewhere runs in place. */
function place(build) {
  if (!build.dir.startsWith(ROOT + path.sep)) return build.dir;
  const dest = path.join(HERE, '.scratch', 'ab', build.name, 'dist');
  fs.rmSync(path.dirname(dest), { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.cpSync(build.dir, dest, { recursive: true });
  return dest;
}

async function durableRatings(db) {
  const { rows } = await db.query(`SELECT count(*)::bigint AS n, count(DISTINCT transaction_id)::bigint AS c FROM events WHERE type = 'RatingSubmitted'`);
  return { ratings: Number(rows[0].n), commits: Number(rows[0].c) };
}

/**
 * What the statements of the measured run cost (pg_stat_statements, warm-up included: the worker's whole life), per
 * rating committed: calls, rows and execution time — the bench's own statements left out.
 */
async function statementsOf(db, ratings) {
  const { rows } = await db.query(
    `SELECT left(regexp_replace(s.query, '\\s+', ' ', 'g'), 400) AS query, sum(s.calls)::float8 AS calls, sum(s.rows)::float8 AS rows,
            sum(s.total_exec_time)::float8 AS ms, sum(s.total_plan_time)::float8 AS plan_ms
     FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname <> 'postgres'
     GROUP BY 1 ORDER BY 4 DESC LIMIT 30`,
  );
  const total = rows.reduce((a, r) => a + r.ms, 0);
  return {
    ratings,
    callsPerRating: round(rows.reduce((a, r) => a + r.calls, 0) / ratings, 3),
    execUsPerRating: round((total * 1000) / ratings, 1),
    top: rows.map((r) => ({ query: r.query, callsPerRating: round(r.calls / ratings, 4), rowsPerCall: round(r.rows / Math.max(1, r.calls), 1), usPerCall: round((r.ms * 1000) / Math.max(1, r.calls), 1), execUsPerRating: round((r.ms * 1000) / ratings, 2) })),
  };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const profileDir = path.join(HERE, 'results', 'ab', 'profiles');
  const envs = [];
  for (const b of o.builds) {
    const dist = place(b);
    process.env.BENCH_DIST = dist; // startMinyi runs <BENCH_DIST>/apps/minyi/src/main.js
    const profiled = o.profile === b.name;
    if (profiled) fs.mkdirSync(profileDir, { recursive: true });
    const nodeArgs = profiled ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    let minyi = await startMinyi(`ab-${b.name}`, { nodeArgs });
    if (o.statements) {
      // pg_stat_statements must be preloaded: set it in the new data folder, then start minyi on it again.
      const c = await connect(minyi.dbUrl);
      await c.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
      await c.end();
      await minyi.stop();
      minyi = await startMinyi(`ab-${b.name}`, { nodeArgs, dataDir: minyi.dataDir });
    }
    const db = await connect(minyi.dbUrl);
    if (o.statements) await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const org = await registerOrganisation(minyi.url, { branches: 2, stationsPerBranch: 4, windowsPerStation: 2 });
    const keys = Object.values(org.keys).map((k) => k.apiKey);
    envs.push({ ...b, dist, minyi, db, keys, rows: [] });
  }
  const loadPath = o.kind === 'batch' ? '/v1/ratings/batch' : '/v1/ratings';
  for (const e of envs) {
    await httpLoad(`warm-up ${e.name}`, { url: e.minyi.url, kind: o.kind, path: loadPath, connections: o.connections, durationS: 2, keys: e.keys, batchSize: 100, idPrefix: `warm${Date.now().toString(36)}` });
    await e.db.query('ANALYZE');
  }
  const idle = async () => {
    // awaitConsumers says which consumers are still behind when it gives up.
    for (const e of envs) await awaitConsumers(e.db);
  };
  for (let r = 1; r <= o.rounds; r++) {
    const order = r % 2 ? envs : [...envs].reverse();
    for (const e of order) {
      await idle();
      const load = loadAverage();
      log(`round ${r}/${o.rounds}: ${e.name} ${o.kind} c=${o.connections} (${o.durationS} s), load ${load.join(' ')}`);
      const before = await durableRatings(e.db);
      if (o.statements) await e.db.query('SELECT pg_stat_statements_reset()');
      const cpu0 = { minyi: groupCpu(e.minyi.pid), machine: machineCpu() };
      const stop = waitSampler(e.minyi.dbUrl, 20, { byQuery: o.byQuery });
      const res = await httpLoad(`ab ${e.name}`, {
        url: e.minyi.url,
        kind: o.kind,
        path: loadPath,
        connections: o.connections,
        durationS: o.durationS,
        warmupS: o.warmupS,
        keys: e.keys,
        batchSize: 100,
        idPrefix: `ab${e.name}${r}${Date.now().toString(36)}`,
        ...(o.scores ? { scores: o.scores } : {}),
      });
      const cpu1 = { minyi: groupCpu(e.minyi.pid), machine: machineCpu() };
      const waits = await stop();
      // The profile's window is the build's last measurement: what follows it (drain, other builds, shutdown) is cut.
      e.measuredEndedAt = Date.now();
      const after = await durableRatings(e.db);
      const statements = o.statements ? await statementsOf(e.db, after.ratings - before.ratings) : null;
      const drain = await awaitConsumers(e.db);
      const m = coresBetween(cpu0.minyi, cpu1.minyi);
      const machineCores = machineBusyCores(cpu0.machine, cpu1.machine, os.cpus().length);
      const t = res.itemsPerS;
      const us = (cores) => round((cores / t) * 1e6, 0);
      const row = {
        round: r,
        load,
        throughput: round(t, 0),
        p50Ms: res.latencyMs.p50,
        p99Ms: res.latencyMs.p99,
        failures: res.non2xx + res.errors + res.timeouts,
        ratingsPerCommit: round((after.ratings - before.ratings) / Math.max(1, after.commits - before.commits), 1),
        cores: { node: m.leader, postgres: m.others, loadGenerator: round(res.loadGeneratorCores, 2), machine: machineCores },
        // CPU per rating over the worker's whole life (warm-up included, as the intake scenario counts it).
        cpuUsPerRating: { node: us(m.leader), postgres: us(m.others), loadGenerator: us(res.loadGeneratorCores), machine: us(machineCores) },
        walFlushShare: waits.walFlushShare,
        cpuShare: waits.cpuShare,
        topWaits: waits.top,
        activeBackends: waits.activeBackends,
        ...(waits.byQuery ? { byQuery: waits.byQuery } : {}),
        ...(statements ? { statements } : {}),
        backlogAfter: drain.behind,
        drainS: drain.drainS,
      };
      log(`  → ${row.throughput}/s p50 ${row.p50Ms} p99 ${row.p99Ms}; cores node ${m.leader} pg ${m.others} machine ${machineCores}; µs/rating node ${row.cpuUsPerRating.node} pg ${row.cpuUsPerRating.postgres}; backlog after ${JSON.stringify(drain.behind)} drained in ${drain.drainS} s`);
      e.rows.push(row);
    }
  }
  const summary = envs.map((e) => ({
    build: e.name,
    dist: path.relative(ROOT, e.dist) || e.dist,
    throughput: median(e.rows.map((r) => r.throughput)),
    perRound: e.rows.map((r) => r.throughput),
    p50Ms: median(e.rows.map((r) => r.p50Ms)),
    p99Ms: median(e.rows.map((r) => r.p99Ms)),
    nodeUs: median(e.rows.map((r) => r.cpuUsPerRating.node)),
    postgresUs: median(e.rows.map((r) => r.cpuUsPerRating.postgres)),
    loadGeneratorUs: median(e.rows.map((r) => r.cpuUsPerRating.loadGenerator)),
    machineUs: median(e.rows.map((r) => r.cpuUsPerRating.machine)),
    nodeCores: median(e.rows.map((r) => r.cores.node)),
    machineCores: median(e.rows.map((r) => r.cores.machine)),
    walFlushShare: median(e.rows.map((r) => r.walFlushShare)),
    drainS: median(e.rows.map((r) => r.drainS)),
    rows: e.rows,
  }));
  console.log(
    table(
      ['build', `${o.kind} ratings/s (median)`, 'per round', 'p50/p99 ms', 'µs/rating node / pg / loadgen / machine', 'node cores', 'machine cores', 'pg WAL wait', 'drain s'],
      summary.map((s) => [s.build, s.throughput, s.perRound.join(', '), `${s.p50Ms}/${s.p99Ms}`, `${s.nodeUs} / ${s.postgresUs} / ${s.loadGeneratorUs} / ${s.machineUs}`, s.nodeCores, s.machineCores, s.walFlushShare, s.drainS]),
    ),
  );
  if (o.out) {
    const dir = path.join(HERE, 'results', 'ab');
    fs.mkdirSync(dir, { recursive: true });
    const doc = { date: new Date().toISOString(), kind: o.kind, connections: o.connections, rounds: o.rounds, durationS: o.durationS, node: process.version, cores: os.cpus().length, cpu: os.cpus()[0]?.model, summary };
    fs.writeFileSync(path.join(dir, `${o.out}.json`), JSON.stringify(doc, null, 2) + '\n');
    log(`written bench/results/ab/${o.out}.json`);
  }
  for (const e of envs) await e.db.end().catch(() => undefined);
  let skipS = 0;
  for (const e of envs) {
    await e.minyi.stop();
    if (e.name === o.profile) skipS = (Date.now() - e.measuredEndedAt) / 1000;
  }
  if (o.profile) {
    for (const f of fs.readdirSync(profileDir).filter((x) => x.endsWith('.cpuprofile'))) {
      const file = path.join(profileDir, f);
      const out = path.join(profileDir, `${o.out ?? 'ab'}-${o.profile}.txt`);
      fs.writeFileSync(out, formatSummary(summarise(file, 50)) + '\n\n' + formatSummary(summarise(file, 50, { lastS: o.durationS, skipS })));
      if (o.keepTemp) fs.renameSync(file, path.join(HERE, '.scratch', `${o.out ?? 'ab'}-${o.profile}.cpuprofile`));
      else fs.rmSync(file);
      log(`profile summary: ${path.relative(ROOT, out)}`);
    }
  }
}

process.on('exit', killAllNow);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => cleanupAll().finally(() => process.exit(130)));
main()
  .then(() => cleanupAll())
  .then(
    () => setTimeout(() => process.exit(0), 300).unref(),
    async (err) => {
      log(`ab failed: ${err.stack ?? err}`);
      await cleanupAll().catch(() => undefined);
      process.exit(1);
    },
  );
