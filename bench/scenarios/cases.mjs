// Scenario "cases" — the case platform (complaints and opinions, with disputes, hazards and visits beside them in
// the data), on the embedded all-in-one, in three parts:
//   a. intake over HTTP: filing complaints (POST /v1/complaints) and taking their steps (accept → handle → reply →
//      callback → close), filing opinions (POST /v1/opinions) and taking theirs (assign → rectify or explain →
//      reply → rate), durable/s with p50/p99, beside single ratings in the same run, each from its own load process
//      (bench/workers/case-load.mjs, one worker for both kinds), interleaved, `runs` times;
//   b. reads at 100k and 1M cases: /v1/rates (a branch, 12 months by month, every group populated: complaints,
//      follow-ups, opinions, disputes, hazards, visits) and filtered ledger pages of complaints and of opinions
//      (state + overdue + date range, limit 50), p99 timed per request by a separate keep-alive client;
//   c. rebuild of the case read models (the generic rebuild, the definition's bulk step) vs one SQL GROUP BY over the
//      same events.
// The cases of b and c are written straight into `events` with SQL, copied from template cases of every kind filed
// and stepped over HTTP (so every event is one the catalogue accepts, as the handlers wrote it) — ten complaints, ten
// opinions, two disputes, two hazards, taken in turn — each case its filing and its latest step (the event that
// carries its status), moved back 1–365 days and spread over 50 stations and their 10 branches; beside them one visit
// in ten cases, copied from five template visits (households with repeating refs, one without a ref, an enterprise,
// a building-level talk meeting). The load moves the live cases projection's checkpoint past what it writes, in the
// same transaction (nothing else writes meanwhile), and the generic rebuild then builds the case read models — as
// `npm run rebuild` would after a migration; the live visits projection folds the visits as they commit.
import { createRequire } from 'node:module';
import { api, ADMIN_TOKEN, awaitConsumers, connect, registerOrganisation, startMinyi, TIME_ZONE } from '../lib/minyi.mjs';
import { postgresInfo } from '../lib/machine.mjs';
import { groupCpuSampler, machineBusyCores, machineCpu, rssSampler } from '../lib/procs.mjs';
import { distDir } from '../lib/snapshot.mjs';
import * as os from 'node:os';
import { httpLoad, runWorker } from '../lib/workers.mjs';
import { isoShanghai, localDate, log, median, round } from '../lib/util.mjs';

export const name = 'cases';

const BRANCHES = 10;
const STATIONS_PER_BRANCH = 5;
const STATIONS = BRANCHES * STATIONS_PER_BRANCH;
const SPAN_DAYS = 365;
const CHUNK = 100_000;
/** One visit is copied for every VISIT_EVERY cases; household refs repeat every REFS_PER_STATION visits of a station. */
const VISIT_EVERY = 10;
const REFS_PER_STATION = 1000;

/**
 * The case event types of every kind, from the catalogue of the build under test (the cases projection learns its
 * kinds from it too): what the ledger holds, a new kind's events counted with no change here.
 */
function caseTypes() {
  const { eventCatalog } = createRequire(import.meta.url)(`${distDir()}/libs/contracts/src/index.js`);
  const defs = eventCatalog.definitions.filter((d) => d.case);
  const of = (kind, role) => defs.filter((d) => d.case.kind === kind && (!role || d.case.role === role)).map((d) => d.type);
  return {
    all: defs.map((d) => d.type),
    filed: defs.filter((d) => d.case.role === 'filed').map((d) => d.type),
    filedByKind: Object.fromEntries(defs.filter((d) => d.case.role === 'filed').map((d) => [d.case.kind, d.type])),
    of,
  };
}

/**
 * The kinds the loader copies, each with its filing body and template histories (filed at s0; an escalation or
 * assignment to the branch goes to b0), each history ending in another state. Template t (over all kinds, in this
 * order) is case `tpl-<t>`.
 */
const KINDS = [
  {
    kind: 'complaint',
    plural: 'complaints',
    filing: (id, t, occurredAt) => ({ id, unitId: 's0', channel: 'hotline', category: ['噪音扰民', '占道经营', '办事效率', '服务态度', '窗口秩序'][t % 5], text: '楼下夜宵摊凌晨两点仍在营业，噪音很大。', occurredAt }),
    templates: [
      [],
      [['accept', { dueInWorkingDays: 5 }]],
      [['accept', {}], ['handle', { summary: '已处理' }]],
      [['accept', {}], ['handle', { summary: '已处理' }], ['reply', { text: '已电话答复', via: 'phone' }]],
      [['accept', {}], ['handle', { summary: '已处理' }], ['reply', { text: '已电话答复', via: 'phone' }], ['callback', { score: 5 }]],
      [['accept', {}], ['handle', { summary: '已处理' }], ['reply', { text: '短信答复', via: 'sms' }], ['callback', { score: 2 }], ['close', {}]],
      [['escalate', { unitId: 'b0', reason: '转分局办理', dueInWorkingDays: 10 }]],
      [['accept', {}], ['handle', { summary: '已处理' }], ['reply', { text: '已答复', via: 'app' }], ['callback', { score: 1 }], ['reopen', { reason: '不满意' }]],
      [['accept', { dueInWorkingDays: 3 }]],
      [['accept', {}], ['handle', { summary: '已处理' }], ['close', { final: true }]],
    ],
  },
  {
    kind: 'opinion',
    plural: 'opinions',
    filing: (id, t, occurredAt) => ({ id, unitId: 's0', source: ['visit', 'meeting', 'hotline', 'wechat', 'reception'][t % 5], category: ['养犬管理', '律师会见难', '看守所探视', '交通秩序', '办事效率'][t % 5], text: '小区里流浪狗越来越多，\n晚上叫个不停 😟', occurredAt }),
    templates: [
      [],
      [['assign', { unitId: 's0', dueInWorkingDays: 5 }]],
      [['assign', { unitId: 'b0', dueInWorkingDays: 10 }]],
      [['rectify', { summary: '立行立改' }]],
      [['assign', { unitId: 's0' }], ['rectify', { summary: '已整改' }]],
      [['assign', { unitId: 's0' }], ['explain', { text: '暂不具备条件，已说明' }]],
      [['assign', { unitId: 's0' }], ['rectify', { summary: '已整改' }], ['reply', { text: '已上门反馈', via: 'visit' }]],
      [['assign', { unitId: 's0' }], ['rectify', { summary: '已整改' }], ['reply', { text: '已电话反馈', via: 'phone' }], ['rate', { score: 5 }]],
      [['assign', { unitId: 's0', dueInWorkingDays: 3 }]],
      [['assign', { unitId: 's0' }], ['explain', { text: '政策不允许' }], ['reply', { text: '已答复', via: 'app' }], ['rate', { score: 2 }], ['reopen', { reason: '不满意' }]],
    ],
  },
  {
    kind: 'dispute',
    plural: 'disputes',
    filing: (id, _t, occurredAt) => ({ id, unitId: 's0', kind: '邻里纠纷', occurredAt, summary: '楼上漏水引发邻里矛盾' }),
    templates: [[], [['resolve', { summary: '调解达成协议' }]]],
  },
  {
    kind: 'hazard',
    plural: 'hazards',
    filing: (id, _t, occurredAt) => ({ id, unitId: 's0', kind: '消防通道堵塞', occurredAt, location: '3 号楼楼道' }),
    templates: [[], [['rectify', { summary: '已清理' }]]],
  },
];
const TEMPLATES = KINDS.flatMap((k) => k.templates.map((steps) => ({ ...k, steps })));

/** The template visits (at s0; `tplref` stands for the household's or place's code the loader writes). */
const VISITS = [
  { target: { kind: 'household', ref: 'tplref' } },
  { target: { kind: 'household', ref: 'tplref' }, notes: '楼长走访，了解养犬情况' },
  { target: { kind: 'household' } },
  { target: { kind: 'enterprise', ref: 'tplref' } },
  { target: { kind: 'community' }, meeting: { level: 'building', attendees: 12 } },
];

async function fileTemplates(url, token) {
  const desk = api(url, token);
  const filedAt = Date.now() - 3 * 3_600_000;
  for (const [t, k] of TEMPLATES.entries()) {
    const id = `tpl-${t}`;
    await desk('POST', `/v1/${k.plural}`, k.filing(id, t, isoShanghai(filedAt)), { expect: [202] });
    for (const [n, [step, fields]] of k.steps.entries()) {
      await desk('POST', `/v1/${k.plural}/${id}/${step}`, { stepId: `s${n}`, occurredAt: isoShanghai(filedAt + (n + 1) * 600_000), ...fields }, { expect: [200] });
    }
  }
  for (const [v, visit] of VISITS.entries()) {
    await desk('POST', '/v1/visits', { id: `tplv-${v}`, unitId: 's0', occurredAt: isoShanghai(filedAt), ...visit }, { expect: [202] });
  }
}

/** The templates' filing and latest event, as the loader copies them, and the template visits. */
async function loadTemplates(db) {
  await db.query(`DROP TABLE IF EXISTS bench_case_templates, bench_visit_templates`);
  await db.query(
    `CREATE TABLE bench_case_templates AS
     SELECT t, kind, ord, type, version, data::text AS data, metadata, unit_id, occurred_at, data->>'filedAt' AS filed_at, data->'status'->>'dueAt' AS due_at
     FROM (SELECT substring(stream_id FROM '-tpl-(\\d+)$')::int AS t, substring(stream_id FROM '^([a-z]+)-tpl-') AS kind, stream_version, type, version, data, metadata, unit_id, occurred_at,
                  row_number() OVER (PARTITION BY stream_id ORDER BY stream_version) AS ord, count(*) OVER (PARTITION BY stream_id) AS n
           FROM events WHERE stream_id ~ '^(${KINDS.map((k) => k.kind).join('|')})-tpl-\\d+$') e
     WHERE ord = 1 OR ord = n`,
  );
  await db.query(
    `CREATE TABLE bench_visit_templates AS
     SELECT substring(stream_id FROM 'tplv-(\\d+)$')::int AS v, type, version, data::text AS data, metadata, unit_id, occurred_at
     FROM events WHERE stream_id LIKE 'visit-tplv-%'`,
  );
  const { rows } = await db.query(`SELECT t, min(kind) AS kind, array_agg(type ORDER BY ord) AS types FROM bench_case_templates GROUP BY t ORDER BY t`);
  if (rows.length !== TEMPLATES.length) throw new Error(`expected ${TEMPLATES.length} templates, found ${rows.length}`);
  const { rows: v } = await db.query(`SELECT count(*)::int AS n FROM bench_visit_templates`);
  if (v[0].n !== VISITS.length) throw new Error(`expected ${VISITS.length} template visits, found ${v[0].n}`);
  return rows.map((r) => r.types.join('+'));
}

/**
 * Writes cases [from, to) (`<kind>-bc-<i>`), one transaction per chunk: template i % templates (so the kinds in
 * turn), station i % 50, moved back 1–365 days (a golden-ratio spread) and up to a day more; the visits
 * [from / 10, to / 10) (`visit-bv-<j>`) likewise, template j % 5, household refs `s<k>-h<n>` repeating per station;
 * then moves the live cases checkpoint past them.
 */
async function loadCases(db, from, to) {
  const seconds = [];
  for (let a = from; a < to; a += CHUNK) {
    const b = Math.min(to, a + CHUNK);
    const t = Date.now();
    await db.query('BEGIN');
    await db.query(
      `WITH g AS (
         SELECT i, (i % $5)::int AS t, (i % $3)::int AS k,
                (1 + floor(365 * ((i * 0.6180339887498949) - floor(i * 0.6180339887498949))))::int AS d,
                ((i * 7919) % 86400)::int AS jitter
         FROM generate_series($1::bigint, $2::bigint - 1) AS i
       ), e AS (
         SELECT g.i, x.kind, x.ord, x.type, x.version, x.metadata,
                CASE x.unit_id WHEN 's0' THEN 's' || g.k WHEN 'b0' THEN 'b' || (g.k / $4) ELSE x.unit_id END AS unit_id,
                x.occurred_at - make_interval(days => g.d, secs => g.jitter) AS occurred_at,
                replace(replace(replace(x.data, '"tpl-' || g.t || '"', '"bc-' || g.i || '"'), '"s0"', '"s' || g.k || '"'), '"b0"', '"b' || (g.k / $4) || '"')::jsonb AS base,
                to_char((x.filed_at::timestamptz - make_interval(days => g.d, secs => g.jitter)) AT TIME ZONE '${TIME_ZONE}', 'YYYY-MM-DD"T"HH24:MI:SS') || '+08:00' AS filed_at,
                to_char((x.due_at::timestamptz - make_interval(days => g.d)) AT TIME ZONE '${TIME_ZONE}', 'YYYY-MM-DD"T"HH24:MI:SS') || '+08:00' AS due_at
         FROM g JOIN bench_case_templates x ON x.t = g.t
       ), v AS (
         SELECT i, kind, ord, type, version, metadata, unit_id, occurred_at,
                CASE WHEN due_at IS NULL THEN jsonb_set(base, '{filedAt}', to_jsonb(filed_at))
                     ELSE jsonb_set(jsonb_set(base, '{filedAt}', to_jsonb(filed_at)), '{status,dueAt}', to_jsonb(due_at)) END AS data
         FROM e
       )
       INSERT INTO events (event_id, stream_id, stream_version, type, version, data, metadata, unit_id, occurred_at)
       SELECT gen_random_uuid(), kind || '-bc-' || i, ord, type, version, data, metadata, unit_id, occurred_at
       FROM v ORDER BY i, ord`,
      [a, b, STATIONS, STATIONS_PER_BRANCH, TEMPLATES.length],
    );
    await db.query(
      `WITH g AS (
         SELECT j, (j % $5)::int AS v, (j % $3)::int AS k,
                (1 + floor(365 * ((j * 0.6180339887498949) - floor(j * 0.6180339887498949))))::int AS d,
                ((j * 7919) % 86400)::int AS jitter
         FROM generate_series($1::bigint, $2::bigint - 1) AS j
       )
       INSERT INTO events (event_id, stream_id, stream_version, type, version, data, metadata, unit_id, occurred_at)
       SELECT gen_random_uuid(), 'visit-bv-' || g.j, 1, x.type, x.version,
              replace(replace(replace(x.data, '"tplv-' || g.v || '"', '"bv-' || g.j || '"'), '"s0"', '"s' || g.k || '"'), '"tplref"', '"s' || g.k || '-h' || ((g.j / $3) % $4) || '"')::jsonb,
              x.metadata, 's' || g.k, x.occurred_at - make_interval(days => g.d, secs => g.jitter)
       FROM g JOIN bench_visit_templates x ON x.v = g.v ORDER BY g.j`,
      [Math.floor(a / VISIT_EVERY), Math.floor(b / VISIT_EVERY), STATIONS, REFS_PER_STATION, VISITS.length],
    );
    await db.query(
      `UPDATE consumer_checkpoints SET transaction_id = pg_current_xact_id(),
              global_position = (SELECT max(global_position) FROM events WHERE transaction_id = pg_current_xact_id())
       WHERE consumer = 'cases'`,
    );
    await db.query('COMMIT');
    seconds.push((Date.now() - t) / 1000);
    log(`  loaded cases ${a.toLocaleString('en-US')}–${(b - 1).toLocaleString('en-US')} and their visits in ${seconds.at(-1).toFixed(1)} s`);
  }
  return round(seconds.reduce((x, s) => x + s, 0), 1);
}

/** What the log holds of every case kind the ledger keeps (the follow-ups part a's bad ratings opened included), and visits. */
async function caseEventCount(db, types) {
  const { rows } = await db.query(
    `SELECT count(*) FILTER (WHERE type = ANY($1))::bigint AS events, count(*) FILTER (WHERE type = ANY($2))::bigint AS cases,
            count(*) FILTER (WHERE type = 'VisitRecorded')::bigint AS visits,
            ${Object.entries(types.filedByKind).map(([k, t]) => `count(*) FILTER (WHERE type = '${t}')::bigint AS "${k}"`).join(', ')}
     FROM events`,
    [types.all, types.filed],
  );
  const n = Object.fromEntries(Object.entries(rows[0]).map(([k, v]) => [k, Number(v)]));
  return { events: n.events, cases: n.cases, visits: n.visits, byKind: Object.fromEntries(Object.keys(types.filedByKind).map((k) => [k, n[k]])) };
}

async function durable(db, types) {
  const { rows } = await db.query(
    `SELECT count(*) FILTER (WHERE type = 'RatingSubmitted')::bigint AS ratings,
            count(*) FILTER (WHERE type = $1)::bigint AS complaints, count(*) FILTER (WHERE type = ANY($2))::bigint AS "complaintSteps",
            count(*) FILTER (WHERE type = $3)::bigint AS opinions, count(*) FILTER (WHERE type = ANY($4))::bigint AS "opinionSteps" FROM events`,
    [types.filedByKind.complaint, types.of('complaint', 'step'), types.filedByKind.opinion, types.of('opinion', 'step')],
  );
  return Object.fromEntries(Object.entries(rows[0]).map(([k, v]) => [k, Number(v)]));
}

/** Part a: single ratings, complaint and opinion filings and steps, interleaved, each run on an idle minyi. */
async function intake(ctx, minyi, db, keys, token, types) {
  const units = Array.from({ length: STATIONS }, (_, i) => `s${i}`);
  const base = { url: minyi.url, connections: 64, durationS: ctx.durationS, warmupS: ctx.warmupS, token, units };
  const list = [
    { label: 'single POST /v1/ratings c=64', counts: 'ratings', run: (id) => httpLoad('ratings', { url: minyi.url, kind: 'single', path: '/v1/ratings', connections: 64, durationS: ctx.durationS, warmupS: ctx.warmupS, keys, idPrefix: id }) },
    { label: 'POST /v1/complaints c=64 (half with a contact)', counts: 'complaints', files: 'complaint', run: (id) => runWorker('complaints', 'case-load.mjs', { ...base, kind: 'complaint', action: 'file', idPrefix: id }) },
    { label: 'complaint steps c=64 (accept, handle, reply, callback, close)', counts: 'complaintSteps', run: (_id, filed) => runWorker('complaint steps', 'case-load.mjs', { ...base, kind: 'complaint', action: 'step', casePrefix: filed.complaint }) },
    { label: 'POST /v1/opinions c=64 (half with a contact)', counts: 'opinions', files: 'opinion', run: (id) => runWorker('opinions', 'case-load.mjs', { ...base, kind: 'opinion', action: 'file', idPrefix: id }) },
    { label: 'opinion steps c=64 (assign, rectify or explain, reply, rate)', counts: 'opinionSteps', run: (_id, filed) => runWorker('opinion steps', 'case-load.mjs', { ...base, kind: 'opinion', action: 'step', casePrefix: filed.opinion }) },
  ];
  const results = list.map(() => []);
  for (let runNo = 1; runNo <= ctx.runs; runNo++) {
    const filed = { complaint: `cb${runNo}${Date.now().toString(36)}`, opinion: `ob${runNo}${Date.now().toString(36)}` };
    for (const [i, m] of list.entries()) {
      const settled = await awaitConsumers(db, 120_000);
      log(`cases run ${runNo}/${ctx.runs}: ${m.label} (${ctx.durationS} s; consumers idle after ${settled.drainS} s)`);
      const before = await durable(db, types);
      // minyi's node and its PostgreSQL (every backend, summed per process: see groupCpuSampler), and the machine.
      const cpu = groupCpuSampler(minyi.pid);
      const machine0 = machineCpu();
      const r = await m.run(m.files ? filed[m.files] : `${m.counts}${runNo}${Date.now().toString(36)}`, filed);
      const c = cpu.stop();
      const machine1 = machineCpu();
      const after = await durable(db, types);
      const row = {
        throughput: r.itemsPerS,
        p50Ms: r.latencyMs.p50,
        p99Ms: r.latencyMs.p99,
        failures: r.non2xx + r.errors + r.timeouts,
        committed: after[m.counts] - before[m.counts],
        cores: { minyiNode: c.leader, postgres: c.others, loadGenerator: round(r.loadGeneratorCores ?? 0, 2), machine: machineBusyCores(machine0, machine1, os.cpus().length) },
        raw: r,
      };
      // Durable per second: what the database holds afterwards, over the measured and warm-up seconds the worker ran.
      row.durablePerS = round(row.committed / ((r.elapsedS ?? r.durationS) + (ctx.warmupS ?? 0)), 0);
      log(`  → ${round(row.throughput, 0)}/s answered 2xx, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, ${row.committed} committed, cores node ${c.leader} pg ${c.others}${row.failures ? `, ${row.failures} failures ${JSON.stringify(r.statusCodes)}` : ''}`);
      results[i].push(row);
      if (!minyi.isAlive()) throw new Error(`minyi died:\n${minyi.output().slice(-3000)}`);
    }
  }
  return list.map((m, i) => {
    const rs = results[i];
    return {
      label: m.label,
      median: round(median(rs.map((r) => r.throughput)), 0),
      durablePerS: round(median(rs.map((r) => r.durablePerS)), 0),
      p50Ms: round(median(rs.map((r) => r.p50Ms)), 2),
      p99Ms: round(median(rs.map((r) => r.p99Ms)), 2),
      failures: rs.reduce((a, r) => a + r.failures, 0),
      cores: Object.fromEntries(Object.keys(rs[0].cores).map((k) => [k, round(median(rs.map((r) => r.cores[k])), 2)])),
      runs: rs,
    };
  });
}

function monthsBack(todayIso, k) {
  const [y, m] = todayIso.split('-').map(Number);
  const idx = y * 12 + (m - 1) - k;
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
}

function endpoints() {
  const today = localDate(Date.now(), TIME_ZONE);
  const from = `${monthsBack(today, 11)}-01`;
  const ledgerFrom = `${monthsBack(today, 6)}-01`;
  return [
    { label: '/v1/rates unit:b3 (a branch), 12 months by month, every group', path: `/v1/rates?scope=unit:b3&granularity=month&from=${from}&to=${today}`, target: 10 },
    { label: '/v1/complaints unit:b3 state=accepted overdue=true, 6 months, limit 50', path: `/v1/complaints?scope=unit:b3&state=accepted&overdue=true&from=${ledgerFrom}&to=${today}&limit=50`, target: 20 },
    { label: '/v1/opinions unit:b3 state=assigned overdue=true, 6 months, limit 50', path: `/v1/opinions?scope=unit:b3&state=assigned&overdue=true&from=${ledgerFrom}&to=${today}&limit=50`, target: 20 },
    { label: '/v1/rates unit:root, 12 months by month (info)', path: `/v1/rates?scope=unit:root&granularity=month&from=${from}&to=${today}` },
    { label: '/v1/complaints unit:root, no filter, limit 50 (info)', path: `/v1/complaints?scope=unit:root&limit=50` },
  ];
}

async function queries(ctx, minyi, db, token, label) {
  await db.query('VACUUM (ANALYZE) events');
  for (const t of ['rm_cases', 'rm_case_units', 'rm_case_counts', 'rm_case_open', 'rm_visit_counts']) await db.query(`VACUUM (ANALYZE) ${t}`);
  const list = endpoints();
  const check = {};
  for (const e of list) {
    const r = await fetch(`${minyi.url}${e.path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = await r.json();
    if (r.status !== 200) throw new Error(`${e.path}: ${r.status} ${JSON.stringify(body)}`);
    // Every group populated: what each counts over the periods (a group's filings, or visits), and the overdue.
    const sum = (group, field) => body.series.reduce((a, p) => a + (p[group]?.[field] ?? 0), 0);
    check[e.label] = body.series
      ? {
          periods: body.series.length,
          complaints: sum('complaints', 'filed'),
          followups: sum('followups', 'opened'),
          opinions: sum('opinions', 'collected'),
          disputes: sum('disputes', 'found'),
          hazards: sum('hazards', 'found'),
          visits: sum('visits', 'visits'),
          households: sum('visits', 'households'),
          overdue: sum('complaints', 'overdue') + sum('opinions', 'overdue'),
        }
      : { items: body.items.length };
    if (e.target && (body.series ? Object.entries(check[e.label]).some(([k, v]) => k !== 'followups' && k !== 'overdue' && !v) : !body.items.length)) {
      throw new Error(`${e.path}: a group or the page is empty, so the read would measure nothing: ${JSON.stringify(check[e.label])}`);
    }
  }
  log(`  query check ${label}: ${JSON.stringify(check)}`);
  const results = list.map(() => []);
  for (let runNo = 1; runNo <= ctx.runs; runNo++) {
    for (const [i, e] of list.entries()) {
      const r = await runWorker(`query ${label}`, 'http-get.mjs', { url: minyi.url, path: e.path, token, connections: 1, durationS: ctx.durationS, warmupS: ctx.warmupS });
      results[i].push(r);
      log(`  query ${label} run ${runNo}: ${e.label}: ${round(r.requestsPerS, 0)} req/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms${r.non2xx ? `, ${r.non2xx} non-2xx` : ''}`);
    }
  }
  return {
    check,
    endpoints: list.map((e, i) => ({
      label: e.label,
      path: e.path,
      target: e.target ?? null,
      requestsPerS: round(median(results[i].map((r) => r.requestsPerS)), 0),
      p50Ms: round(median(results[i].map((r) => r.latencyMs.p50)), 2),
      p99Ms: round(median(results[i].map((r) => r.latencyMs.p99)), 2),
      failures: results[i].reduce((a, r) => a + r.non2xx + r.errors + r.timeouts, 0),
      runs: results[i],
    })),
  };
}

/**
 * Where a timed read's time goes in PostgreSQL: EXPLAIN (ANALYZE, BUFFERS) of the statements the handlers send for
 * the targeted endpoints (as apps/analytics cohort-counts.ts, visit-counts.ts and ledger-page.ts write them, with the
 * endpoints' parameters), each run warm five times, the last plan kept with the median execution time.
 */
async function explains(db) {
  const today = localDate(Date.now(), TIME_ZONE);
  const months = Array.from({ length: 12 }, (_, k) => monthsBack(today, 11 - k));
  const now = new Date().toISOString();
  const from = `${monthsBack(today, 6)}-01T00:00:00+08:00`;
  const before = new Date(Date.parse(`${today}T00:00:00+08:00`) + 86_400_000).toISOString();
  const kinds = ['complaint', 'followup', 'opinion', 'dispute', 'hazard'];
  // The ledger's own statement (apps/analytics ledger-page.js of the build under test), for b3's overdue cases in a state.
  const { ledgerQuery } = createRequire(import.meta.url)(`${distDir()}/apps/analytics/src/ledgers/ledger-page.js`);
  const ledger = (kind, state) => {
    const q = ledgerQuery({ kind, unitId: 'b3', state, overdue: true, fromMs: Date.parse(from), beforeMs: Date.parse(before), limit: 51, nowMs: Date.parse(now), text: kind === 'opinion' });
    return [q.text, q.values];
  };
  const statements = {
    'rates: cohort counts': [`SELECT kind, period, handling, cases, excluded, accepted, handled, on_time, replied, called_back, satisfied, closed, final FROM rm_case_counts WHERE unit_id = $1 AND granularity = $2 AND period = ANY($3::text[]) AND kind = ANY($4::text[])`, ['b3', 'month', months, kinds]],
    'rates: overdue': [`SELECT kind, period, sum(n)::int AS overdue FROM rm_case_open WHERE unit_id = $1 AND granularity = $2 AND period = ANY($3::text[]) AND kind = ANY($4::text[]) AND due_at < $5 GROUP BY kind, period`, ['b3', 'month', months, kinds, now]],
    'rates: visits': [`SELECT period, visits, households, meetings, attendees FROM rm_visit_counts WHERE unit_id = $1 AND granularity = $2 AND period = ANY($3::text[])`, ['b3', 'month', months]],
    'complaints ledger page': ledger('complaint', 'accepted'),
    'opinions ledger page': ledger('opinion', 'assigned'),
  };
  const out = {};
  for (const [name, [sql, params]] of Object.entries(statements)) {
    const times = [];
    let plan;
    for (let k = 0; k < 5; k++) {
      const { rows } = await db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params);
      plan = rows[0]['QUERY PLAN'][0];
      times.push(plan['Execution Time'] + plan['Planning Time']);
    }
    const text = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
    out[name] = { medianMs: round(median(times), 3), rows: plan.Plan['Actual Rows'], plan: text.rows.map((r) => r['QUERY PLAN']) };
  }
  log(`  SQL per statement (planning + execution, median of 5, ms): ${Object.entries(out).map(([n, x]) => `${n} ${x.medianMs} (${x.rows} rows)`).join('; ')}`);
  return out;
}

async function rebuild(ctx, minyi, label) {
  const r = await runWorker('rebuild cases', 'rebuild-projection.mjs', { dbUrl: minyi.dbUrl, timeZone: TIME_ZONE, distDir: distDir(), projection: 'cases', method: 'bulk' }, { timeoutMs: 30 * 60_000 });
  if (r.method !== 'bulk' || r.declined) throw new Error(`the cases rebuild did not take the bulk path: ${JSON.stringify(r)}`);
  const steps = Object.entries(r.details).filter(([k]) => k.endsWith('Seconds') && !k.startsWith('index ')).map(([k, v]) => `${k.replace(/Seconds$/, '')} ${round(v, 2)}`).join(', ');
  log(`  rebuild ${label}: ${r.events.toLocaleString('en-US')} events → ${r.rows.rm_cases.toLocaleString('en-US')} cases in ${round(r.seconds, 2)} s (bulk: ${steps}; finish ${round(r.phases.finishSeconds, 2)}, swap ${round(r.phases.swapSeconds, 2)}), peak RSS ${r.peakRssMiB} MiB`);
  return r;
}

// The floor: one pass over the same case events (every kind), grouped by kind × responsible unit × local filing day ×
// state, with the status flags the read models count (every count used by the outer query, so that the planner
// keeps them).
const groupBy = (types) => `
  SELECT count(*)::bigint AS cells, sum(n)::bigint AS events, sum(handled + on_time + replied + called_back + closed + excluded)::bigint AS flags FROM (
    SELECT split_part(stream_id, '-', 1) AS kind, data->'status'->>'responsibleUnitId' AS unit_id, ((data->>'filedAt')::timestamptz AT TIME ZONE '${TIME_ZONE}')::date AS day, data->'status'->>'state' AS state,
           count(*) FILTER (WHERE (data->'status'->>'handled')::boolean) AS handled, count(*) FILTER (WHERE (data->'status'->>'onTime')::boolean) AS on_time,
           count(*) FILTER (WHERE (data->'status'->>'replied')::boolean) AS replied, count(*) FILTER (WHERE (data->'status'->>'calledBack')::boolean) AS called_back,
           count(*) FILTER (WHERE (data->'status'->>'closed')::boolean) AS closed, count(*) FILTER (WHERE (data->'status'->>'excluded')::boolean) AS excluded,
           count(*) AS n
    FROM events WHERE type IN (${types.all.map((t) => `'${t}'`).join(', ')})
    GROUP BY 1, 2, 3, 4) t`;

async function groupBys(db, times, types) {
  const sql = groupBy(types);
  const runs = [];
  for (let k = 1; k <= times; k++) {
    const t = process.hrtime.bigint();
    const { rows } = await db.query(sql);
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    runs.push({ seconds, cells: Number(rows[0].cells), events: Number(rows[0].events) });
    log(`  SQL GROUP BY ${k}/${times}: ${round(seconds, 2)} s over ${Number(rows[0].events).toLocaleString('en-US')} events, ${Number(rows[0].cells).toLocaleString('en-US')} cells`);
  }
  const plan = await db.query(`EXPLAIN ${sql}`);
  return { runs, medianSeconds: round(median(runs.map((r) => r.seconds)), 2), plan: plan.rows.map((r) => r['QUERY PLAN']) };
}

/**
 * What the read models hold: cases in the ledger (every kind), the cohort count at the root over every year, per
 * kind, and the visits at the root.
 */
async function readModels(db) {
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM rm_cases)::bigint AS cases, (SELECT count(*) FROM rm_case_units)::bigint AS units,
            (SELECT coalesce(sum(cases + excluded), 0) FROM rm_case_counts WHERE unit_id = 'root' AND granularity = 'year')::bigint AS "rootCohort",
            (SELECT count(*) FROM rm_case_counts)::bigint AS counts, (SELECT count(*) FROM rm_case_open)::bigint AS open,
            (SELECT coalesce(sum(visits), 0) FROM rm_visit_counts WHERE unit_id = 'root' AND granularity = 'year')::bigint AS "rootVisits"`,
  );
  const { rows: kinds } = await db.query(`SELECT kind, sum(cases + excluded)::bigint AS n FROM rm_case_counts WHERE unit_id = 'root' AND granularity = 'year' GROUP BY kind ORDER BY kind`);
  return { ...Object.fromEntries(Object.entries(rows[0]).map(([k, v]) => [k, Number(v)])), rootCohortByKind: Object.fromEntries(kinds.map((r) => [r.kind, Number(r.n)])) };
}

export async function run(ctx) {
  const minyi = await startMinyi('cases');
  const rss = rssSampler(minyi.pid);
  const db = await connect(minyi.dbUrl);
  const small = Math.min(ctx.small, ctx.events);
  const big = ctx.events;
  const types = caseTypes();
  try {
    log(`cases: registering ${BRANCHES} branches, ${STATIONS} stations, 2 windows each with a terminal, a client with complaints:write, visits:write and cases:write`);
    const org = await registerOrganisation(minyi.url, { branches: BRANCHES, stationsPerBranch: STATIONS_PER_BRANCH, windowsPerStation: 2 });
    const keys = Object.values(org.keys).map((k) => k.apiKey);
    const admin = api(minyi.url, ADMIN_TOKEN);
    const client = await admin('POST', '/v1/clients', { id: 'bench-desk', name: '12345 热线 (bench)', scopes: ['complaints:write', 'visits:write', 'cases:write'] }, { expect: [201] });
    await fileTemplates(minyi.url, client.body.token);
    await awaitConsumers(db);
    await db.query('ANALYZE');
    rss.mark('setup');

    const figures = await intake(ctx, minyi, db, keys, client.body.token, types);
    rss.mark('intake');
    await awaitConsumers(db, 300_000);

    const templates = await loadTemplates(db);
    log(`cases: templates ${templates.join(', ')}`);
    const load = { templates };
    log(`cases: writing ${small.toLocaleString('en-US')} cases with SQL`);
    load.smallS = await loadCases(db, 0, small);
    await db.query('ANALYZE events');
    await awaitConsumers(db, 600_000);
    load.small = await caseEventCount(db, types);
    // The rebuild that builds the read models is the first of the `runs` timed (the log does not change in between).
    const rebuildsSmall = [await rebuild(ctx, minyi, `building @${small / 1000}k cases, 1/${ctx.runs}`)];
    rss.mark(`load + rebuild @${small}`);
    for (let k = 2; k <= ctx.runs; k++) rebuildsSmall.push(await rebuild(ctx, minyi, `@${small / 1000}k ${k}/${ctx.runs}`));
    const querySmall = await queries(ctx, minyi, db, org.readerToken, `@${small / 1000}k`);
    querySmall.sql = await explains(db);
    const modelsSmall = await readModels(db);
    rss.mark(`query @${small}`);

    log(`cases: writing ${(big - small).toLocaleString('en-US')} more cases with SQL`);
    load.bigS = await loadCases(db, small, big);
    await db.query('ANALYZE events');
    await awaitConsumers(db, 900_000);
    load.big = await caseEventCount(db, types);
    const rebuildsBig = [await rebuild(ctx, minyi, `building @${big / 1000}k cases, 1/${ctx.runs}`)];
    rss.mark(`load + rebuild @${big}`);
    for (let k = 2; k <= ctx.runs; k++) rebuildsBig.push(await rebuild(ctx, minyi, `@${big / 1000}k ${k}/${ctx.runs}`));
    const groupBy = await groupBys(db, ctx.runs, types);
    const modelsBig = await readModels(db);
    const queryBig = await queries(ctx, minyi, db, org.readerToken, `@${big / 1000}k`);
    queryBig.sql = await explains(db);
    rss.mark(`query @${big}`);
    const { rows: sz } = await db.query(`SELECT pg_size_pretty(pg_total_relation_size('events')) AS events, pg_size_pretty(pg_total_relation_size('rm_cases')) AS cases, pg_size_pretty(pg_database_size(current_database())) AS db`);
    load.sizes = sz[0];
    const memory = rss.stop();

    const rebuildS = median(rebuildsBig.map((r) => r.seconds));
    const ratio = rebuildS / groupBy.medianSeconds;
    const medianRun = [...rebuildsBig].sort((a, b) => a.seconds - b.seconds)[Math.floor(rebuildsBig.length / 2)];
    const targets = [];
    for (const [i, e] of queryBig.endpoints.entries()) {
      if (!e.target) continue;
      const a = querySmall.endpoints[i];
      const worst = Math.max(a.p99Ms, e.p99Ms);
      targets.push({ name: `${e.label}: p99 ≤ ${e.target} ms (${small / 1000}k: ${a.p99Ms} ms, ${big / 1000}k: ${e.p99Ms} ms)`, value: worst, target: e.target, op: '≤', met: worst <= e.target, shortBy: worst <= e.target ? null : `${round(worst - e.target, 2)} ms over` });
      const growth = round(e.p99Ms / a.p99Ms, 2);
      targets.push({ name: `${e.label}: p99 at ${big / 1000}k cases ≤ 1.2× p99 at ${small / 1000}k`, value: growth, target: 1.2, op: '≤', met: growth <= 1.2, shortBy: growth <= 1.2 ? null : `×${growth}` });
    }
    targets.push({
      name: `rebuild of the case read models ≤ 2× one SQL GROUP BY over the same ${load.big.events.toLocaleString('en-US')} events (${round(rebuildS, 1)} s vs ${groupBy.medianSeconds} s)`,
      value: round(ratio, 2),
      target: 2,
      op: '≤',
      met: ratio <= 2,
      shortBy: ratio <= 2 ? null : `×${round(ratio / 2, 2)} too slow (needs ${round(rebuildS - 2 * groupBy.medianSeconds, 1)} s less)`,
    });
    // Every kind the ledger holds, from the catalogue: the follow-ups part a's bad ratings opened included.
    const byKind = Object.entries(load.big.byKind).map(([kind, n]) => `${kind} ${n.toLocaleString('en-US')}`).join(', ');
    const kindsMatch = Object.entries(load.big.byKind).every(([kind, n]) => (modelsBig.rootCohortByKind[kind] ?? 0) === n);
    const consistent = modelsBig.cases === load.big.cases && modelsBig.rootCohort === load.big.cases && kindsMatch && modelsBig.rootVisits === load.big.visits;
    targets.push({
      name: `check: the rebuilt ledger and the root's cohort count every case of every kind (${modelsBig.cases.toLocaleString('en-US')} and ${modelsBig.rootCohort.toLocaleString('en-US')} of ${load.big.cases.toLocaleString('en-US')} filings in the log: ${byKind}), the root's visits every visit (${modelsBig.rootVisits.toLocaleString('en-US')} of ${load.big.visits.toLocaleString('en-US')})`,
      value: consistent ? 'consistent' : 'INCONSISTENT',
      target: 'consistent',
      op: '=',
      met: consistent,
    });

    const k = (n) => `${n / 1000}k`;
    return {
      postgres: await postgresInfo(db),
      dataset: { small, big, stations: STATIONS, branches: BRANCHES, spanDays: SPAN_DAYS, load },
      figures: {
        intake: figures,
        query: { small: querySmall, big: queryBig },
        rebuild: {
          small: { events: rebuildsSmall[0].events, medianSeconds: round(median(rebuildsSmall.map((r) => r.seconds)), 2), runs: rebuildsSmall },
          big: { events: rebuildsBig[0].events, medianSeconds: round(rebuildS, 2), eventsPerS: round(rebuildsBig[0].events / rebuildS, 0), peakRssMiB: round(median(rebuildsBig.map((r) => r.peakRssMiB)), 0), medianRunSteps: { ...medianRun.details, finishSeconds: medianRun.phases.finishSeconds, swapSeconds: medianRun.phases.swapSeconds, applySeconds: medianRun.phases.applySeconds }, runs: rebuildsBig },
          sqlGroupBy: groupBy,
        },
        readModels: { small: modelsSmall, big: modelsBig },
      },
      targets,
      memory: { allInOne: memory },
      table: {
        header: ['measurement', 'median', 'unit', 'durable/s', 'p50 ms', 'p99 ms', 'failures', 'cores node/pg/loadgen/all'],
        rows: [
          ...figures.map((f) => [f.label, f.median, '2xx/s', f.durablePerS, f.p50Ms, f.p99Ms, f.failures, `${f.cores.minyiNode}/${f.cores.postgres}/${f.cores.loadGenerator}/${f.cores.machine}`]),
          ...queryBig.endpoints.map((e, i) => [`${e.label} @${k(small)} → @${k(big)} cases`, e.requestsPerS, 'req/s @1M', '', `${querySmall.endpoints[i].p50Ms} → ${e.p50Ms}`, `${querySmall.endpoints[i].p99Ms} → ${e.p99Ms}`, e.failures + querySmall.endpoints[i].failures, '']),
          [`rebuild cases @${k(small)} cases (${rebuildsSmall[0].events.toLocaleString('en-US')} events)`, round(median(rebuildsSmall.map((r) => r.seconds)), 2), 's', '', '', '', '', ''],
          [`rebuild cases @${k(big)} cases (${rebuildsBig[0].events.toLocaleString('en-US')} events)`, round(rebuildS, 2), 's', '', '', '', '', ''],
          ['SQL GROUP BY over the same case events', groupBy.medianSeconds, 's', '', '', '', '', ''],
        ],
      },
      notes: [
        'a: each measurement is its own load process (autocannon, 64 connections) against the all-in-one on the same 2-core machine; runs interleave ratings, filings and steps, each started once every consumer has applied the log. durable/s counts what the database holds after the run (over its warm-up and measured seconds); the median column counts 2xx answers per measured second.',
        'a: filings carry a contact every second one (sealed under a new per-subject key); steps walk each complaint accept → handle → reply → callback → close and each opinion assign → rectify (explain every second one) → reply → rate, one connection per case at a time. Cores: minyi node and its PostgreSQL summed per process from readings every 0.5 s (a backend that exits in between loses at most its last interval, never the whole group sum).',
        `b/c: cases copied with SQL from ${TEMPLATES.length} template cases filed and stepped over HTTP — ${KINDS.map((x) => `${x.templates.length} ${x.plural}`).join(', ')}, taken in turn — (their filing and latest step each; ${load.big.events.toLocaleString('en-US')} case events at ${k(big)} cases: ${Object.entries(load.big.byKind).map(([x, n]) => `${x} ${n.toLocaleString('en-US')}`).join(', ')}), and ${load.big.visits.toLocaleString('en-US')} visits (one per ${VISIT_EVERY} cases, from ${VISITS.length} templates, household refs repeating per station), moved back 1–365 days over ${STATIONS} stations of ${BRANCHES} branches; the generic rebuild builds the case read models (the load moves the live cases checkpoint past what it writes), the live visits projection folds the visits.`,
        'b: latency timed per request (µs clock) by a separate keep-alive client, 1 connection; the tables VACUUM ANALYZEd before each size. /v1/rates answers every group (complaints, followups, opinions, disputes, hazards, visits) in every period; the query check lists what each group counts.',
        `c: the rebuild that builds the read models at each size is the first of the ${ctx.runs} timed.`,
        `c: each rebuild is its own process (bench/workers/rebuild-projection.mjs → rebuildProjection, the definition's bulk step) while the all-in-one runs; the median run's steps (s): ${Object.entries(medianRun.details).filter(([x]) => x.endsWith('Seconds')).map(([x, v]) => `${x.replace(/Seconds$/, '')} ${round(v, 2)}`).join(', ')}, finish (ANALYZE) ${round(medianRun.phases.finishSeconds, 2)}, swap ${round(medianRun.phases.swapSeconds, 2)}.`,
        'The machine is shared: other sessions ran tests and benchmarks during this run (see the load average columns).',
      ],
    };
  } catch (err) {
    // A lost database connection is most often the all-in-one gone (it stops its embedded PostgreSQL): say why.
    if (!minyi.isAlive()) throw new Error(`${err.message}; minyi exited:\n${minyi.output().slice(-4000)}`);
    throw err;
  } finally {
    await db.end().catch(() => undefined);
    await minyi.stop();
  }
}
