// Scenarios 3 (rebuild) and 4 (query), on one growing data set:
//   organisation through the API (root → 10 branches → 50 stations → 500 windows, a terminal each), then
//   rating events written straight into `events` with SQL in the exact shape the event store
//   writes (RatingSubmitted v1 from an import: data, metadata with the request hash, unit, occurredAt),
//   spread over two years.
//   100,000 ratings → live projection catches up → query@100k (and rebuild@100k)
//   → up to 1,000,000 → catch-up → rebuild ×runs and SQL GROUP BY ×runs → query@1M.
// The all-in-one runs throughout; its RSS is sampled per phase, and each rebuild process reports its own peak.
import { connect, projectionBacklog, registerOrganisation, startMinyi, TIME_ZONE } from '../lib/minyi.mjs';
import { postgresInfo } from '../lib/machine.mjs';
import { rssSampler } from '../lib/procs.mjs';
import { distDir } from '../lib/snapshot.mjs';
import { runWorker } from '../lib/workers.mjs';
import { localDate, log, median, round, waitFor } from '../lib/util.mjs';

const BRANCHES = 10;
const STATIONS_PER_BRANCH = 5;
const WINDOWS_PER_STATION = 10;
const WINDOWS = BRANCHES * STATIONS_PER_BRANCH * WINDOWS_PER_STATION; // 500
const SPAN_DAYS = 730;
const CHUNK = 100_000;

/** Writes ratings [from, to) as RatingSubmitted events (each opens its stream), one transaction per chunk. */
export async function loadRatings(db, from, to, nowIso) {
  for (let a = from; a < to; a += CHUNK) {
    const b = Math.min(to, a + CHUNK);
    const t = Date.now();
    await db.query('BEGIN');
    await db.query(
      `WITH g AS (
         SELECT i, i % $3 AS w,
                $4::timestamptz - make_interval(secs => floor($5::float8 * ((i * 0.6180339887498949) - floor(i * 0.6180339887498949)))) AS at,
                (ARRAY[5,5,5,5,5,5,4,4,3,2,1,5,4,5,5,4,5,2,5,5])[1 + (i * 7) % 20] AS score
         FROM generate_series($1::bigint, $2::bigint - 1) AS i
       ), r AS (
         SELECT i, 'imp-' || i AS id, 'w' || w AS window_id, 'term-w' || w AS terminal_id, 's' || (w / $6) AS unit_id, score, at,
                to_char(at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS') || '+08:00' AS occurred_text
         FROM g
       )
       INSERT INTO events (event_id, stream_id, stream_version, type, version, data, metadata, unit_id, occurred_at)
       SELECT gen_random_uuid(), 'rating-' || id, 1, 'RatingSubmitted', 1,
              jsonb_build_object('ratingId', id, 'terminalId', terminal_id, 'windowId', window_id, 'unitId', unit_id, 'score', score,
                                 'officerId', null, 'serviceType', null, 'reasons', '[]'::jsonb, 'comment', null, 'source', 'import'),
              jsonb_build_object('actor', 'admin', 'correlationId', 'bench-load-' || $1::text, 'causationId', null,
                                 'requestHash', encode(sha256(convert_to(
                                   '{"id":' || to_json(id)::text || ',"occurredAt":' || to_json(occurred_text)::text ||
                                   ',"score":' || score || ',"terminalId":' || to_json(terminal_id)::text || '}', 'UTF8')), 'hex')),
              unit_id, at
       FROM r ORDER BY i`,
      [a, b, WINDOWS, nowIso, SPAN_DAYS * 86400, WINDOWS_PER_STATION],
    );
    await db.query('COMMIT');
    log(`  loaded ratings ${a.toLocaleString('en-US')}–${(b - 1).toLocaleString('en-US')} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
}

async function catchUp(db, label) {
  const t = Date.now();
  const backlog = await projectionBacklog(db);
  let last = 0;
  await waitFor(
    async () => {
      const n = await projectionBacklog(db);
      if (Date.now() - last > 10_000) {
        last = Date.now();
        log(`  live projection backlog: ${n.toLocaleString('en-US')} events`);
      }
      return n === 0;
    },
    30 * 60_000,
    `live projection caught up (${label})`,
    500,
  );
  const s = (Date.now() - t) / 1000;
  return { events: backlog, seconds: round(s, 1), eventsPerS: round(backlog / s, 0) };
}

// The floor: one GROUP BY that makes the window × day level counts. Its outer query uses all five counts, so
// that PostgreSQL computes them (an earlier version summed only count(*) there, and the planner dropped the five
// FILTERed counts from the inner query: 0.9 s instead of the ~2.3 s the real GROUP BY takes).
const GROUP_BY = `
  SELECT count(*)::bigint AS cells, sum(n)::bigint AS ratings, sum(n1 + n2 + n3 + n4 + n5)::bigint AS counted,
         sum(n1 + 2 * n2 + 3 * n3 + 4 * n4 + 5 * n5)::bigint AS score_total FROM (
    SELECT data->>'windowId' AS window_id, (occurred_at AT TIME ZONE '${TIME_ZONE}')::date AS day,
           count(*) FILTER (WHERE (data->>'score')::int = 1) AS n1, count(*) FILTER (WHERE (data->>'score')::int = 2) AS n2,
           count(*) FILTER (WHERE (data->>'score')::int = 3) AS n3, count(*) FILTER (WHERE (data->>'score')::int = 4) AS n4,
           count(*) FILTER (WHERE (data->>'score')::int = 5) AS n5, count(*) AS n
    FROM events WHERE type = 'RatingSubmitted'
    GROUP BY 1, 2) t`;

function monthsBack(todayIso, k) {
  const [y, m] = todayIso.split('-').map(Number);
  const idx = y * 12 + (m - 1) - k;
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
}

/** The plans of the two read-model queries behind the endpoints (as apps/analytics issues them), then ANALYZE. */
async function planAndAnalyze(db, from, today, lastMonth) {
  const months = [];
  for (let k = 36; k >= 0; k--) months.push(monthsBack(today, k));
  const plans = {};
  const explain = async (name, sql, params) => {
    const { rows } = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
    plans[name] = rows.map((r) => r['QUERY PLAN']);
  };
  const SUMS = 'sum(n1) AS n1, sum(n2) AS n2, sum(n3) AS n3, sum(n4) AS n4, sum(n5) AS n5';
  await explain('countsByPeriod (satisfaction)', `SELECT period AS key, ${SUMS} FROM rm_satisfaction WHERE scope = $1 AND granularity = $2 AND period = ANY($3::text[]) AND ($4 = 'all' OR channel = $4) GROUP BY period`, ['unit:root', 'month', months, 'all']);
  const units = (await db.query(`SELECT 'unit:' || unit_id AS s FROM rm_units WHERE parent_id = 'root'`)).rows.map((r) => r.s);
  await explain('countsByScope (rankings of units)', `SELECT scope AS key, ${SUMS} FROM rm_satisfaction WHERE scope = ANY($1::text[]) AND granularity = $2 AND period = $3 GROUP BY scope`, [units, 'month', lastMonth]);
  const stats = (await db.query(`SELECT relname, n_live_tup::bigint AS rows, last_analyze, last_autoanalyze FROM pg_stat_user_tables WHERE relname LIKE 'rm_%' ORDER BY relname`)).rows;
  await db.query('ANALYZE rm_satisfaction; ANALYZE rm_units; ANALYZE rm_windows; ANALYZE rm_officers');
  // Steady state, as autovacuum leaves it soon after a bulk load: vacuumed, and no autovacuum worker busy
  // while latency is measured (one started by the million inserts would otherwise share the two cores).
  await db.query('VACUUM (ANALYZE) events');
  await db.query('VACUUM rm_satisfaction');
  await waitFor(
    async () => (await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'`)).rows[0].n === 0,
    5 * 60_000,
    'autovacuum idle',
    500,
  );
  return { plansBeforeAnalyze: plans, tablesBeforeAnalyze: stats };
}

async function queryBench(ctx, minyi, token, label, db) {
  const today = localDate(Date.now(), TIME_ZONE);
  const from = `${monthsBack(today, 23)}-01`;
  const lastMonth = monthsBack(today, 1);
  const endpoints = [
    { label: '/v1/satisfaction unit:root, 24 months', path: `/v1/satisfaction?scope=unit:root&granularity=month&from=${from}&to=${today}`, c: 1, judged: true },
    { label: '/v1/rankings of=units at root, month', path: `/v1/rankings?parentId=root&of=units&granularity=month&period=${lastMonth}`, c: 1, judged: true },
    { label: '/v1/rankings of=windows at root (500), month', path: `/v1/rankings?parentId=root&of=windows&granularity=month&period=${lastMonth}`, c: 1, judged: false },
    { label: '/v1/satisfaction unit:root, 24 months, c=8', path: `/v1/satisfaction?scope=unit:root&granularity=month&from=${from}&to=${today}`, c: 8, judged: false },
    { label: '/v1/rankings of=units at root, month, c=8', path: `/v1/rankings?parentId=root&of=units&granularity=month&period=${lastMonth}`, c: 8, judged: false },
  ];
  const diagnostics = await planAndAnalyze(db, from, today, lastMonth);
  // Sanity: the answers carry the loaded data.
  const check = await fetch(`${minyi.url}${endpoints[0].path}`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json());
  const periods = check.series?.length;
  const n = check.series?.reduce((a, s) => a + s.n, 0);
  const rk = await fetch(`${minyi.url}${endpoints[1].path}`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json());
  log(`  query check: ${periods} periods, ${n?.toLocaleString('en-US')} ratings in the series; ranking of ${rk.items?.length} units`);
  const results = endpoints.map(() => []);
  for (let runNo = 1; runNo <= ctx.runs; runNo++) {
    for (let i = 0; i < endpoints.length; i++) {
      const e = endpoints[i];
      const r = await runWorker(`query ${label}`, 'http-get.mjs', { url: minyi.url, path: e.path, token, connections: e.c, durationS: ctx.durationS, warmupS: ctx.warmupS });
      results[i].push(r);
      log(`  query ${label} run ${runNo}: ${e.label}: ${round(r.requestsPerS, 0)} req/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms${r.non2xx ? `, ${r.non2xx} non-2xx` : ''}`);
    }
  }
  return {
    check: { periods, ratingsInSeries: n, rankedUnits: rk.items?.length ?? null },
    diagnostics,
    endpoints: endpoints.map((e, i) => ({
      label: e.label,
      path: e.path,
      connections: e.c,
      judged: e.judged,
      requestsPerS: round(median(results[i].map((r) => r.requestsPerS)), 0),
      p50Ms: round(median(results[i].map((r) => r.latencyMs.p50)), 2),
      p99Ms: round(median(results[i].map((r) => r.latencyMs.p99)), 2),
      failures: results[i].reduce((a, r) => a + r.non2xx + r.errors + r.timeouts, 0),
      runs: results[i],
    })),
  };
}

async function rebuilds(ctx, minyi, db, times, { foldReference = false } = {}) {
  const out = [];
  const runs = [...Array.from({ length: times }, () => 'database'), ...(foldReference ? ['fold'] : [])];
  let k = 0;
  let fold = null;
  for (const method of runs) {
    k += 1;
    log(`  rebuild ${k}/${runs.length} (${method})`);
    const r = await runWorker(
      'rebuild',
      'rebuild.mjs',
      { dbUrl: minyi.dbUrl, timeZone: TIME_ZONE, distDir: distDir(), method },
      { timeoutMs: 30 * 60_000, nodeArgs: ctx.profile && k === 1 ? ['--cpu-prof', `--cpu-prof-dir=${ctx.profileDir}`] : [] },
    );
    log(`  → ${r.events.toLocaleString('en-US')} events → ${r.cells.toLocaleString('en-US')} cells in ${round(r.seconds, 2)} s (${round(r.eventsPerS, 0)} events/s, ${r.method}), peak RSS ${r.peakRssMiB} MiB`);
    if (r.events < r.eventsInLogAtStart) {
      log(`  !! the rebuild read ${r.events} events but the log held ${r.eventsInLogAtStart} when it started (xmin ${r.snapshotXminAtStart}; open transactions: ${JSON.stringify(r.openTransactionsAtStart)})`);
    }
    if (method === 'fold') fold = r;
    else out.push(r);
  }
  // The rebuild's window×day cells must equal the SQL GROUP BY's.
  const { rows } = await db.query(
    `SELECT count(*)::bigint AS cells, sum(n1 + n2 + n3 + n4 + n5)::bigint AS ratings FROM rm_satisfaction WHERE granularity = 'day' AND scope LIKE 'window:%'`,
  );
  const after = await readModelCounts(db);
  log(`  read models after the rebuild: ${JSON.stringify(after)}`);
  return { runs: out, fold, windowDayCells: Number(rows[0].cells), windowDayRatings: Number(rows[0].ratings), readModels: after };
}

/** What the read models hold: units, windows, and ratings counted at the root and over all windows (year cells). */
async function readModelCounts(db) {
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM rm_units)::int AS units, (SELECT count(*) FROM rm_windows)::int AS windows,
            (SELECT coalesce(sum(n1 + n2 + n3 + n4 + n5), 0) FROM rm_satisfaction WHERE scope = 'unit:root' AND granularity = 'year')::bigint AS "rootRatings",
            (SELECT coalesce(sum(n1 + n2 + n3 + n4 + n5), 0) FROM rm_satisfaction WHERE scope LIKE 'window:%' AND granularity = 'year')::bigint AS "windowRatings"`,
  );
  return { units: rows[0].units, windows: rows[0].windows, rootRatings: Number(rows[0].rootRatings), windowRatings: Number(rows[0].windowRatings) };
}

async function groupBys(db, times) {
  const out = [];
  for (let k = 1; k <= times; k++) {
    const t = process.hrtime.bigint();
    const { rows } = await db.query(GROUP_BY);
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    out.push({ seconds, cells: Number(rows[0].cells), ratings: Number(rows[0].ratings) });
    log(`  SQL GROUP BY ${k}/${times}: ${round(seconds, 2)} s, ${Number(rows[0].cells).toLocaleString('en-US')} window×day cells`);
  }
  const plan = await db.query(`EXPLAIN ${GROUP_BY}`);
  return { runs: out, plan: plan.rows.map((r) => r['QUERY PLAN']) };
}

export async function run(ctx, want) {
  const minyi = await startMinyi('data', { nodeArgs: ctx.profile ? ['--cpu-prof', `--cpu-prof-dir=${ctx.profileDir}`] : [] });
  const rss = rssSampler(minyi.pid);
  const db = await connect(minyi.dbUrl);
  const small = Math.min(ctx.small, ctx.events);
  const big = ctx.events;
  const load = {};
  try {
    log(`data: registering ${WINDOWS} windows under ${BRANCHES} branches and ${BRANCHES * STATIONS_PER_BRANCH} stations, a terminal each`);
    const t = Date.now();
    const org = await registerOrganisation(minyi.url, { branches: BRANCHES, stationsPerBranch: STATIONS_PER_BRANCH, windowsPerStation: WINDOWS_PER_STATION });
    load.organisationS = round((Date.now() - t) / 1000, 1);
    await catchUp(db, 'organisation');
    rss.mark('setup');
    const now = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000).toISOString();

    log(`data: writing ${small.toLocaleString('en-US')} rating events with SQL`);
    let t1 = Date.now();
    await loadRatings(db, 0, small, now);
    await db.query('ANALYZE'); // a bulk load is followed by ANALYZE (autovacuum would do it within a minute)
    load.smallS = round((Date.now() - t1) / 1000, 1);
    load.smallCatchUp = await catchUp(db, `${small} events`);
    log(`  live projection caught up ${load.smallCatchUp.events.toLocaleString('en-US')} events in ${load.smallCatchUp.seconds} s`);
    rss.mark(`load ${small} + live catch-up`);

    const out = { query: null, rebuild: null };
    let querySmall;
    let rebuildSmall;
    if (want.query) {
      querySmall = await queryBench(ctx, minyi, org.readerToken, `@${small / 1000}k`, db);
      rss.mark(`query @${small}`);
    }
    if (want.rebuild) {
      rebuildSmall = await rebuilds(ctx, minyi, db, ctx.runs);
      rss.mark(`rebuild @${small}`);
    }

    log(`data: writing ${(big - small).toLocaleString('en-US')} more rating events with SQL`);
    t1 = Date.now();
    await loadRatings(db, small, big, now);
    await db.query('ANALYZE');
    load.bigS = round((Date.now() - t1) / 1000, 1);
    load.bigCatchUp = await catchUp(db, `${big} events`);
    log(`  live projection caught up ${load.bigCatchUp.events.toLocaleString('en-US')} events in ${load.bigCatchUp.seconds} s`);
    rss.mark(`load ${big} + live catch-up`);
    const { rows: dl } = await db.query(`SELECT count(*)::int AS n FROM dead_letters`);
    load.deadLetters = dl[0].n;
    const { rows: sz } = await db.query(`SELECT pg_size_pretty(pg_total_relation_size('events')) AS events, pg_size_pretty(pg_database_size(current_database())) AS db`);
    load.sizes = sz[0];

    let rebuildBig;
    let groupBy;
    if (want.rebuild) {
      rebuildBig = await rebuilds(ctx, minyi, db, ctx.runs, { foldReference: true });
      rss.mark(`rebuild @${big}`);
      groupBy = await groupBys(db, ctx.runs);
    }
    let queryBig;
    if (want.query) {
      queryBig = await queryBench(ctx, minyi, org.readerToken, `@${big / 1000}k`, db);
      rss.mark(`query @${big}`);
    }
    const memory = rss.stop();
    const pgInfo = await postgresInfo(db);

    if (want.rebuild) {
      const med = (rs, f) => median(rs.runs.map(f));
      const rebuildS = med(rebuildBig, (r) => r.seconds);
      const groupS = median(groupBy.runs.map((r) => r.seconds));
      const ratio = rebuildS / groupS;
      const rssSmall = med(rebuildSmall, (r) => r.peakRssMiB);
      const rssBig = med(rebuildBig, (r) => r.peakRssMiB);
      const aioSmall = Math.max(...Object.entries(memory.phases).filter(([k]) => k.includes(`@${small}`) || k.includes(`load ${small} `)).map(([, v]) => v), 0);
      const aioBig = Math.max(...Object.entries(memory.phases).filter(([k]) => k.includes(`@${big}`) || k.includes(`load ${big} `)).map(([, v]) => v), 0);
      const bounded = {
        name: `memory bounded: peak RSS at ${big.toLocaleString('en-US')} events ≤ 2× the peak at ${small.toLocaleString('en-US')} (rebuild process ${rssSmall} → ${rssBig} MiB; all-in-one ${aioSmall} → ${aioBig} MiB)`,
        value: round(Math.max(rssBig / rssSmall, aioBig / Math.max(aioSmall, 1)), 2),
        target: 2,
        op: '≤',
      };
      bounded.met = bounded.value <= 2;
      if (!bounded.met) bounded.shortBy = `grows ×${bounded.value} for ×${round(big / small, 0)} events`;
      const check = groupBy.runs[0];
      const rm = rebuildBig.readModels;
      const consistent =
        rebuildBig.windowDayCells === check.cells &&
        rebuildBig.windowDayRatings === check.ratings &&
        rm.units === 1 + BRANCHES + BRANCHES * STATIONS_PER_BRANCH &&
        rm.windows === WINDOWS &&
        rm.rootRatings === big &&
        rm.windowRatings === big &&
        rebuildBig.runs.every((r) => r.events === r.eventsInLogAtStart && r.method === 'database');
      out.rebuild = {
        postgres: pgInfo,
        dataset: { ratingEvents: big, windows: WINDOWS, units: 1 + BRANCHES + BRANCHES * STATIONS_PER_BRANCH, spanDays: SPAN_DAYS, load },
        figures: {
          rebuild: {
            events: rebuildBig.runs[0].events,
            medianSeconds: round(rebuildS, 2),
            eventsPerS: round(med(rebuildBig, (r) => r.eventsPerS), 0),
            cells: rebuildBig.runs[0].cells,
            peakRssMiB: rssBig,
            runs: rebuildBig.runs,
          },
          rebuildSmall: {
            events: rebuildSmall.runs[0].events,
            medianSeconds: round(med(rebuildSmall, (r) => r.seconds), 2),
            eventsPerS: round(med(rebuildSmall, (r) => r.eventsPerS), 0),
            peakRssMiB: rssSmall,
            runs: rebuildSmall.runs,
          },
          foldReference: rebuildBig.fold,
          sqlGroupBy: { medianSeconds: round(groupS, 2), eventsPerS: round(big / groupS, 0), cells: check.cells, runs: groupBy.runs, plan: groupBy.plan },
          liveCatchUp: { small: load.smallCatchUp, big: load.bigCatchUp },
          readModels: { small: rebuildSmall.readModels, big: rebuildBig.readModels },
          consistency: {
            windowDayCellsRebuild: rebuildBig.windowDayCells,
            windowDayCellsGroupBy: check.cells,
            ratingsRebuild: rebuildBig.windowDayRatings,
            ratingsGroupBy: check.ratings,
            equal: rebuildBig.windowDayCells === check.cells && rebuildBig.windowDayRatings === check.ratings,
          },
        },
        memory: {
          allInOne: memory,
          rebuildProcess: [
            { events: small, peakRssMiB: rssSmall, runs: rebuildSmall.runs.length },
            { events: big, peakRssMiB: rssBig, runs: rebuildBig.runs.length },
          ],
          bounded,
        },
        targets: [
          {
            name: `rebuild ≤ 2× the SQL GROUP BY time (${round(rebuildS, 1)} s vs ${round(groupS, 1)} s)`,
            value: round(ratio, 2),
            target: 2,
            op: '≤',
            met: ratio <= 2,
            shortBy: ratio <= 2 ? null : `×${round(ratio / 2, 2)} too slow (needs ${round(rebuildS - 2 * groupS, 1)} s less)`,
          },
          {
            name: 'check: rebuilt read models complete (every unit, window and rating) and equal to the SQL GROUP BY',
            value: consistent ? 'consistent' : 'INCONSISTENT',
            target: 'consistent',
            op: '=',
            met: consistent,
          },
        ],
        table: {
          header: ['measurement', 'events', 'seconds (median)', 'events/s', 'peak RSS MiB'],
          rows: [
            [`rebuildSatisfaction @${small / 1000}k`, small, round(med(rebuildSmall, (r) => r.seconds), 2), round(med(rebuildSmall, (r) => r.eventsPerS), 0), rssSmall],
            [`rebuildSatisfaction @${big / 1000}k`, big, round(rebuildS, 2), round(med(rebuildBig, (r) => r.eventsPerS), 0), rssBig],
            ...(rebuildBig.fold ? [[`rebuildSatisfaction @${big / 1000}k, fold in memory (reference, 1 run)`, big, round(rebuildBig.fold.seconds, 2), round(rebuildBig.fold.eventsPerS, 0), rebuildBig.fold.peakRssMiB]] : []),
            ['SQL GROUP BY window×day×5 levels over jsonb', big, round(groupS, 2), round(big / groupS, 0), ''],
            ['live projection catch-up (all-in-one)', load.bigCatchUp.events, load.bigCatchUp.seconds, load.bigCatchUp.eventsPerS, memory.sampledPeakRssMiB],
          ],
        },
        notes: [
          `Each rebuild runs in its own process (bench/workers/rebuild.mjs → rebuildSatisfaction) while the all-in-one runs; every figure is the median of ${ctx.runs}.`,
          'The SQL GROUP BY does only window × day with the five level counts (it is the floor); the rebuild makes unit (rolled up 3 levels) + window scopes × 5 granularities, writes them, keys and ANALYZEs the table, and swaps it in.',
          'The rebuild aggregates in PostgreSQL (method "database": two connections, day cut with the live projection\'s zone offsets); the fold-in-memory run is the reference it is tested against.',
          `Data: ${WINDOWS} windows; events written with SQL in the event store's shape (import ratings, request hashes computed as minyi does).`,
        ],
      };
    }
    if (want.query) {
      const rows = [];
      const targets = [];
      for (let i = 0; i < queryBig.endpoints.length; i++) {
        const a = querySmall.endpoints[i];
        const b = queryBig.endpoints[i];
        const growth = b.p99Ms / a.p99Ms;
        rows.push([b.label, a.p50Ms, a.p99Ms, b.p50Ms, b.p99Ms, round(growth, 2), b.requestsPerS]);
        if (!b.judged) continue;
        const worst = Math.max(a.p99Ms, b.p99Ms);
        targets.push({
          name: `${b.label}: p99 ≤ 10 ms (${small / 1000}k: ${a.p99Ms} ms, ${big / 1000}k: ${b.p99Ms} ms)`,
          value: worst,
          target: 10,
          op: '≤',
          met: worst <= 10,
          shortBy: worst <= 10 ? null : `${round(worst - 10, 2)} ms over`,
        });
        targets.push({
          name: `${b.label}: p99 at ${big / 1000}k ≤ 1.2× p99 at ${small / 1000}k`,
          value: round(growth, 2),
          target: 1.2,
          op: '≤',
          met: growth <= 1.2,
          shortBy: growth <= 1.2 ? null : `×${round(growth, 2)}`,
        });
      }
      out.query = {
        postgres: pgInfo,
        dataset: { small, big, windows: WINDOWS },
        figures: { small: querySmall, big: queryBig },
        targets,
        memory: { allInOne: memory },
        table: { header: ['endpoint', `p50 ms @${small / 1000}k`, `p99 ms @${small / 1000}k`, `p50 ms @${big / 1000}k`, `p99 ms @${big / 1000}k`, 'p99 growth', `req/s @${big / 1000}k`], rows },
        notes: [
          'Latency is timed per request (µs clock) by a separate keep-alive HTTP client process over loopback, 1 connection unless marked c=8.',
          `Reader: an analyst token. Periods cut in ${TIME_ZONE}.`,
          'Before each size the read-model tables are ANALYZEd; the plans and table statistics just before that are kept in the JSON (diagnostics).',
        ],
      };
    }
    return out;
  } finally {
    await db.end().catch(() => undefined);
    await minyi.stop();
  }
}
