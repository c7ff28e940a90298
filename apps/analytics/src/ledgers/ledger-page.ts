// Reads one page of a ledger: the cases of a kind under a unit now (by responsible unit), filtered, newest filing
// first then id ascending, after a keyset position — for each responsible unit with cases under the unit
// (rm_case_units), at most a page from its range of rm_cases' index, the newest of them, and a key lookup per item.
import type { Pool } from 'pg';
import type { LedgerPosition } from './ledger-cursor.js';

export interface LedgerFilter {
  kind: string;
  unitId: string;
  state?: string;
  category?: string;
  overdue?: boolean;
  /** Filed at or after this instant (epoch ms). */
  fromMs?: number;
  /** Filed before this instant. */
  beforeMs?: number;
  after?: LedgerPosition;
  limit: number;
  /** The moment overdue is judged at. */
  nowMs: number;
  text: boolean;
}

export interface LedgerRow {
  caseId: string;
  filedUnitId: string;
  responsibleUnitId: string;
  category: string | null;
  state: string;
  filedAt: string;
  dueAt: string | null;
  overdue: boolean;
  text?: string | null;
}

/** The statement of a page (the benchmark explains this very one). */
export function ledgerQuery(f: LedgerFilter): { text: string; values: unknown[] } {
  const params: unknown[] = [f.kind, f.unitId];
  const param = (v: unknown) => `$${params.push(v)}`;
  const where = ['s.kind = $1', 's.responsible_unit_id = u.responsible_unit_id'];
  if (f.state !== undefined) where.push(`s.state = ${param(f.state)}`);
  if (f.category !== undefined) where.push(`s.category = ${param(f.category)}`);
  const now = param(new Date(f.nowMs).toISOString());
  if (f.overdue === true) where.push(`s.open_due_at < ${now}`);
  if (f.overdue === false) where.push(`(s.open_due_at IS NULL OR s.open_due_at >= ${now})`);
  if (f.fromMs !== undefined) where.push(`s.filed_at >= ${param(new Date(f.fromMs).toISOString())}`);
  if (f.beforeMs !== undefined) where.push(`s.filed_at < ${param(new Date(f.beforeMs).toISOString())}`);
  if (f.after) {
    // Newest first, then id ascending: the bound on filed_at starts the index range, the ties are sorted by id.
    const at = param(f.after.filedAt);
    where.push(`s.filed_at <= ${at} AND (s.filed_at < ${at} OR s.case_id > ${param(f.after.caseId)})`);
  }
  const limit = param(f.limit);
  const text = `SELECT c.case_id, c.filed_unit_id, c.responsible_unit_id, c.category, c.state, c.filed_at, c.due_at,
            coalesce(p.open_due_at < ${now}, false) AS overdue${f.text ? ', c.text' : ''}
     FROM (
       SELECT x.case_id, x.filed_at, x.open_due_at
       FROM rm_case_units u CROSS JOIN LATERAL (
         SELECT s.case_id, s.filed_at, s.open_due_at FROM rm_cases s
         WHERE ${where.join(' AND ')}
         ORDER BY s.filed_at DESC, s.case_id
         LIMIT ${limit}
       ) x
       WHERE u.kind = $1 AND u.unit_id = $2 AND u.cases > 0
       ORDER BY x.filed_at DESC, x.case_id
       LIMIT ${limit}
     ) p JOIN rm_cases c ON c.kind = $1 AND c.case_id = p.case_id
     ORDER BY p.filed_at DESC, p.case_id`;
  return { text, values: params };
}

export async function ledgerPage(pool: Pool, f: LedgerFilter): Promise<LedgerRow[]> {
  const q = ledgerQuery(f);
  const { rows } = await pool.query<{
    case_id: string;
    filed_unit_id: string;
    responsible_unit_id: string;
    category: string | null;
    state: string;
    filed_at: Date;
    due_at: string | null;
    overdue: boolean;
    text?: string | null;
  }>(q.text, q.values);
  return rows.map((r) => ({
    caseId: r.case_id,
    filedUnitId: r.filed_unit_id,
    responsibleUnitId: r.responsible_unit_id,
    category: r.category,
    state: r.state,
    filedAt: r.filed_at.toISOString(),
    dueAt: r.due_at,
    overdue: r.overdue,
    ...(f.text ? { text: r.text ?? null } : {}),
  }));
}
