// Each group of /v1/rates as a mapping from a kind's cohort counters (rm_case_counts, rm_case_open) to the figures
// API.md "Rates" names: a channel that brings a case kind adds an entry here and nothing else.
import type { CaseKind } from '@minyi/contracts';

/** What the cases projection counts of one kind's cohort in one period (excluded cases only in `excluded`). */
export interface CohortCounts {
  cases: number;
  excluded: number;
  accepted: number;
  handled: number;
  onTime: number;
  replied: number;
  calledBack: number;
  satisfied: number;
  closed: number;
  final: number;
  /** Open (not handled, closed or excluded) with a deadline before the moment asked. */
  overdue: number;
  /** `handled` by the latest handling step since the latest reopen (`rectify`, `explain`, …). */
  handledBy: Readonly<Record<string, number>>;
}

export const EMPTY_COHORT: CohortCounts = Object.freeze({
  cases: 0,
  excluded: 0,
  accepted: 0,
  handled: 0,
  onTime: 0,
  replied: 0,
  calledBack: 0,
  satisfied: 0,
  closed: 0,
  final: 0,
  overdue: 0,
  handledBy: Object.freeze({}),
});

export interface RateGroup {
  /** The key of the group in a series entry. */
  group: string;
  kind: CaseKind;
  figures(c: CohortCounts): Record<string, number | null>;
}

/** A fraction, unrounded; null when the denominator is 0. */
export const ratio = (numerator: number, denominator: number): number | null => (denominator === 0 ? null : numerator / denominator);

export const RATE_GROUPS: readonly RateGroup[] = [
  {
    group: 'complaints',
    kind: 'complaint',
    figures: (c) => ({
      filed: c.cases,
      accepted: c.accepted,
      handled: c.handled,
      onTime: c.onTime,
      replied: c.replied,
      calledBack: c.calledBack,
      satisfied: c.satisfied,
      closed: c.closed,
      overdue: c.overdue,
      handlingRate: ratio(c.handled, c.cases),
      onTimeRate: ratio(c.onTime, c.handled),
      replyRate: ratio(c.replied, c.cases),
      callbackRate: ratio(c.calledBack, c.handled),
      callbackSatisfactionRate: ratio(c.satisfied, c.calledBack),
    }),
  },
  {
    // Without invalid and voided follow-ups, which are counted apart.
    group: 'followups',
    kind: 'followup',
    figures: (c) => ({
      opened: c.cases,
      rectified: c.handled,
      onTime: c.onTime,
      calledBack: c.calledBack,
      satisfied: c.satisfied,
      overdue: c.overdue,
      rectificationRate: ratio(c.handled, c.cases),
      onTimeRate: ratio(c.onTime, c.handled),
      callbackRate: ratio(c.calledBack, c.cases),
      callbackSatisfactionRate: ratio(c.satisfied, c.calledBack),
      invalid: c.excluded,
    }),
  },
  {
    // 整改率, 回复率: `rectified` and `explained` split `handled` by the latest handling step since the latest reopen.
    group: 'opinions',
    kind: 'opinion',
    figures: (c) => {
      const rectified = c.handledBy.rectify ?? 0;
      return {
        collected: c.cases,
        rectified,
        explained: c.handledBy.explain ?? 0,
        handled: c.handled,
        onTime: c.onTime,
        replied: c.replied,
        rated: c.calledBack,
        overdue: c.overdue,
        rectificationRate: ratio(rectified, c.cases),
        handlingRate: ratio(c.handled, c.cases),
        replyRate: ratio(c.replied, c.cases),
        onTimeRate: ratio(c.onTime, c.handled),
      };
    },
  },
  {
    // 化解率.
    group: 'disputes',
    kind: 'dispute',
    figures: (c) => ({ found: c.cases, resolved: c.handled, resolutionRate: ratio(c.handled, c.cases) }),
  },
  {
    group: 'hazards',
    kind: 'hazard',
    figures: (c) => ({ found: c.cases, rectified: c.handled, rectificationRate: ratio(c.handled, c.cases) }),
  },
];
