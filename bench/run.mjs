#!/usr/bin/env node
// minyi's benchmark runner.
//
//   npm run bench                       every scenario (intake, freshness, rebuild, query, memory, cases, surveys), median of 3 runs
//   npm run bench -- intake query       some of them
//   npm run bench -- --quick intake     short development run (1 run, 3 s each, small data); results in bench/results/quick/
//   npm run bench -- store              extra: minyi's EventStore alone (no HTTP), default and deeper commit pipelines
//
// Options: --runs N (3)  --duration S (10)  --warmup S (2)  --events N (1000000)  --small N (100000)
//          --profile (node --cpu-prof on the processes under test; summaries in bench/results/profiles/,
//                     figures in bench/results/profiled/)
//          --only <text> (intake: only measurements whose label contains it; figures in bench/results/partial/)
//          --keep-temp (keep the data folders and raw .cpuprofile files)
//          --report (only regenerate bench/results/README.md from the JSON files and analysis.md)
//
// Each scenario prints a table and writes bench/results/<scenario>.json (machine, versions, date, load
// average before/after, every run and the medians); bench/results/README.md is regenerated from them.
// The runner is bounded in time per scenario and ends every process it started, even on failure.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanupAll, killAllNow } from './lib/procs.mjs';
import { environment, loadAverage, machine } from './lib/machine.mjs';
import { writeReadme } from './lib/report.mjs';
import { formatSummary, summarise } from './lib/cpuprofile.mjs';
import { log, median, table, TimeoutError, withTimeout } from './lib/util.mjs';
import { MAIN } from './lib/minyi.mjs';
import { removeSnapshots, snapshotDist } from './lib/snapshot.mjs';
import * as intake from './scenarios/intake.mjs';
import * as freshness from './scenarios/freshness.mjs';
import * as data from './scenarios/data.mjs';
import * as store from './scenarios/store.mjs';
import * as cases from './scenarios/cases.mjs';
import * as surveys from './scenarios/surveys.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ALL = ['intake', 'freshness', 'rebuild', 'query', 'memory', 'cases', 'surveys'];
/** Scenarios run only when named. */
const EXTRA = ['store'];

function parseArgs(argv) {
  const o = { scenarios: [], runs: null, durationS: null, warmupS: null, events: null, small: null, quick: false, profile: false, keepTemp: false, only: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--profile') o.profile = true;
    else if (a === '--keep-temp') o.keepTemp = true;
    else if (a === '--runs') o.runs = Number(next());
    else if (a === '--duration') o.durationS = Number(next());
    else if (a === '--warmup') o.warmupS = Number(next());
    else if (a === '--events') o.events = Number(next());
    else if (a === '--small') o.small = Number(next());
    else if (a === '--only') (o.only ??= []).push(next());
    else if (a === '--help' || a === '-h') o.help = true;
    else if (a === '--report') o.report = true;
    else if (a === 'all') o.scenarios.push(...ALL);
    else if (ALL.includes(a) || EXTRA.includes(a)) o.scenarios.push(a);
    else throw new Error(`unknown argument "${a}"; scenarios: ${[...ALL, ...EXTRA].join(', ')}`);
  }
  if (!o.scenarios.length) o.scenarios = [...ALL];
  o.scenarios = [...new Set(o.scenarios)];
  return o;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help) {
    const header = fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1);
    console.log(header.slice(0, header.findIndex((l) => !l.startsWith('//'))).join('\n').replace(/^\/\/ ?/gm, ''));
    return 0;
  }
  if (opts.report) {
    // Only rewrite bench/results/README.md from the JSON files and analysis.md already there.
    writeReadme(path.join(HERE, 'results'));
    return 0;
  }
  if (!fs.existsSync(MAIN)) {
    console.error(`${MAIN} is missing: run \`npm run build\` first (npm run bench does).`);
    return 2;
  }
  const build = snapshotDist();
  log(`build under test: dist ${build.id} (${build.files} files, newest ${build.builtAt}), copied to ${build.dir}`);
  const quick = opts.quick;
  const ctx = {
    quick,
    runs: opts.runs ?? (quick ? 1 : 3),
    durationS: opts.durationS ?? (quick ? 3 : 10),
    warmupS: opts.warmupS ?? (quick ? 1 : 2),
    events: opts.events ?? (quick ? 200_000 : 1_000_000),
    small: opts.small ?? (quick ? 20_000 : 100_000),
    profile: opts.profile,
    only: opts.only,
    // Only a plain full run writes the recorded results; development and profiling runs go beside them.
    resultsDir: path.join(HERE, 'results', quick ? 'quick' : opts.profile ? 'profiled' : opts.only ? 'partial' : ''),
  };
  ctx.profileDir = path.join(HERE, 'results', 'profiles', quick ? 'quick' : '');
  fs.mkdirSync(ctx.resultsDir, { recursive: true });
  if (ctx.profile) fs.mkdirSync(ctx.profileDir, { recursive: true });

  const wanted = new Set(opts.scenarios);
  // memory is read from the runs of intake and rebuild: run them too unless their results are already there.
  if (wanted.has('memory')) {
    for (const s of ['intake', 'rebuild']) if (!wanted.has(s) && !fs.existsSync(path.join(ctx.resultsDir, `${s}.json`))) wanted.add(s);
  }
  log(`scenarios: ${[...wanted].join(', ')}; ${ctx.runs} run(s) each${quick ? ' (quick)' : ''}; load average ${loadAverage().join(' ')}`);

  const plan = [];
  if (wanted.has('intake')) plan.push({ name: 'intake', limitMs: 40 * 60_000, fn: () => intake.run(ctx) });
  if (wanted.has('cases')) plan.push({ name: 'cases', limitMs: 60 * 60_000, fn: () => cases.run(ctx) });
  if (wanted.has('surveys')) plan.push({ name: 'surveys', limitMs: 60 * 60_000, fn: () => surveys.run(ctx) });
  if (wanted.has('store')) plan.push({ name: 'store', limitMs: 20 * 60_000, fn: () => store.run(ctx) });
  if (wanted.has('freshness')) plan.push({ name: 'freshness', limitMs: 20 * 60_000, fn: () => freshness.run(ctx) });
  if (wanted.has('rebuild') || wanted.has('query'))
    plan.push({ name: [wanted.has('rebuild') && 'rebuild', wanted.has('query') && 'query'].filter(Boolean).join('+'), limitMs: 90 * 60_000, fn: () => data.run(ctx, { rebuild: wanted.has('rebuild'), query: wanted.has('query') }) });

  let failed = 0;
  for (const step of plan) {
    const loadBefore = loadAverage();
    const startedAt = new Date();
    const samples = [];
    const sampler = setInterval(() => samples.push(loadAverage()[0]), 5000);
    log(`=== ${step.name} ===`);
    try {
      const out = await withTimeout(step.fn(), step.limitMs, `scenario ${step.name}`).finally(() => clearInterval(sampler));
      const loadAfter = loadAverage();
      const busy = samples.length ? { min: Math.min(...samples), median: median(samples), max: Math.max(...samples), samples: samples.length } : null;
      // data.run answers { rebuild, query } (either may be absent); the others answer one result.
      const results = step.name.includes('rebuild') || step.name.includes('query') ? out : { [step.name]: out };
      for (const [scenario, result] of Object.entries(results)) {
        if (!result) continue;
        const doc = {
          scenario,
          date: startedAt.toISOString(),
          finished: new Date().toISOString(),
          quick,
          runs: ctx.runs,
          durationS: ctx.durationS,
          machine: { ...machine(), loadAverageBefore: loadBefore, loadAverageAfter: loadAfter },
          busy,
          versions: { ...environment(), postgres: result.postgres ?? null, build },
          ...result,
        };
        delete doc.table;
        fs.writeFileSync(path.join(ctx.resultsDir, `${scenario}.json`), JSON.stringify(doc, null, 2) + '\n');
        printResult(scenario, result, loadBefore, loadAfter);
      }
    } catch (err) {
      failed++;
      log(`${step.name} FAILED: ${err instanceof TimeoutError ? err.message : err.stack ?? err}`);
    } finally {
      await cleanupAll({ keepTemp: opts.keepTemp });
      if (ctx.profile) summariseProfiles(ctx.profileDir, step.name, opts.keepTemp, ctx.durationS);
    }
  }
  if (wanted.has('memory')) {
    try {
      const m = memorySummary(ctx.resultsDir);
      fs.writeFileSync(path.join(ctx.resultsDir, 'memory.json'), JSON.stringify({ scenario: 'memory', date: new Date().toISOString(), quick, machine: machine(), versions: environment(), ...m }, null, 2) + '\n');
      printResult('memory', m, loadAverage(), loadAverage());
    } catch (err) {
      failed++;
      log(`memory FAILED: ${err.message}`);
    }
  }
  writeReadme(ctx.resultsDir);
  if (!opts.keepTemp) removeSnapshots();
  log(`results in ${path.relative(process.cwd(), ctx.resultsDir) || '.'}/ (README.md, *.json)${failed ? `; ${failed} scenario(s) failed` : ''}`);
  return failed ? 1 : 0;
}

function printResult(scenario, result, before, after) {
  console.log(`\n## ${scenario}   (load average before ${before.join(' ')}, after ${after.join(' ')})`);
  if (result.table) console.log(table(result.table.header, result.table.rows));
  for (const t of result.targets ?? []) {
    const runs = t.perRun?.length > 1 ? `; per run ${t.perRun.join(', ')}` : '';
    console.log(`${t.met === null ? '  ?' : t.met ? ' OK' : 'MISS'}  ${t.name}: ${t.value ?? 'n/a'} (target ${t.op ?? '≥'} ${t.target}${runs})${t.shortBy ? ` — ${t.shortBy}` : ''}`);
  }
  console.log('');
}

/** Writes a text summary beside each new .cpuprofile (named after the scenario), then drops the raw file. */
function summariseProfiles(dir, scenario, keep, lastS) {
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.cpuprofile'))) {
    const file = path.join(dir, f);
    try {
      const out = path.join(dir, `${scenario}-${f.replace(/\.cpuprofile$/, '')}.txt`);
      // The whole process, then its last `lastS` seconds (for an intake --only run: the measured load).
      fs.writeFileSync(out, formatSummary(summarise(file, 40)) + '\n\n' + formatSummary(summarise(file, 40, { lastS })));
      log(`profile summary: ${path.relative(process.cwd(), out)}`);
      if (keep) fs.renameSync(file, path.join(dir, `${scenario}-${f}`));
      else fs.rmSync(file);
    } catch (err) {
      log(`could not summarise ${f}: ${err.message}`);
    }
  }
}

/** The memory scenario: peaks of the all-in-one during intake and rebuild, and of the rebuild process. */
function memorySummary(dir) {
  const read = (s) => {
    const f = path.join(dir, `${s}.json`);
    return fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')) : null;
  };
  const i = read('intake');
  const r = read('rebuild');
  const rows = [];
  if (i?.memory?.allInOne) rows.push(['all-in-one during intake', i.memory.allInOne.kernelPeakRssMiB, i.memory.allInOne.sampledPeakRssMiB, JSON.stringify(i.memory.allInOne.phases)]);
  if (r?.memory?.allInOne) rows.push(['all-in-one during rebuild scenario', r.memory.allInOne.kernelPeakRssMiB, r.memory.allInOne.sampledPeakRssMiB, JSON.stringify(r.memory.allInOne.phases)]);
  for (const p of r?.memory?.rebuildProcess ?? []) rows.push([`rebuild process, ${p.events.toLocaleString('en-US')} events`, p.peakRssMiB, '', `median of ${p.runs}`]);
  const targets = r?.memory?.bounded ? [r.memory.bounded] : [];
  return {
    intake: i?.memory ?? null,
    rebuild: r?.memory ?? null,
    targets,
    table: { header: ['process', 'peak RSS MiB (kernel VmHWM / maxRSS)', 'sampled peak MiB', 'phases'], rows },
  };
}

let exiting = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (exiting) return;
    exiting = true;
    log(`${sig}: stopping everything the bench started`);
    cleanupAll()
      .catch(() => undefined)
      .finally(() => {
        removeSnapshots();
        process.exit(130);
      });
  });
}
process.on('exit', killAllNow);

main().then(
  (code) => {
    process.exitCode = code;
    // Stray handles (pools, timers) must not keep the runner alive.
    setTimeout(() => process.exit(code), 500).unref();
  },
  async (err) => {
    log(`bench failed: ${err.stack ?? err}`);
    await cleanupAll().catch(() => undefined);
    process.exit(1);
  },
);
