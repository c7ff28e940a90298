// Writes a fold's changes into a set of satisfaction tables (the live ones, or a rebuild's new ones).
import type { PoolClient } from 'pg';
import type { CountCell, SatisfactionFold } from './satisfaction.fold.js';

export interface SatisfactionTables {
  units: string;
  windows: string;
  officers: string;
  satisfaction: string;
}

export const LIVE_TABLES: SatisfactionTables = { units: 'rm_units', windows: 'rm_windows', officers: 'rm_officers', satisfaction: 'rm_satisfaction' };

/** The tables to write, from a map of each live table to the one to write (a rebuild's `_next`); absent: the live one. */
export function satisfactionTables(mapping: Readonly<Record<string, string>>): SatisfactionTables {
  const of = (live: string) => mapping[live] ?? live;
  return { units: of(LIVE_TABLES.units), windows: of(LIVE_TABLES.windows), officers: of(LIVE_TABLES.officers), satisfaction: of(LIVE_TABLES.satisfaction) };
}

/** Rows per statement: keeps parameter arrays and statement memory modest on large rebuilds. */
const CHUNK = 20_000;

export async function writeOrganisation(tx: PoolClient, t: SatisfactionTables, fold: SatisfactionFold): Promise<void> {
  if (fold.units.length) {
    await tx.query(
      `INSERT INTO ${t.units} (unit_id, name, parent_id, kind, path)
       SELECT u.unit_id, u.name, u.parent_id, u.kind, ARRAY(SELECT json_array_elements_text(u.path::json))
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(unit_id, name, parent_id, kind, path)
       ON CONFLICT (unit_id) DO NOTHING`,
      [
        fold.units.map((u) => u.unitId),
        fold.units.map((u) => u.name),
        fold.units.map((u) => u.parentId),
        fold.units.map((u) => u.kind),
        fold.units.map((u) => JSON.stringify(u.path)),
      ],
    );
  }
  for (const [table, idColumn, rows] of [
    [t.windows, 'window_id', fold.windows],
    [t.officers, 'officer_id', fold.officers],
  ] as const) {
    if (!rows.length) continue;
    await tx.query(
      `INSERT INTO ${table} (${idColumn}, unit_id, name, path)
       SELECT m.id, m.unit_id, m.name, ARRAY(SELECT json_array_elements_text(m.path::json))
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS m(id, unit_id, name, path)
       ON CONFLICT (${idColumn}) DO NOTHING`,
      [rows.map((r) => r.id), rows.map((r) => r.unitId), rows.map((r) => r.name), rows.map((r) => JSON.stringify(r.path))],
    );
  }
}

/** Adds the fold's level counts to the table's (creating cells as needed); returns the new totals if asked. */
export async function writeCounts(tx: PoolClient, t: SatisfactionTables, fold: SatisfactionFold, returning = false, intoEmpty = false): Promise<CountCell[]> {
  const cells = fold.cellList();
  const totals: CountCell[] = [];
  for (let i = 0; i < cells.length; i += CHUNK) {
    const part = cells.slice(i, i + CHUNK);
    const { rows } = await tx.query<{ scope: string; granularity: string; period: string; channel: string; n1: number; n2: number; n3: number; n4: number; n5: number }>(
      `INSERT INTO ${t.satisfaction} AS s (scope, granularity, period, channel, n1, n2, n3, n4, n5)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::int[], $8::int[], $9::int[])
       ${intoEmpty ? '' : `ON CONFLICT (scope, granularity, period, channel) DO UPDATE SET
         n1 = s.n1 + excluded.n1, n2 = s.n2 + excluded.n2, n3 = s.n3 + excluded.n3, n4 = s.n4 + excluded.n4, n5 = s.n5 + excluded.n5`}
       ${returning ? 'RETURNING s.scope, s.granularity, s.period, s.channel, s.n1, s.n2, s.n3, s.n4, s.n5' : ''}`,
      [
        part.map((c) => c.scope),
        part.map((c) => c.granularity),
        part.map((c) => c.period),
        part.map((c) => c.channel),
        part.map((c) => c.counts[0]),
        part.map((c) => c.counts[1]),
        part.map((c) => c.counts[2]),
        part.map((c) => c.counts[3]),
        part.map((c) => c.counts[4]),
      ],
    );
    for (const r of rows) totals.push({ scope: r.scope, granularity: r.granularity, period: r.period, channel: r.channel, counts: [r.n1, r.n2, r.n3, r.n4, r.n5] });
  }
  return returning ? totals : cells;
}
