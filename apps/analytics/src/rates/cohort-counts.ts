// Reads the cohort counts of the cases read models: one row per (kind, period, handling step) and the open cases
// by deadline — O(periods × distinct deadlines), never O(cases) — with the visits of the same periods.
import type { Pool } from 'pg';
import { EMPTY_COHORT, type CohortCounts } from './rate-groups.js';
import { NO_VISITS, type VisitFigures } from './visit-counts.js';

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

/** The cohort counts of a unit's series, and its visits per period (VisitFigures), from one statement. */
export interface RateCounts {
  cohort: (kind: string, period: string) => CohortCounts;
  visits: (period: string) => VisitFigures;
}

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
  return (await rateCounts(pool, unitId, granularity, periods, kinds, nowMs)).cohort;
}

/**
 * What /v1/rates reads, in one statement (one connection and one round trip a request, rather than three at once):
 * the cohort rows (part 0), the overdue sums of the open cases by deadline (part 1) and the visits rows (part 2,
 * rm_visit_counts: visits are facts counted in their own period, visit-counts.ts).
 */
export async function rateCounts(
  pool: Pool,
  unitId: string,
  granularity: string,
  periods: string[],
  kinds: readonly string[],
  nowMs: number,
): Promise<RateCounts> {
  const { rows } = await pool.query<CountRow & { part: number; attendees: string | null }>(
    `SELECT 0 AS part, kind, period, handling, cases, excluded, accepted, handled, on_time, replied, called_back, satisfied, closed, final, NULL::bigint AS attendees
     FROM rm_case_counts WHERE unit_id = $1 AND granularity = $2 AND period = ANY($3::text[]) AND kind = ANY($4::text[])
     UNION ALL
     SELECT 1, kind, period, '', sum(n)::int, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL
     FROM rm_case_open WHERE unit_id = $1 AND granularity = $2 AND period = ANY($3::text[]) AND kind = ANY($4::text[]) AND due_at < $5
     GROUP BY kind, period
     UNION ALL
     SELECT 2, '', period, '', visits, households, meetings, 0, 0, 0, 0, 0, 0, 0, attendees
     FROM rm_visit_counts WHERE unit_id = $1 AND granularity = $2 AND period = ANY($3::text[])`,
    [unitId, granularity, periods, kinds, new Date(nowMs).toISOString()],
  );
  const cells = new Map<string, Mutable<CohortCounts> & { handledBy: Record<string, number> }>();
  const cell = (kind: string, period: string) => {
    const key = `${kind}\u0000${period}`;
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { ...EMPTY_COHORT, handledBy: {} }));
    return c;
  };
  const visits = new Map<string, VisitFigures>();
  for (const r of rows) {
    if (r.part === 2) {
      // Part 2's columns: cases = visits, excluded = households, accepted = meetings.
      visits.set(r.period, { visits: r.cases, households: r.excluded, meetings: r.accepted, attendees: Number(r.attendees) });
      continue;
    }
    const c = cell(r.kind, r.period);
    if (r.part === 1) {
      c.overdue += r.cases;
      continue;
    }
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
  return {
    cohort: (kind, period) => cells.get(`${kind}\u0000${period}`) ?? EMPTY_COHORT,
    visits: (period) => visits.get(period) ?? NO_VISITS,
  };
}
