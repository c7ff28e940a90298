// Reads the cohort counts of the cases read models: one row per (kind, period, handling step) and the open cases
// by deadline — O(periods × distinct deadlines), never O(cases).
import type { Pool } from 'pg';
import { EMPTY_COHORT, type CohortCounts } from './rate-groups.js';

interface CountRow {
  kind: string;
  period: string;
  handling: string;
  cases: number;
  excluded: number;
  accepted: number;
  handled: number;
  on_time: number;
  replied: number;
  called_back: number;
  satisfied: number;
  closed: number;
  final: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The counts of a unit's cohorts (cases filed in each period, under the unit or below it now) of the given kinds;
 * `overdue` as at `nowMs` (the request's moment; injected by tests).
 */
export async function cohortCounts(
  pool: Pool,
  unitId: string,
  granularity: string,
  periods: string[],
  kinds: readonly string[],
  nowMs: number,
): Promise<(kind: string, period: string) => CohortCounts> {
  const params = [unitId, granularity, periods, kinds];
  const [counts, open] = await Promise.all([
    pool.query<CountRow>(
      `SELECT kind, period, handling, cases, excluded, accepted, handled, on_time, replied, called_back, satisfied, closed, final
       FROM rm_case_counts WHERE unit_id = $1 AND granularity = $2 AND period = ANY($3::text[]) AND kind = ANY($4::text[])`,
      params,
    ),
    pool.query<{ kind: string; period: string; overdue: number }>(
      `SELECT kind, period, sum(n)::int AS overdue
       FROM rm_case_open WHERE unit_id = $1 AND granularity = $2 AND period = ANY($3::text[]) AND kind = ANY($4::text[]) AND due_at < $5
       GROUP BY kind, period`,
      [...params, new Date(nowMs).toISOString()],
    ),
  ]);
  const cells = new Map<string, Mutable<CohortCounts> & { handledBy: Record<string, number> }>();
  const cell = (kind: string, period: string) => {
    const key = `${kind}\u0000${period}`;
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { ...EMPTY_COHORT, handledBy: {} }));
    return c;
  };
  for (const r of counts.rows) {
    const c = cell(r.kind, r.period);
    c.cases += r.cases;
    c.excluded += r.excluded;
    c.accepted += r.accepted;
    c.handled += r.handled;
    c.onTime += r.on_time;
    c.replied += r.replied;
    c.calledBack += r.called_back;
    c.satisfied += r.satisfied;
    c.closed += r.closed;
    c.final += r.final;
    if (r.handling && r.handled) c.handledBy[r.handling] = (c.handledBy[r.handling] ?? 0) + r.handled;
  }
  for (const r of open.rows) cell(r.kind, r.period).overdue += r.overdue;
  return (kind, period) => cells.get(`${kind}\u0000${period}`) ?? EMPTY_COHORT;
}
