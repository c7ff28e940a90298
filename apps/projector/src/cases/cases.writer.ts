// Reads the rows a batch starts from and writes a fold's changes into a set of case tables (the live ones, or a
// rebuild's `_next` ones), all in the transaction that moves the projection's checkpoint.
import type { PoolClient } from 'pg';
import type { CaseStatusV1 } from '@minyi/contracts';
import { caseKey, COUNTERS, openDeadline, type CaseDeltas, type CaseRow, type PriorRow } from './cases.fold.js';
import type { CaseTables } from './cases.migrations.js';

/** Rows per statement: keeps parameter arrays and statement memory modest on large batches. */
const CHUNK = 10_000;

function* chunks<T>(items: T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += CHUNK) yield items.slice(i, i + CHUNK);
}

interface StoredRow {
  kind: string;
  case_id: string;
  filed_at: Date;
  path: string[];
  responsible_unit_id: string;
  state: string;
  due_at: string | null;
  accepted: boolean;
  handled: boolean;
  on_time: boolean;
  handling: string | null;
  replied: boolean;
  called_back: boolean;
  score: number | null;
  closed: boolean;
  final: boolean;
  excluded: boolean;
}

function statusOf(r: StoredRow): CaseStatusV1 {
  return {
    state: r.state,
    responsibleUnitId: r.responsible_unit_id,
    dueAt: r.due_at,
    accepted: r.accepted,
    handled: r.handled,
    onTime: r.on_time,
    handling: r.handling,
    replied: r.replied,
    calledBack: r.called_back,
    score: r.score,
    closed: r.closed,
    final: r.final,
    excluded: r.excluded,
  };
}

/** The ledger rows of the given cases as they are before the batch (the text is never needed, so never read). */
export async function readPrior(tx: PoolClient, t: CaseTables, rows: Iterable<CaseRow>): Promise<Map<string, PriorRow>> {
  const prior = new Map<string, PriorRow>();
  for (const part of chunks([...rows])) {
    const { rows: stored } = await tx.query<StoredRow>(
      `SELECT c.kind, c.case_id, c.filed_at, c.path, c.responsible_unit_id, c.state, c.due_at, c.accepted, c.handled, c.on_time,
              c.handling, c.replied, c.called_back, c.score, c.closed, c.final, c.excluded
       FROM ${t.cases} c JOIN unnest($1::text[], $2::text[]) AS k(kind, case_id) ON c.kind = k.kind AND c.case_id = k.case_id`,
      [part.map((r) => r.kind), part.map((r) => r.caseId)],
    );
    for (const r of stored) {
      prior.set(caseKey(r.kind, r.case_id), { kind: r.kind, caseId: r.case_id, filedAt: r.filed_at.toISOString(), path: r.path, status: statusOf(r) });
    }
  }
  return prior;
}

/** Writes the batch's rows and adds the responsible-unit, count and open-deadline deltas. */
export async function writeCases(
  tx: PoolClient,
  t: CaseTables,
  rows: CaseRow[],
  deltas: CaseDeltas,
): Promise<void> {
  for (const part of chunks(rows)) {
    const s = part.map((r) => r.status);
    await tx.query(
      `INSERT INTO ${t.cases} AS c (kind, case_id, filed_unit_id, responsible_unit_id, path, category, state, filed_at, due_at, accepted, handled,
                                    on_time, handling, replied, called_back, score, closed, final, excluded, text, open_due_at)
       SELECT r.kind, r.case_id, r.filed_unit_id, r.responsible_unit_id, ARRAY(SELECT json_array_elements_text(r.path::json)), r.category, r.state,
              r.filed_at, r.due_at, r.accepted, r.handled, r.on_time, r.handling, r.replied, r.called_back, r.score, r.closed, r.final, r.excluded, r.text,
              r.open_due_at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::text[], $10::bool[],
                   $11::bool[], $12::bool[], $13::text[], $14::bool[], $15::bool[], $16::smallint[], $17::bool[], $18::bool[], $19::bool[], $20::text[],
                   $21::timestamptz[])
         AS r(kind, case_id, filed_unit_id, responsible_unit_id, path, category, state, filed_at, due_at, accepted, handled, on_time, handling,
              replied, called_back, score, closed, final, excluded, text, open_due_at)
       ON CONFLICT (kind, case_id) DO UPDATE SET
         filed_unit_id = excluded.filed_unit_id, responsible_unit_id = excluded.responsible_unit_id, path = excluded.path,
         category = excluded.category, state = excluded.state, filed_at = excluded.filed_at, due_at = excluded.due_at,
         accepted = excluded.accepted, handled = excluded.handled, on_time = excluded.on_time, handling = excluded.handling,
         replied = excluded.replied, called_back = excluded.called_back, score = excluded.score, closed = excluded.closed,
         final = excluded.final, excluded = excluded.excluded, text = coalesce(excluded.text, c.text), open_due_at = excluded.open_due_at`,
      [
        part.map((r) => r.kind),
        part.map((r) => r.caseId),
        part.map((r) => r.filedUnitId),
        s.map((x) => x.responsibleUnitId),
        part.map((r) => JSON.stringify(r.path)),
        part.map((r) => r.category),
        s.map((x) => x.state),
        part.map((r) => r.filedAt),
        s.map((x) => x.dueAt),
        s.map((x) => x.accepted),
        s.map((x) => x.handled),
        s.map((x) => x.onTime),
        s.map((x) => x.handling),
        s.map((x) => x.replied),
        s.map((x) => x.calledBack),
        s.map((x) => x.score),
        s.map((x) => x.closed),
        s.map((x) => x.final),
        s.map((x) => x.excluded),
        part.map((r) => r.text),
        s.map((x) => {
          const deadline = openDeadline(x);
          return deadline === null ? null : new Date(deadline).toISOString();
        }),
      ],
    );
  }

  for (const part of chunks(deltas.units)) {
    await tx.query(
      `INSERT INTO ${t.units} AS u (kind, unit_id, responsible_unit_id, cases)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[])
       ON CONFLICT (kind, unit_id, responsible_unit_id) DO UPDATE SET cases = u.cases + excluded.cases`,
      [part.map((u) => u.kind), part.map((u) => u.unitId), part.map((u) => u.responsibleUnitId), part.map((u) => u.n)],
    );
  }

  const columns = COUNTERS.join(', ');
  const sums = COUNTERS.map((c) => `${c} = n.${c} + excluded.${c}`).join(', ');
  const counterArrays = COUNTERS.map((_, i) => `$${i + 6}::int[]`).join(', ');
  for (const part of chunks(deltas.counts)) {
    await tx.query(
      `INSERT INTO ${t.counts} AS n (unit_id, granularity, period, kind, handling, ${columns})
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], ${counterArrays})
       ON CONFLICT (unit_id, granularity, period, kind, handling) DO UPDATE SET ${sums}`,
      [
        part.map((c) => c.unitId),
        part.map((c) => c.granularity),
        part.map((c) => c.period),
        part.map((c) => c.kind),
        part.map((c) => c.handling),
        ...COUNTERS.map((_, i) => part.map((c) => c.counts[i])),
      ],
    );
  }
  for (const part of chunks(deltas.open)) {
    await tx.query(
      `INSERT INTO ${t.open} AS o (unit_id, granularity, period, kind, due_at, n)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::int[])
       ON CONFLICT (unit_id, granularity, period, kind, due_at) DO UPDATE SET n = o.n + excluded.n`,
      [part.map((o) => o.unitId), part.map((o) => o.granularity), part.map((o) => o.period), part.map((o) => o.kind), part.map((o) => o.dueAt), part.map((o) => o.n)],
    );
  }
}
