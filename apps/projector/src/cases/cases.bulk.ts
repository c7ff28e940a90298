// The cases projection's bulk step for the generic rebuild. Every case event carries the case's status after it, so a
// case's row is its latest event below the cut: one pass over the log picks it (and the filing's text), and the
// responsible units per unit, cohort counts and open deadlines are derived from those rows by set operations, loaded
// into the new tables without their indexes, which are built after (the ledger's while the rest is derived). The
// unit paths come from the organisation's events, the periods from the very cutter the live projection uses (its
// offsets, then its labels for each day that occurs).
import type { PoolClient } from 'pg';
import { eventCatalog, streamIds, UnitRegistered, type UnitRegisteredV1 } from '@minyi/contracts';
import { labelsOfDay, PeriodCutter } from '@minyi/indices';
import type { BulkBuild, BulkResult } from '@minyi/messaging';
import { CASE_EVENT_KINDS } from './cases.fold.js';
import { CASE_TABLES, type CaseTables } from './cases.migrations.js';

const TMP = {
  types: 'bulk_case_types',
  paths: 'bulk_case_paths',
  all: 'bulk_case_events',
  latest: 'bulk_case_latest',
  typed: 'bulk_case_rows',
  offsets: 'bulk_case_offsets',
  days: 'bulk_case_days',
  cells: 'bulk_case_cells',
  openCells: 'bulk_case_open_cells',
};

export async function bulkCases(build: BulkBuild): Promise<BulkResult | null> {
  const t: CaseTables = {
    cases: build.tables[CASE_TABLES.cases],
    units: build.tables[CASE_TABLES.units],
    counts: build.tables[CASE_TABLES.counts],
    open: build.tables[CASE_TABLES.open],
  };
  const c = await build.pool.connect();
  const seconds: Record<string, number> = {};
  const timed = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      seconds[`${phase}Seconds`] = (performance.now() - started) / 1000;
    }
  };
  let indexes: DroppedIndex[] = [];
  /** The ledger's index builds on their own connection: settles with their error, if any. */
  let ledgerIndexes: Promise<unknown> = Promise.resolve(null);
  try {
    // The index builds are a large part of the time at a million cases (the ledger's five): with maintenance_work_mem
    // below what a build sorts, each spills to disk and merges; 1 GB (this session only, one rebuild at a time) keeps
    // the sorts in memory at a few million rows.
    // A bulk job on a session of its own: parallel plans wherever the planner can make them (their start-up and the
    // rows passed between processes are small beside what each step does).
    await c.query(`SET work_mem = '256MB'; SET maintenance_work_mem = '1GB'; SET TimeZone = 'UTC'; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0`);
    await c.query(`DROP TABLE IF EXISTS ${Object.values(TMP).join(', ')}`);
    const units = await unitPaths(c, build);
    await c.query(`CREATE UNLOGGED TABLE ${TMP.types} (type text PRIMARY KEY, kind text NOT NULL, filed boolean NOT NULL)`);
    const kinds = [...CASE_EVENT_KINDS];
    await c.query(`INSERT INTO ${TMP.types} SELECT * FROM unnest($1::text[], $2::text[], $3::bool[])`, [kinds.map(([type]) => type), kinds.map(([, k]) => k.kind), kinds.map(([, k]) => k.role === 'filed')]);
    await c.query(`CREATE UNLOGGED TABLE ${TMP.paths} (unit_id text PRIMARY KEY, path text[] NOT NULL)`);
    await c.query(`INSERT INTO ${TMP.paths} SELECT u, ARRAY(SELECT json_array_elements_text(p::json)) FROM unnest($1::text[], $2::text[]) AS x(u, p)`, [
      [...units.paths.keys()],
      [...units.paths.values()].map((p) => JSON.stringify(p)),
    ]);

    // 1. Each case's latest event below the cut, in log order (the apply's "later events win"), with the number of
    // its events and the filing's text. Pulling fields out of jsonb is most of the cost and the planner can do it in
    // parallel only in CREATE TABLE AS, so: the case events' keys (and filing texts) are copied out in parallel, the
    // latest of each case picked from those narrow rows, and its fields then taken out of it alone, in parallel again.
    const events = await timed('latest', async () => {
      await c.query(
        `CREATE UNLOGGED TABLE ${TMP.all} AS
         SELECT e.stream_id, e.transaction_id, e.global_position, k.kind,
                CASE WHEN k.filed AND jsonb_typeof(e.data #> '{fields,text}') = 'string' THEN e.data #>> '{fields,text}' END AS text
         FROM events e JOIN ${TMP.types} k ON k.type = e.type
         WHERE e.transaction_id < $1::xid8`,
        [build.cut.xmin],
      );
      await c.query(`ANALYZE ${TMP.all}`);
      await c.query(
        `CREATE UNLOGGED TABLE ${TMP.latest} AS
         SELECT DISTINCT ON (x.stream_id) x.kind, x.global_position, count(*) OVER w AS n, max(x.text) OVER w AS text
         FROM ${TMP.all} x
         WINDOW w AS (PARTITION BY x.stream_id)
         ORDER BY x.stream_id, x.transaction_id DESC, x.global_position DESC`,
      );
      await c.query(`DROP TABLE ${TMP.all}`);
      await c.query(`ANALYZE ${TMP.latest}`);
      const { rows } = await c.query<{ n: string | null }>(`SELECT sum(n)::text AS n FROM ${TMP.latest}`);
      return Number(rows[0].n ?? 0);
    });
    build.onProgress(events, Math.max(build.estimatedEvents, events));
    const status = (field: string) => `e.data #>> '{status,${field}}'`;
    const flag = (field: string) => `(${status(field)})::boolean`;
    await timed('typed', () =>
      c.query(
        `CREATE UNLOGGED TABLE ${TMP.typed} AS
         SELECT l.kind, e.data->>'caseId' AS case_id, e.data->>'filedUnitId' AS filed_unit_id, ${status('responsibleUnitId')} AS responsible_unit_id,
                coalesce(p.path, ARRAY[${status('responsibleUnitId')}]) AS path, e.data->>'category' AS category, ${status('state')} AS state,
                (e.data->>'filedAt')::timestamptz AS filed_at, ${status('dueAt')} AS due_at, ${flag('accepted')} AS accepted, ${flag('handled')} AS handled,
                ${flag('onTime')} AS on_time, ${status('handling')} AS handling, ${flag('replied')} AS replied, ${flag('calledBack')} AS called_back,
                (${status('score')})::smallint AS score, ${flag('closed')} AS closed, ${flag('final')} AS final, ${flag('excluded')} AS excluded, l.text,
                CASE WHEN ${status('dueAt')} IS NOT NULL AND NOT ${flag('handled')} AND NOT ${flag('closed')} AND NOT ${flag('excluded')}
                     THEN (${status('dueAt')})::timestamptz END AS open_due_at
         FROM ${TMP.latest} l JOIN events e ON e.global_position = l.global_position
         LEFT JOIN ${TMP.paths} p ON p.unit_id = ${status('responsibleUnitId')}`,
      ),
    );
    await c.query(`ANALYZE ${TMP.typed}`);

    indexes = await dropIndexes(c, Object.values(t));
    const cases = await timed('cases', async () => (await c.query(`INSERT INTO ${t.cases} (${CASE_COLUMNS}) SELECT ${CASE_COLUMNS} FROM ${TMP.typed}`)).rowCount ?? 0);
    // The rest is derived from the same rows: the ledger's indexes are built meanwhile, on a second connection.
    ledgerIndexes = buildIndexes(build, indexes.filter((d) => d.table === t.cases), seconds);
    await timed('units', () =>
      c.query(
        `INSERT INTO ${t.units} (kind, unit_id, responsible_unit_id, cases)
         SELECT x.kind, u.unit_id, x.responsible_unit_id, sum(x.n)::int
         FROM (SELECT kind, responsible_unit_id, path, count(*)::int AS n FROM ${TMP.typed} GROUP BY 1, 2, 3) x CROSS JOIN LATERAL unnest(x.path) AS u(unit_id)
         GROUP BY 1, 2, 3`,
      ),
    );

    // 2. The filing periods, cut as the live projection cuts them: its offsets for the instants there are, its labels
    // for each local day that occurs.
    await timed('calendar', async () => {
      const { rows } = await c.query<{ lo: Date | null; hi: Date | null }>(`SELECT min(filed_at) AS lo, max(filed_at) AS hi FROM ${TMP.typed}`);
      const cutter = new PeriodCutter(build.deps.timeZone);
      const segments = rows[0].lo && rows[0].hi ? cutter.offsetSegments(rows[0].lo.getTime(), rows[0].hi.getTime() + 1) : [];
      await c.query(`CREATE UNLOGGED TABLE ${TMP.offsets} (from_at timestamptz NOT NULL, to_at timestamptz, offset_ms bigint NOT NULL)`);
      await c.query(`INSERT INTO ${TMP.offsets} SELECT * FROM unnest($1::timestamptz[], $2::timestamptz[], $3::bigint[])`, [
        segments.map((s) => new Date(s.fromMs).toISOString()),
        segments.map((_, i) => (i + 1 < segments.length ? new Date(segments[i + 1].fromMs).toISOString() : null)),
        segments.map((s) => s.offsetMs),
      ]);
      await c.query(`ANALYZE ${TMP.offsets}`);
      const { rows: days } = await c.query<{ day: number }>(`SELECT DISTINCT ${localDay('c.filed_at')} AS day FROM ${TMP.typed} c ${joinOffsets('c.filed_at')}`);
      const labels = days.map((d) => labelsOfDay(d.day));
      await c.query(`CREATE UNLOGGED TABLE ${TMP.days} (day int PRIMARY KEY, d text NOT NULL, w text NOT NULL, m text NOT NULL, q text NOT NULL, y text NOT NULL)`);
      await c.query(`INSERT INTO ${TMP.days} SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`, [
        days.map((d) => d.day),
        labels.map((l) => l.day),
        labels.map((l) => l.week),
        labels.map((l) => l.month),
        labels.map((l) => l.quarter),
        labels.map((l) => l.year),
      ]);
      await c.query(`ANALYZE ${TMP.days}`);
    });
    // The cases grouped by path (their responsible unit's), local day, kind and handling first, then each group once
    // per unit of its path, the days summed into the periods of every granularity.
    const byDay = `FROM ${TMP.typed} c ${joinOffsets('c.filed_at')}`;
    const periods = `JOIN ${TMP.days} d ON d.day = x.day
      CROSS JOIN LATERAL (VALUES ('day', d.d), ('week', d.w), ('month', d.m), ('quarter', d.q), ('year', d.y)) AS g(granularity, period)`;
    // The counters of countersOf: excluded cases count apart and in nothing else.
    // (int counts: their sums are bigint, not the numeric that sums of count's bigint would be, which is slow.)
    const kept = (flag: string) => `(count(*) FILTER (WHERE NOT c.excluded${flag ? ` AND ${flag}` : ''}))::int`;
    const counters = 'cases, excluded, accepted, handled, on_time, replied, called_back, satisfied, closed, final';
    const sums = (prefix: string) => counters.split(', ').map((k) => `sum(${prefix}${k})::int AS ${k}`).join(', ');
    // Both cohort tables are written in their keys' order: a rates query reads one unit × granularity range of each,
    // which then lies on a few neighbouring pages instead of one page per row (and the key's sort finds it sorted).
    await timed('counts', async () => {
      await timed('countsCells', () =>
        c.query(
          `CREATE UNLOGGED TABLE ${TMP.cells} AS
           SELECT u.unit_id, x.day, x.kind, x.handling, ${sums('x.')}
           FROM (SELECT c.path, ${localDay('c.filed_at')} AS day, c.kind, coalesce(c.handling, '') AS handling,
                        ${kept('')} AS cases, (count(*) FILTER (WHERE c.excluded))::int AS excluded, ${kept('c.accepted')} AS accepted, ${kept('c.handled')} AS handled,
                        ${kept('c.handled AND c.on_time')} AS on_time, ${kept('c.replied')} AS replied, ${kept('c.called_back')} AS called_back,
                        ${kept('c.called_back AND c.score >= 3')} AS satisfied, ${kept('c.closed')} AS closed, ${kept('c.final')} AS final
                 ${byDay}
                 GROUP BY 1, 2, 3, 4) x CROSS JOIN LATERAL unnest(x.path) AS u(unit_id)
           GROUP BY 1, 2, 3, 4`,
        ),
      );
      await c.query(`ANALYZE ${TMP.cells}`);
      await c.query(
        `INSERT INTO ${t.counts} (unit_id, granularity, period, kind, handling, ${counters})
         SELECT x.unit_id, g.granularity, g.period, x.kind, x.handling, ${sums('x.')}
         FROM ${TMP.cells} x ${periods}
         GROUP BY 1, 2, 3, 4, 5
         ORDER BY 1, 2, 3, 4, 5`,
      );
    });
    await timed('open', async () => {
      await c.query(
        `CREATE UNLOGGED TABLE ${TMP.openCells} AS
         SELECT u.unit_id, x.day, x.kind, x.due_at, sum(x.n)::int AS n
         FROM (SELECT c.path, ${localDay('c.filed_at')} AS day, c.kind, c.open_due_at AS due_at, count(*)::int AS n
               ${byDay}
               WHERE c.open_due_at IS NOT NULL
               GROUP BY 1, 2, 3, 4) x CROSS JOIN LATERAL unnest(x.path) AS u(unit_id)
         GROUP BY 1, 2, 3, 4`,
      );
      await c.query(
        `INSERT INTO ${t.open} (unit_id, granularity, period, kind, due_at, n)
         SELECT x.unit_id, g.granularity, g.period, x.kind, x.due_at, sum(x.n)::int
         FROM ${TMP.openCells} x ${periods}
         GROUP BY 1, 2, 3, 4, 5
         ORDER BY 1, 2, 3, 4, 5`,
      );
    });
    await timed('ledgerIndexesWait', async () => {
      const failed = await ledgerIndexes;
      if (failed) throw failed;
    });
    await timed('indexes', () => restoreIndexes(c, indexes, seconds));
    return { events: events + units.events, details: { cases, ...seconds } };
  } catch (err) {
    // A data error (a value the catalogue would have refused, written around the store) or two streams of one case:
    // only applying each event, which validates it, can tell what counts.
    const code = String((err as { code?: string }).code ?? '');
    await ledgerIndexes;
    if (!code.startsWith('22') && code !== '23505') throw err;
    await restoreIndexes(c, indexes).catch(() => undefined);
    for (const table of Object.values(t)) await c.query(`TRUNCATE ${table}`);
    return null;
  } finally {
    await ledgerIndexes;
    await restoreIndexes(c, indexes).catch(() => undefined);
    await c.query(`DROP TABLE IF EXISTS ${Object.values(TMP).join(', ')}`).catch(() => undefined);
    c.release();
  }
}

/** The path of every unit registered below the cut (a unit without its registration keeps the path [itself], as live). */
async function unitPaths(c: PoolClient, build: BulkBuild): Promise<{ paths: Map<string, string[]>; events: number }> {
  const parents = new Map<string, string | null>();
  let events = 0;
  for (const e of await build.deps.store.readCategories([streamIds.unit('')], build.cut.xmin, c)) {
    if (e.type !== UnitRegistered.type || !eventCatalog.isValid(e.type, e.version, e.data)) continue;
    const d = e.data as UnitRegisteredV1;
    events += 1;
    if (!parents.has(d.unitId)) parents.set(d.unitId, d.parentId);
  }
  const paths = new Map<string, string[]>();
  const pathOf = (unitId: string, seen: Set<string>): string[] => {
    const known = paths.get(unitId);
    if (known) return known;
    const parent = parents.get(unitId);
    const path = [...(parent && parents.has(parent) && !seen.has(parent) ? pathOf(parent, seen.add(unitId)) : parent ? [parent] : []), unitId];
    paths.set(unitId, path);
    return path;
  };
  for (const unitId of parents.keys()) pathOf(unitId, new Set());
  return { paths, events };
}

const CASE_COLUMNS = `kind, case_id, filed_unit_id, responsible_unit_id, path, category, state, filed_at, due_at, accepted, handled, on_time, handling,
  replied, called_back, score, closed, final, excluded, text, open_due_at`;
const joinOffsets = (instant: string) => `JOIN ${TMP.offsets} o ON ${instant} >= o.from_at AND (o.to_at IS NULL OR ${instant} < o.to_at)`;
/** The local day (days since 1970-01-01) of an instant, with the offset of the segment joined as `o`. */
// (date_part gives float8 seconds, far cheaper than extract's numeric; a day starts on a whole second, which it gives exactly.)
const localDay = (instant: string) => `floor((date_part('epoch', ${instant}) * 1000 + o.offset_ms) / 86400000)::int`;

interface DroppedIndex {
  table: string;
  name: string;
  /** `ALTER TABLE … ADD CONSTRAINT …` for a key, `CREATE INDEX …` for an index. */
  restore: string;
  restored: boolean;
}

/** Drops the tables' keys and indexes (a bulk load, then the indexes, beats maintaining them row by row). */
async function dropIndexes(c: PoolClient, tables: string[]): Promise<DroppedIndex[]> {
  const dropped: DroppedIndex[] = [];
  for (const table of tables) {
    const { rows } = await c.query<{ name: string; def: string; constraint: string | null; constraint_def: string | null }>(
      `SELECT quote_ident(ic.relname) AS name, pg_get_indexdef(i.indexrelid) AS def, quote_ident(k.conname) AS constraint, pg_get_constraintdef(k.oid) AS constraint_def
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid AND k.conrelid = i.indrelid
       WHERE i.indrelid = $1::regclass`,
      [table],
    );
    for (const r of rows) {
      if (r.constraint) {
        await c.query(`ALTER TABLE ${table} DROP CONSTRAINT ${r.constraint}`);
        dropped.push({ table, name: r.constraint, restore: `ALTER TABLE ${table} ADD CONSTRAINT ${r.constraint} ${r.constraint_def}`, restored: false });
      } else {
        await c.query(`DROP INDEX ${r.name}`);
        dropped.push({ table, name: r.name, restore: r.def, restored: false });
      }
    }
  }
  return dropped;
}

/** Builds some dropped keys and indexes again on a connection of their own; resolves with the error that stopped it, or null. */
async function buildIndexes(build: BulkBuild, dropped: DroppedIndex[], seconds: Record<string, number>): Promise<unknown> {
  try {
    const c = await build.pool.connect();
    try {
      await c.query(`SET maintenance_work_mem = '1GB'`);
      await restoreIndexes(c, dropped, seconds);
      return null;
    } finally {
      c.release();
    }
  } catch (err) {
    return err;
  }
}

/** Builds the dropped keys and indexes again; with `seconds`, records how long each took (`index <name>Seconds`). */
async function restoreIndexes(c: PoolClient, dropped: DroppedIndex[], seconds?: Record<string, number>): Promise<void> {
  for (const d of dropped) {
    if (d.restored) continue;
    const started = performance.now();
    await c.query(d.restore);
    d.restored = true;
    if (seconds) seconds[`index ${d.name}Seconds`] = (performance.now() - started) / 1000;
  }
}
