// Reads the visits group of /v1/rates from the visits read model: one row per period, never one per visit or ref
// (households are counted as refs are first met, rm_visit_counts.households).
import type { Pool } from 'pg';

export interface VisitFigures {
  visits: number;
  households: number;
  meetings: number;
  attendees: number;
}

export const NO_VISITS: VisitFigures = Object.freeze({ visits: 0, households: 0, meetings: 0, attendees: 0 });

/** The visits at the unit or below it in each period (API.md "Rates": each visit in the period of its occurredAt, at its unit). */
export async function visitCounts(pool: Pool, unitId: string, granularity: string, periods: string[]): Promise<(period: string) => VisitFigures> {
  const { rows } = await pool.query<{ period: string; visits: number; households: number; meetings: number; attendees: string }>(
    `SELECT period, visits, households, meetings, attendees FROM rm_visit_counts WHERE unit_id = $1 AND granularity = $2 AND period = ANY($3::text[])`,
    [unitId, granularity, periods],
  );
  const byPeriod = new Map(rows.map((r) => [r.period, { visits: r.visits, households: r.households, meetings: r.meetings, attendees: Number(r.attendees) }]));
  return (period) => byPeriod.get(period) ?? NO_VISITS;
}
