// Scenario "surveys" — responses by invitation token and a survey's results, on the embedded all-in-one, in two parts:
//   a. responses over HTTP: an anonymous staff survey of 13 questions (8 level5 counted in satisfaction, an NPS, a
//      single and a multi choice, two suggestion boxes — a third of the responses write a suggestion, which the
//      suggestion reactor files as an opinion), each response with a token of its own, at c=64 and c=8; beside them,
//      in the same run and interleaved, single ratings at the same concurrencies and the same responses by a
//      surveys:write client (no token, no mixing window) — what the token's own transaction and the ~25 ms mixing
//      window cost. Durable/s counts what the database holds afterwards. The invitations are issued first, 10,000
//      tokens a call, and each load process gets its share in a file of its own.
//   b. GET /v1/surveys/{id}/results at 100k and 1M responses, p99 timed per request by a separate keep-alive client.
//      The responses are written straight into `events` with SQL, copied from fifty template responses submitted by
//      token over HTTP (so every event is one the catalogue accepts, as the handler wrote it), each under its own
//      response id and stream. The load moves every live consumer's checkpoint past what it writes, in the same
//      transaction (nothing else writes meanwhile: the suggestion reactor would otherwise file ~400,000 opinions and
//      the satisfaction projection fold 7 million answers, neither of which is measured here), and the generic rebuild
//      (bench/workers/rebuild-projection.mjs → rebuildProjection, what `npm run rebuild -- survey-results` runs)
//      builds the survey-results read model. The read is checked against one SQL count over the same events, and
//      EXPLAIN ANALYZE of the reader's query is kept at each size.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { api, ADMIN_TOKEN, awaitConsumers, connect, registerOrganisation, startMinyi, tempDir, TIME_ZONE } from '../lib/minyi.mjs';
import { postgresInfo } from '../lib/machine.mjs';
import { coresBetween, groupCpu, machineBusyCores, machineCpu, rssSampler } from '../lib/procs.mjs';
import { distDir } from '../lib/snapshot.mjs';
import { QUESTIONS, bodyOf } from '../lib/survey-answers.mjs';
import { httpLoad, runWorker } from '../lib/workers.mjs';
import { isoShanghai, log, median, round } from '../lib/util.mjs';

export const name = 'surveys';

const LOAD_SURVEY = 'bench-staff';
const RESULTS_SURVEY = 'bench-results';
const TEMPLATES = 50;
const CHUNK = 100_000;
const PER_CALL = 10_000;
/** The mixing window of apps/surveys (application/response-mixer.ts, MIX_WINDOW_MS). */
const MIX_WINDOW_MS = 25;

const defineSurvey = (id) => ({
  id,
  unitId: 's0',
  title: '基层民辅警警意调查（bench）',
  audience: 'staff',
  anonymous: true,
  targetSize: 14_000,
  questions: QUESTIONS,
});

/** Issues `count` tokens of the survey (10,000 a call) and writes them to a file of their own, one a line. */
async function issueTokens(admin, surveyId, count, file, tag) {
  const out = [];
  for (let k = 0; out.length < count; k++) {
    const n = Math.min(PER_CALL, count - out.length);
    const r = await admin('POST', `/v1/surveys/${surveyId}/invitations`, { id: `${tag}-${k}`, count: n }, { expect: [201] });
    out.push(...r.body.tokens);
  }
  fs.writeFileSync(file, out.join('\n'));
  return out.length;
}

async function durable(db) {
  const { rows } = await db.query(
    `SELECT count(*) FILTER (WHERE type = 'RatingSubmitted')::bigint AS ratings,
            count(*) FILTER (WHERE type = 'SurveyResponded')::bigint AS responses,
            count(*) FILTER (WHERE type = 'SurveyTokenUsed')::bigint AS uses
     FROM events WHERE type IN ('RatingSubmitted', 'SurveyResponded', 'SurveyTokenUsed')`,
  );
  return { ratings: Number(rows[0].ratings), responses: Number(rows[0].responses), uses: Number(rows[0].uses) };
}

/** Part a: responses by token and by client, and single ratings, at c=64 and c=8, interleaved. */
async function intake(ctx, minyi, db, { keys, clientToken, admin, dir }) {
  const d = ctx.durationS;
  const w = ctx.warmupS;
  // A calibration (the warm-up of the token path): how fast tokens go at c=64, so that each load gets enough.
  const calFile = path.join(dir, 'tokens-calibration');
  await issueTokens(admin, LOAD_SURVEY, 20_000, calFile, 'cal');
  const cal = await runWorker('survey calibration', 'survey-load.mjs', { url: minyi.url, surveyId: LOAD_SURVEY, mode: 'token', tokensFile: calFile, from: 0, count: 20_000, connections: 64, durationS: 3, idPrefix: `cal${Date.now().toString(36)}` });
  await httpLoad('ratings warm-up', { url: minyi.url, kind: 'single', path: '/v1/ratings', connections: 64, durationS: 2, keys, idPrefix: `warm${Date.now().toString(36)}` });
  log(`surveys: calibration ${round(cal.requestsPerS, 0)} responses/s by token at c=64${cal.exhausted ? ' (tokens ran out)' : ''}`);
  await awaitConsumers(db, 300_000);
  await db.query('ANALYZE');
  // Three times the calibrated rate (c=64) over the warm-up and measured seconds, and a floor; c=8 waits out the
  // window and goes slower. A run that still finds its share too small ends early (exhausted, in the table).
  const tokensFor = (connections) => Math.max(5_000, Math.ceil((Math.max(cal.requestsPerS, 300) * (connections === 64 ? 3 : 1) * (d + w)) / 1000) * 1000);

  let seq = 0;
  const responses = (label, mode, connections) => ({
    label,
    counts: 'responses',
    async prepare(runNo) {
      if (mode !== 'token') return {};
      const file = path.join(dir, `tokens-${connections}-${runNo}`);
      const count = await issueTokens(admin, LOAD_SURVEY, tokensFor(connections), file, `r${runNo}c${connections}`);
      return { mode, tokensFile: file, from: 0, count };
    },
    run: (id, extra) => runWorker(label, 'survey-load.mjs', { url: minyi.url, surveyId: LOAD_SURVEY, mode, clientToken, connections, durationS: d, warmupS: w, idPrefix: id, ...extra }),
  });
  const ratings = (label, connections) => ({
    label,
    counts: 'ratings',
    prepare: async () => ({}),
    run: (id) => httpLoad(label, { url: minyi.url, kind: 'single', path: '/v1/ratings', connections, durationS: d, warmupS: w, keys, idPrefix: id }),
  });
  const list = [
    responses('responses by token c=64 (anonymous, 13 questions)', 'token', 64),
    ratings('single POST /v1/ratings c=64', 64),
    responses('responses by a surveys:write client c=64 (no token, no mixing)', 'client', 64),
    responses('responses by token c=8', 'token', 8),
    ratings('single POST /v1/ratings c=8', 8),
    responses('responses by a surveys:write client c=8 (no token, no mixing)', 'client', 8),
  ];
  const results = list.map(() => []);
  for (let runNo = 1; runNo <= ctx.runs; runNo++) {
    for (const [i, m] of list.entries()) {
      const extra = await m.prepare(runNo);
      const settled = await awaitConsumers(db, 300_000);
      log(`surveys run ${runNo}/${ctx.runs}: ${m.label} (${d} s; consumers idle after ${settled.drainS} s)${extra.count ? `; ${extra.count.toLocaleString('en-US')} tokens` : ''}`);
      const before = await durable(db);
      const cpu0 = { minyi: groupCpu(minyi.pid), machine: machineCpu() };
      const r = await m.run(`sv${runNo}${i}${(seq++).toString(36)}${Date.now().toString(36)}`, extra);
      const cpu1 = { minyi: groupCpu(minyi.pid), machine: machineCpu() };
      const after = await durable(db);
      // What the run left to the consumers (the suggestion reactor's opinions, the results, satisfaction): its drain.
      const drained = await awaitConsumers(db, 300_000);
      const c = coresBetween(cpu0.minyi, cpu1.minyi);
      const row = {
        throughput: r.itemsPerS,
        p50Ms: r.latencyMs.p50,
        p99Ms: r.latencyMs.p99,
        failures: r.non2xx + r.errors + r.timeouts,
        exhausted: r.exhausted ?? false,
        committed: after[m.counts] - before[m.counts],
        tokenUses: after.uses - before.uses,
        drainAfterS: drained.drainS,
        cores: { minyiNode: c.leader, postgres: c.others, loadGenerator: round(r.loadGeneratorCores ?? 0, 2), machine: machineBusyCores(cpu0.machine, cpu1.machine, os.cpus().length) },
        raw: r,
      };
      row.durablePerS = round(row.committed / ((r.elapsedS ?? r.durationS) + w), 0);
      log(`  → ${round(row.throughput, 0)}/s answered 2xx, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, ${row.committed} committed${row.failures ? `, ${row.failures} failures ${JSON.stringify(r.statusCodes)}` : ''}${row.exhausted ? ' (TOKENS RAN OUT: the run ended early)' : ''}; consumers drained in ${drained.drainS} s`);
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
      exhausted: rs.filter((r) => r.exhausted).length,
      drainAfterS: round(median(rs.map((r) => r.drainAfterS)), 1),
      cores: Object.fromEntries(Object.keys(rs[0].cores).map((k) => [k, round(median(rs.map((r) => r.cores[k])), 2)])),
      runs: rs,
    };
  });
}

/** Fifty responses to the results survey, by token over HTTP: the events the SQL load copies. */
async function submitTemplates(minyi, admin, dir) {
  const file = path.join(dir, 'tokens-templates');
  await issueTokens(admin, RESULTS_SURVEY, TEMPLATES, file, 'tpl');
  const tokens = fs.readFileSync(file, 'utf8').split('\n');
  const at = isoShanghai(Date.now() - 3_600_000);
  for (let n = 0; n < TEMPLATES; n++) {
    const r = await fetch(`${minyi.url}/v1/surveys/${RESULTS_SURVEY}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodyOf(`tpl-${n}`, n, at, tokens[n]) });
    if (r.status !== 202) throw new Error(`template response ${n}: ${r.status} ${await r.text()}`);
  }
}

async function loadTemplates(db) {
  await db.query(`DROP TABLE IF EXISTS bench_survey_templates`);
  await db.query(
    `CREATE TABLE bench_survey_templates AS
     SELECT substring(stream_id FROM '/tpl-(\\d+)$')::int AS t, type, version, data, metadata, unit_id, occurred_at
     FROM events WHERE type = 'SurveyResponded' AND stream_id LIKE 'survey-response-${RESULTS_SURVEY}/tpl-%'`,
  );
  const { rows } = await db.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE (data->>'valid')::boolean)::int AS valid FROM bench_survey_templates`);
  if (rows[0].n !== TEMPLATES) throw new Error(`expected ${TEMPLATES} template responses, found ${rows[0].n}`);
  return rows[0];
}

/**
 * Writes responses [from, to) (`b<i>`, a copy of template i % 50 under its own response id and stream), one
 * transaction per chunk, and moves every live consumer's checkpoint past them in it.
 */
async function loadResponses(db, from, to) {
  const seconds = [];
  for (let a = from; a < to; a += CHUNK) {
    const b = Math.min(to, a + CHUNK);
    const t = Date.now();
    await db.query('BEGIN');
    await db.query(
      `INSERT INTO events (event_id, stream_id, stream_version, type, version, data, metadata, unit_id, occurred_at)
       SELECT gen_random_uuid(), 'survey-response-${RESULTS_SURVEY}/b' || g.i, 1, x.type, x.version,
              jsonb_set(x.data, '{responseId}', to_jsonb('b' || g.i)), x.metadata, x.unit_id, x.occurred_at
       FROM generate_series($1::bigint, $2::bigint - 1) AS g(i) JOIN bench_survey_templates x ON x.t = (g.i % ${TEMPLATES})::int
       ORDER BY g.i`,
      [a, b],
    );
    await db.query(
      `UPDATE consumer_checkpoints SET transaction_id = pg_current_xact_id(),
              global_position = (SELECT max(global_position) FROM events WHERE transaction_id = pg_current_xact_id())
       WHERE consumer NOT LIKE '%minyi.projector.%'`,
    );
    await db.query('COMMIT');
    seconds.push((Date.now() - t) / 1000);
    log(`  loaded responses ${a.toLocaleString('en-US')}–${(b - 1).toLocaleString('en-US')} in ${seconds.at(-1).toFixed(1)} s`);
  }
  return round(seconds.reduce((x, s) => x + s, 0), 1);
}

async function rebuild(minyi, label) {
  const r = await runWorker('rebuild survey-results', 'rebuild-projection.mjs', { dbUrl: minyi.dbUrl, timeZone: TIME_ZONE, distDir: distDir(), projection: 'survey-results' }, { timeoutMs: 30 * 60_000 });
  log(`  rebuild ${label}: ${r.events.toLocaleString('en-US')} events → ${JSON.stringify(r.rows)} in ${round(r.seconds, 2)} s (${r.method}; apply ${round(r.phases.applySeconds, 2)}, finish ${round(r.phases.finishSeconds, 2)}, swap ${round(r.phases.swapSeconds, 2)}), peak RSS ${r.peakRssMiB} MiB`);
  return r;
}

/**
 * After a load and a rebuild: statistics for the read model, and the load's dirty pages written out (CHECKPOINT), so
 * that the reads are not timed against the bench's own gigabyte of writeback.
 */
async function settle(db) {
  await db.query('VACUUM (ANALYZE) rm_survey_totals, rm_survey_questions, rm_survey_values');
  await db.query('CHECKPOINT');
}

/** The reference: one SQL count over the survey's response events (independent of the read model). */
async function reference(db) {
  const { rows } = await db.query(
    `SELECT count(*)::bigint AS responded, count(*) FILTER (WHERE (data->>'valid')::boolean)::bigint AS valid,
            count(*) FILTER (WHERE (data->>'valid')::boolean AND EXISTS (SELECT 1 FROM jsonb_array_elements(data->'answers') a WHERE a->>'questionId' = 'equipment'))::bigint AS equipment
     FROM events WHERE type = 'SurveyResponded' AND stream_id LIKE 'survey-response-${RESULTS_SURVEY}/%'`,
  );
  return Object.fromEntries(Object.entries(rows[0]).map(([k, v]) => [k, Number(v)]));
}

/** The reader's query (survey-results.reader.ts), for EXPLAIN ANALYZE. */
const READ_SQL = `SELECT 't' AS kind, NULL AS question_id, NULL AS value, invited::text AS a, responded::text AS b, valid::text AS c, suggestions::text AS e FROM rm_survey_totals WHERE survey_id = $1
  UNION ALL SELECT 'q', question_id, NULL, n::text, '0', '0', '0' FROM rm_survey_questions WHERE survey_id = $1
  UNION ALL SELECT 'v', question_id, value, n::text, '0', '0', '0' FROM rm_survey_values WHERE survey_id = $1`;

async function results(ctx, minyi, db, token, label) {
  const p = `/v1/surveys/${RESULTS_SURVEY}/results`;
  const r = await fetch(`${minyi.url}${p}`, { headers: { authorization: `Bearer ${token}` } });
  const body = await r.json();
  if (r.status !== 200) throw new Error(`${p}: ${r.status} ${JSON.stringify(body)}`);
  const ref = await reference(db);
  const equipment = body.questions.find((q) => q.id === 'equipment');
  const check = { responded: body.responded, valid: body.valid, equipmentN: equipment.n, suggestions: body.suggestions, questions: body.questions.length, reference: ref };
  check.consistent = body.responded === ref.responded && body.valid === ref.valid && equipment.n === ref.equipment;
  log(`  results check ${label}: responded ${body.responded} (SQL ${ref.responded}), valid ${body.valid} (${ref.valid}), equipment n ${equipment.n} (${ref.equipment}), ${body.suggestions} suggestions, equipment mean ${equipment.mean}, nps ${body.questions.find((q) => q.id === 'recommend').nps}${check.consistent ? '' : ' — INCONSISTENT'}`);
  const plan = (await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${READ_SQL.replaceAll('$1', `'${RESULTS_SURVEY}'`)}`)).rows.map((x) => x['QUERY PLAN']);
  const rows = (await db.query(READ_SQL, [RESULTS_SURVEY])).rows.length;
  // The floor beside it, each run right after: the house's cheapest read (/v1/satisfaction, the root, one day: one
  // read-model row, the same auth and HTTP stack), so that what the machine adds to a read in those seconds shows.
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const floorPath = `/v1/satisfaction?scope=unit:root&granularity=day&from=${today}&to=${today}`;
  const runs = [];
  const floor = [];
  for (let runNo = 1; runNo <= ctx.runs; runNo++) {
    const x = await runWorker(`results ${label}`, 'http-get.mjs', { url: minyi.url, path: p, token, connections: 1, durationS: ctx.durationS, warmupS: ctx.warmupS });
    runs.push(x);
    const f = await runWorker(`floor ${label}`, 'http-get.mjs', { url: minyi.url, path: floorPath, token, connections: 1, durationS: ctx.durationS, warmupS: ctx.warmupS });
    floor.push(f);
    log(`  results ${label} run ${runNo}: ${round(x.requestsPerS, 0)} req/s, p50 ${x.latencyMs.p50} ms, p99 ${x.latencyMs.p99} ms${x.non2xx ? `, ${x.non2xx} non-2xx` : ''}; floor ${floorPath}: p50 ${f.latencyMs.p50} ms, p99 ${f.latencyMs.p99} ms${f.non2xx ? `, ${f.non2xx} non-2xx` : ''}`);
  }
  return {
    floor: {
      path: floorPath,
      p50Ms: round(median(floor.map((x) => x.latencyMs.p50)), 3),
      p99Ms: round(median(floor.map((x) => x.latencyMs.p99)), 3),
      requestsPerS: round(median(floor.map((x) => x.requestsPerS)), 0),
      failures: floor.reduce((a, x) => a + x.non2xx + x.errors + x.timeouts, 0),
      runs: floor,
    },
    label,
    path: p,
    check,
    readModelRows: rows,
    responseBytes: runs[0].responseBytes,
    requestsPerS: round(median(runs.map((x) => x.requestsPerS)), 0),
    p50Ms: round(median(runs.map((x) => x.latencyMs.p50)), 3),
    p99Ms: round(median(runs.map((x) => x.latencyMs.p99)), 3),
    failures: runs.reduce((a, x) => a + x.non2xx + x.errors + x.timeouts, 0),
    plan,
    runs,
  };
}

export async function run(ctx) {
  const minyi = await startMinyi('surveys', { nodeArgs: ctx.profile ? ['--cpu-prof', `--cpu-prof-dir=${ctx.profileDir}`] : [] });
  const rss = rssSampler(minyi.pid);
  const db = await connect(minyi.dbUrl);
  const dir = tempDir('survey-tokens');
  const small = Math.min(ctx.small, ctx.events);
  const big = ctx.events;
  try {
    log('surveys: registering 2 branches, 4 stations, 2 windows each with a terminal, an analyst, a surveys:write client; two anonymous surveys of 13 questions');
    const org = await registerOrganisation(minyi.url, { branches: 2, stationsPerBranch: 2, windowsPerStation: 2 });
    const keys = Object.values(org.keys).map((k) => k.apiKey);
    const admin = api(minyi.url, ADMIN_TOKEN);
    const client = await admin('POST', '/v1/clients', { id: 'bench-kiosk', name: '问卷终端 (bench)', scopes: ['surveys:write'] }, { expect: [201] });
    for (const id of [LOAD_SURVEY, RESULTS_SURVEY]) {
      await admin('POST', '/v1/surveys', defineSurvey(id), { expect: [201] });
      await admin('POST', `/v1/surveys/${id}/publish`, {}, { expect: [200] });
    }
    rss.mark('setup');

    const figures = await intake(ctx, minyi, db, { keys, clientToken: client.body.token, admin, dir });
    const { rows: op } = await db.query(`SELECT count(*)::bigint AS n FROM events WHERE stream_id LIKE 'opinion-${LOAD_SURVEY}:%'`);
    const { rows: sug } = await db.query(`SELECT suggestions, valid, responded FROM rm_survey_totals WHERE survey_id = $1`, [LOAD_SURVEY]);
    const suggestionsFiled = { opinions: Number(op[0].n), suggestions: Number(sug[0]?.suggestions ?? 0), valid: Number(sug[0]?.valid ?? 0), responded: Number(sug[0]?.responded ?? 0) };
    log(`surveys: the load survey holds ${suggestionsFiled.responded} responses, ${suggestionsFiled.suggestions} suggestions; the reactor filed ${suggestionsFiled.opinions} opinions`);
    rss.mark('intake');

    await submitTemplates(minyi, admin, dir);
    await awaitConsumers(db, 300_000);
    const templates = await loadTemplates(db);
    const load = { templates };
    log(`surveys: writing ${small.toLocaleString('en-US')} responses with SQL (templates: ${templates.n}, ${templates.valid} valid)`);
    load.smallS = await loadResponses(db, 0, small);
    await db.query('VACUUM (ANALYZE) events');
    const rebuildSmall = await rebuild(minyi, `@${small / 1000}k`);
    await settle(db);
    const readSmall = await results(ctx, minyi, db, org.readerToken, `@${small / 1000}k`);
    rss.mark(`load + rebuild + results @${small}`);

    log(`surveys: writing ${(big - small).toLocaleString('en-US')} more responses with SQL`);
    load.bigS = await loadResponses(db, small, big);
    await db.query('VACUUM (ANALYZE) events');
    const rebuildBig = await rebuild(minyi, `@${big / 1000}k`);
    await settle(db);
    const readBig = await results(ctx, minyi, db, org.readerToken, `@${big / 1000}k`);
    rss.mark(`load + rebuild + results @${big}`);
    const { rows: sz } = await db.query(`SELECT pg_size_pretty(pg_total_relation_size('events')) AS events, pg_size_pretty(pg_database_size(current_database())) AS db`);
    load.sizes = sz[0];
    const memory = rss.stop();

    const by = (s) => figures.find((f) => f.label.startsWith(s));
    const t64 = by('responses by token c=64');
    const t8 = by('responses by token c=8');
    const c8 = by('responses by a surveys:write client c=8');
    const c64 = by('responses by a surveys:write client c=64');
    const r64 = by('single POST /v1/ratings c=64');
    const r8 = by('single POST /v1/ratings c=8');
    const k = (n) => `${n / 1000}k`;
    const worst = Math.max(readSmall.p99Ms, readBig.p99Ms);
    const growth = round(readBig.p99Ms / readSmall.p99Ms, 2);
    const consistent = readSmall.check.consistent && readBig.check.consistent;
    const targets = [
      { name: `GET /v1/surveys/{id}/results p99 ≤ 10 ms (${k(small)}: ${readSmall.p99Ms} ms, ${k(big)}: ${readBig.p99Ms} ms)`, value: worst, target: 10, op: '≤', met: worst <= 10, shortBy: worst <= 10 ? null : `${round(worst - 10, 2)} ms over` },
      { name: `results p99 at ${k(big)} responses ≤ 1.2× p99 at ${k(small)}`, value: growth, target: 1.2, op: '≤', met: growth <= 1.2, shortBy: growth <= 1.2 ? null : `×${growth}` },
      { name: `check: the results count every response, valid one and answer of the first question (${readBig.check.responded.toLocaleString('en-US')} responses, as one SQL count over the events)`, value: consistent ? 'consistent' : 'INCONSISTENT', target: 'consistent', op: '=', met: consistent },
      // Informational: no target in the issue for the intake of responses (it asks for the figure).
      { name: `responses by token c=64: durable/s (info; single ratings in the same run ${r64.durablePerS}/s)`, value: t64.durablePerS, target: '–', op: '', met: null },
    ];
    const windowCost = {
      p50ByTokenC8: t8.p50Ms,
      p50ByClientC8: c8.p50Ms,
      p50RatingsC8: r8.p50Ms,
      p50ByTokenC64: t64.p50Ms,
      p50ByClientC64: c64.p50Ms,
      tokenMinusClientP50C8: round(t8.p50Ms - c8.p50Ms, 2),
      tokenMinusClientP50C64: round(t64.p50Ms - c64.p50Ms, 2),
      throughputTokenVsClientC64: round(t64.durablePerS / c64.durablePerS, 2),
      throughputTokenVsClientC8: round(t8.durablePerS / c8.durablePerS, 2),
    };
    return {
      postgres: await postgresInfo(db),
      questionnaire: QUESTIONS.map((q) => `${q.id}:${q.kind}${q.satisfaction ? '+satisfaction' : ''}${q.required ? '+required' : ''}`),
      dataset: { small, big, templates: TEMPLATES, load },
      figures: {
        intake: figures,
        suggestionsFiled,
        windowCost,
        results: { small: readSmall, big: readBig },
        rebuild: { small: rebuildSmall, big: rebuildBig },
      },
      targets,
      memory: { allInOne: memory },
      table: {
        header: ['measurement', 'median', 'unit', 'durable/s', 'p50 ms', 'p99 ms', 'failures', 'cores node/pg/loadgen/all'],
        rows: [
          ...figures.map((f) => [f.label, f.median, '2xx/s', f.durablePerS, f.p50Ms, f.p99Ms, f.failures, `${f.cores.minyiNode}/${f.cores.postgres}/${f.cores.loadGenerator}/${f.cores.machine}`]),
          [`GET /v1/surveys/{id}/results @${k(small)} → @${k(big)} responses`, readBig.requestsPerS, 'req/s @big', '', `${readSmall.p50Ms} → ${readBig.p50Ms}`, `${readSmall.p99Ms} → ${readBig.p99Ms}`, readSmall.failures + readBig.failures, ''],
          [`floor: /v1/satisfaction root, one day, right after each results run @${k(small)} → @${k(big)}`, readBig.floor.requestsPerS, 'req/s @big', '', `${readSmall.floor.p50Ms} → ${readBig.floor.p50Ms}`, `${readSmall.floor.p99Ms} → ${readBig.floor.p99Ms}`, readSmall.floor.failures + readBig.floor.failures, ''],
          [`rebuild survey-results @${k(small)} → @${k(big)} responses`, round(rebuildBig.seconds, 1), 's @big', '', '', '', '', `${round(rebuildSmall.seconds, 1)} s @small`],
        ],
      },
      notes: [
        `a: an anonymous survey of ${QUESTIONS.length} questions (${QUESTIONS.map((q) => q.kind).join(', ')}; 8 level5 counted in satisfaction, the first required — 1 in 25 responses leaves it out and is stored not valid); a third of the responses write a suggestion, a tenth a second one, some a blank box: the suggestion reactor files each as an opinion (${suggestionsFiled.opinions.toLocaleString('en-US')} filed for ${suggestionsFiled.suggestions.toLocaleString('en-US')} suggestions by the end of part a).`,
        'a: each measurement is its own load process (autocannon) against the all-in-one on the same 2-core machine, started once every consumer has applied the log; each token response has a token of its own (issued beforehand, 10,000 a call, handed to the load process in a file). durable/s counts what the database holds afterwards (SurveyResponded events; RatingSubmitted for ratings) over the warm-up and measured seconds; the median column counts 2xx answers per measured second. "drain" (JSON) is how long the consumers took to apply what a run left.',
        `a: the cost of the ~${MIX_WINDOW_MS} ms mixing window (and of the token's own transaction): at c=8 a response by token takes p50 ${t8.p50Ms} ms against ${c8.p50Ms} ms for the same response by a client (no token, no window) and ${r8.p50Ms} ms for a rating; at c=64 ${t64.p50Ms} ms against ${c64.p50Ms} ms. Throughput by token / by client: ${windowCost.throughputTokenVsClientC64} at c=64, ${windowCost.throughputTokenVsClientC8} at c=8 — at low concurrency each connection waits out the window, so the rate is bounded by connections ÷ (window + write).`,
        `b: ${big.toLocaleString('en-US')} responses copied with SQL from ${TEMPLATES} template responses submitted by token over HTTP (${templates.valid} valid), every live consumer's checkpoint moved past them; the generic rebuild builds survey-results (method ${rebuildBig.method}: ${rebuildBig.events.toLocaleString('en-US')} events in ${round(rebuildBig.seconds, 1)} s at ${k(big)}). The results read ${readBig.readModelRows} read-model rows at either size (O(questions)); latency timed per request (µs clock) by a separate keep-alive client, 1 connection; the tables VACUUM ANALYZEd and a CHECKPOINT taken before each size (the SQL load's writeback is not what is timed).`,
        `b: EXPLAIN ANALYZE of the reader's query at ${k(big)}: ${readBig.plan.filter((l) => /Scan|Execution Time/.test(l)).map((l) => l.trim().replace(/\s+\(cost=[^)]*\)/, '')).join(' / ')}.`,
        `b: the floor — the house's cheapest read (/v1/satisfaction at the root for one day: one row, the same auth and HTTP stack), timed right after each results run — had p50 ${readSmall.floor.p50Ms} → ${readBig.floor.p50Ms} ms and p99 ${readSmall.floor.p99Ms} → ${readBig.floor.p99Ms} ms (results: p50 ${readSmall.p50Ms} → ${readBig.p50Ms}, p99 ${readSmall.p99Ms} → ${readBig.p99Ms} ms). The results read makes two database round trips where the floor makes one — the survey's stream (its definition and status, read your writes), then the counters (${readBig.readModelRows} rows, executed in well under a millisecond, see the plan) — and on a machine this loaded each round trip costs milliseconds at the tail; neither grows with the responses.`,
        'The machine is shared and not quiet: other sessions ran test suites and builds during this run (see the load average columns); latencies and throughput move with it.',
      ],
    };
  } finally {
    await db.end().catch(() => undefined);
    await minyi.stop();
  }
}
