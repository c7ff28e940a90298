// A database that already holds case read models is upgraded in place by the migration that moved the ledgers from
// one scope row per path level (rm_case_scopes) to rm_cases by responsible unit (rm_case_units): the ledgers list
// exactly what they listed, overdue where it was, and the application may read the new table.
import { Pool } from 'pg';
import { APP_ROLE, migrate } from '@minyi/event-store';
import { ledgerPage } from '@minyi/analytics';
import { createTestDatabase, type TestDatabase } from '@minyi/testing';
import { ALL_MIGRATIONS } from '../src/composition.js';

const LEDGER_BY_UNIT = 'projector-0003-case-ledger-by-responsible-unit';

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = new Pool({ connectionString: db.url, max: 2 });
  pool.on('error', () => undefined);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

interface OldCase {
  kind: string;
  id: string;
  filedUnit: string;
  path: string[];
  state: string;
  filedAt: string;
  dueAt: string | null;
  handled?: boolean;
  excluded?: boolean;
  /** Levels the path had before it got shorter (their scope rows were left under no unit). */
  olderDepth?: number;
}

const DUE = '2026-11-06T00:00:00+08:00';
const OLD: OldCase[] = [
  { kind: 'complaint', id: 'c1', filedUnit: 'ft-xm', path: ['city', 'ft', 'ft-xm'], state: 'accepted', filedAt: '2026-10-21T01:00:00Z', dueAt: DUE },
  { kind: 'complaint', id: 'c2', filedUnit: 'ft-xm', path: ['city', 'ft', 'ft-xm'], state: 'handled', filedAt: '2026-10-22T01:00:00Z', dueAt: DUE, handled: true },
  // Escalated from the station to another branch: the old third level's scope row is under no unit.
  { kind: 'complaint', id: 'c3', filedUnit: 'ft-xm', path: ['city', 'ns'], state: 'escalated', filedAt: '2026-10-23T01:00:00Z', dueAt: '2026-11-13T00:00:00+08:00', olderDepth: 3 },
  { kind: 'followup', id: 'f1', filedUnit: 'ft-xm', path: ['city', 'ft', 'ft-xm'], state: 'invalid', filedAt: '2026-10-21T02:00:00Z', dueAt: DUE, excluded: true },
  { kind: 'opinion', id: 'o1', filedUnit: 'ns', path: ['city', 'ns'], state: 'collected', filedAt: '2026-10-24T01:00:00Z', dueAt: null },
];

/** Writes the old read models' rows as the projection of the previous schema wrote them. */
async function writeOld(): Promise<void> {
  for (const c of OLD) {
    const open = c.dueAt !== null && !c.handled && !c.excluded ? c.dueAt : null;
    await pool.query(
      `INSERT INTO rm_cases (kind, case_id, filed_unit_id, responsible_unit_id, path, category, state, filed_at, due_at, accepted, handled, on_time, handling,
                             replied, called_back, score, closed, final, excluded, text)
       VALUES ($1, $2, $3, $4, $5, '噪音扰民', $6, $7, $8, true, $9, $9, NULL, false, false, NULL, false, false, $10, $11)`,
      [c.kind, c.id, c.filedUnit, c.path.at(-1), c.path, c.state, c.filedAt, c.dueAt, c.handled ?? false, c.excluded ?? false, c.kind === 'followup' ? null : `文本 ${c.id}`],
    );
    for (let d = 0; d < Math.max(c.path.length, c.olderDepth ?? 0); d++) {
      await pool.query(
        `INSERT INTO rm_case_scopes (kind, case_id, depth, unit_id, filed_at, state, category, open_due_at) VALUES ($1, $2, $3, $4, $5, $6, '噪音扰民', $7)`,
        [c.kind, c.id, d, c.path[d] ?? null, c.filedAt, c.state, open],
      );
    }
  }
}

/** The ledger of a unit as the scope rows listed it: newest filing first, then id. */
async function oldLedger(kind: string, unitId: string): Promise<{ id: string; overdue: boolean }[]> {
  const { rows } = await pool.query<{ case_id: string; overdue: boolean }>(
    `SELECT case_id, coalesce(open_due_at < $3, false) AS overdue FROM rm_case_scopes WHERE kind = $1 AND unit_id = $2 ORDER BY filed_at DESC, case_id`,
    [kind, unitId, NOW.toISOString()],
  );
  return rows.map((r) => ({ id: r.case_id, overdue: r.overdue }));
}

const NOW = new Date('2026-11-20T04:00:00Z');
const UNITS = ['city', 'ft', 'ft-xm', 'ns', 'nowhere'];
const KINDS = ['complaint', 'followup', 'opinion'];

it('when a database with case read models of the scope-row schema is migrated, then every ledger lists the same cases, overdue the same, and nothing else changed', async () => {
  await migrate(pool, ALL_MIGRATIONS.filter((m) => m.id !== LEDGER_BY_UNIT));
  await writeOld();
  const before: Record<string, { id: string; overdue: boolean }[]> = {};
  for (const kind of KINDS) for (const unit of UNITS) before[`${kind} ${unit}`] = await oldLedger(kind, unit);
  // The data is what the test means it to be: the escalated case is no longer under the station, c1 is overdue.
  expect(before['complaint ft-xm'].map((c) => c.id)).toEqual(['c2', 'c1']);
  expect(before['complaint city']).toEqual([
    { id: 'c3', overdue: true },
    { id: 'c2', overdue: false },
    { id: 'c1', overdue: true },
  ]);

  expect(await migrate(pool, ALL_MIGRATIONS)).toEqual([LEDGER_BY_UNIT]);

  for (const kind of KINDS) {
    for (const unit of UNITS) {
      const page = await ledgerPage(pool, { kind, unitId: unit, limit: 50, nowMs: NOW.getTime(), text: true });
      expect({ kind, unit, items: page.map((r) => ({ id: r.caseId, overdue: r.overdue })) }).toEqual({ kind, unit, items: before[`${kind} ${unit}`] });
    }
  }
  const { rows: open } = await pool.query(`SELECT case_id, open_due_at FROM rm_cases ORDER BY case_id`);
  expect(open.map((r) => [r.case_id, r.open_due_at?.toISOString() ?? null])).toEqual([
    ['c1', '2026-11-05T16:00:00.000Z'],
    ['c2', null],
    ['c3', '2026-11-12T16:00:00.000Z'],
    ['f1', null],
    ['o1', null],
  ]);
  const { rows: units } = await pool.query(`SELECT kind, unit_id, responsible_unit_id, cases FROM rm_case_units ORDER BY 1, 2, 3`);
  expect(units.map((u) => `${u.kind} ${u.unit_id} > ${u.responsible_unit_id}: ${u.cases}`)).toEqual([
    'complaint city > ft-xm: 2',
    'complaint city > ns: 1',
    'complaint ft > ft-xm: 2',
    'complaint ft-xm > ft-xm: 2',
    'complaint ns > ns: 1',
    'followup city > ft-xm: 1',
    'followup ft > ft-xm: 1',
    'followup ft-xm > ft-xm: 1',
    'opinion city > ns: 1',
    'opinion ns > ns: 1',
  ]);
  const { rows: gone } = await pool.query(`SELECT to_regclass('rm_case_scopes') AS t`);
  expect(gone[0].t).toBeNull();
  const { rows: rights } = await pool.query(
    `SELECT has_table_privilege($1, 'rm_case_units', 'SELECT') AS sel, has_table_privilege($1, 'rm_case_units', 'UPDATE') AS upd, has_table_privilege($1, 'rm_case_units', 'DELETE') AS del`,
    [APP_ROLE],
  );
  expect(rights[0]).toEqual({ sel: true, upd: true, del: false });
});
