// The visits group of /v1/rates, read from the visits read model (by rateCounts, in the statement that reads the
// cohorts): one row per period, never one per visit or ref (households are counted as refs are first met,
// rm_visit_counts.households).

export interface VisitFigures {
  visits: number;
  households: number;
  meetings: number;
  attendees: number;
}

export const NO_VISITS: VisitFigures = Object.freeze({ visits: 0, households: 0, meetings: 0, attendees: 0 });
