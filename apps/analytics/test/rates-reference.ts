// An independent reference for API.md "Rates" and "Ledgers", written from the contract alone: given each case's
// history (its filing and steps, with the deadlines they set), it works out the responsible unit, the flags since
// the latest reopen, on-time handling against the deadline in force, overdue at a moment, the cohort (filing
// period, responsible unit now) and every figure of a series. It imports nothing from production (only the
// satisfaction reference's calendar, itself independent), so that the two can disagree.
import { labelsOverlapping, localDay, parseDate, periodLabel, type Granularity } from './reference-model.js';

export type RefKind = 'complaint' | 'followup';

export type RefStep =
  | { step: 'accept' | 'escalate'; at: number; unitId: string; dueAt: string }
  | { step: 'handle' | 'rectify' | 'reply' | 'reopen' | 'void'; at: number }
  | { step: 'callback'; at: number; score: number }
  | { step: 'close'; at: number; final: boolean }
  | { step: 'verify'; at: number; valid: boolean };

export interface RefCase {
  kind: RefKind;
  id: string;
  unitId: string;
  category: string;
  filedAt: number;
  /** A follow-up's deadline, set when it opens. */
  dueAt?: string | null;
  text?: string;
  steps: RefStep[];
}

/** A case as the contract says it stands after its history, and at a moment for `overdue`. */
export interface RefStanding {
  responsibleUnitId: string;
  state: string;
  dueAt: string | null;
  accepted: boolean;
  handled: boolean;
  onTime: boolean;
  replied: boolean;
  calledBack: boolean;
  satisfied: boolean;
  closed: boolean;
  /** Out of every follow-up rate: found invalid, or voided. */
  excluded: boolean;
}

const HANDLING: Record<RefKind, string> = { complaint: 'handle', followup: 'rectify' };

/** The state after a step, from API.md's step tables. */
function stateAfter(kind: RefKind, s: RefStep): string {
  if (kind === 'followup') {
    if (s.step === 'verify') return s.valid ? 'verified' : 'invalid';
    return { rectify: 'rectified', callback: 'calledBack', void: 'voided' }[s.step as 'rectify' | 'callback' | 'void'];
  }
  return { accept: 'accepted', escalate: 'accepted', handle: 'handled', reply: 'replied', callback: 'calledBack', reopen: 'reopened', close: 'closed' }[
    s.step as 'accept'
  ];
}

export function standing(c: RefCase): RefStanding {
  // Responsible unit: the unit of the latest accept or escalate; before any, the unit filed for.
  let responsibleUnitId = c.unitId;
  for (const s of c.steps) if (s.step === 'accept' || s.step === 'escalate') responsibleUnitId = s.unitId;
  // The deadline in force before each step: the filing's, then the latest that set one (a reopen keeps it).
  const inForce: (string | null)[] = [];
  let due = c.dueAt ?? null;
  for (const s of c.steps) {
    inForce.push(due);
    if (s.step === 'accept' || s.step === 'escalate') due = s.dueAt;
  }
  let lastReopen = -1;
  c.steps.forEach((s, i) => s.step === 'reopen' && (lastReopen = i));
  const since = c.steps.map((s, i) => ({ s, i })).filter(({ i }) => i > lastReopen);
  const handling = since.filter(({ s }) => s.step === HANDLING[c.kind]).at(-1);
  const callback = since.filter(({ s }) => s.step === 'callback').at(-1);
  const handledOnTime = handling ? inForce[handling.i] === null || handling.s.at <= Date.parse(inForce[handling.i]!) : false;
  const last = c.steps.at(-1);
  return {
    responsibleUnitId,
    state: last ? stateAfter(c.kind, last) : c.kind === 'complaint' ? 'filed' : 'open',
    dueAt: due,
    accepted: c.steps.some((s) => s.step === 'accept' || s.step === 'escalate'),
    handled: !!handling,
    onTime: handledOnTime,
    replied: since.some(({ s }) => s.step === 'reply'),
    calledBack: !!callback,
    satisfied: !!callback && (callback.s as { score: number }).score >= 3,
    closed: last?.step === 'close',
    excluded: c.steps.some((s) => s.step === 'void' || (s.step === 'verify' && !s.valid)),
  };
}

/** Overdue at `now`: it has a deadline, is not handled, not closed (nor left out), and now is past it. */
export function isOverdueAt(st: RefStanding, now: number): boolean {
  return st.dueAt !== null && !st.handled && !st.closed && !st.excluded && now > Date.parse(st.dueAt);
}

const rate = (a: number, b: number): number | null => (b === 0 ? null : a / b);

export class RatesReference {
  private readonly parentOf: Map<string, string | null>;

  constructor(
    units: { id: string; parentId: string | null }[],
    private readonly timeZone: string,
    readonly cases: RefCase[] = [],
  ) {
    this.parentOf = new Map(units.map((u) => [u.id, u.parentId]));
  }

  /** Whether `unitId` is `scopeUnit` or lies below it. */
  under(unitId: string, scopeUnit: string): boolean {
    for (let u: string | null | undefined = unitId; u; u = this.parentOf.get(u)) if (u === scopeUnit) return true;
    return false;
  }

  localDate(ms: number): number {
    return localDay(ms, this.timeZone);
  }

  rates(q: { scope: string; granularity: Granularity; from: string; to: string }, now: number) {
    const unit = q.scope.replace(/^unit:/, '');
    // Each case once: its cohort period and its standing (histories are not changed once added).
    const byPeriod = new Map<string, { c: RefCase; st: RefStanding }[]>();
    for (const c of this.cases) {
      const st = standing(c);
      if (!this.under(st.responsibleUnitId, unit)) continue;
      const period = periodLabel(this.localDate(c.filedAt), q.granularity);
      byPeriod.set(period, [...(byPeriod.get(period) ?? []), { c, st }]);
    }
    const series = labelsOverlapping(q.from, q.to, q.granularity).map((period) => {
      const cohort = byPeriod.get(period) ?? [];
      const complaints = cohort.filter(({ c }) => c.kind === 'complaint').map(({ st }) => st);
      const followups = cohort.filter(({ c }) => c.kind === 'followup').map(({ st }) => st);
      const counted = followups.filter((f) => !f.excluded);
      const n = (list: RefStanding[], p: (s: RefStanding) => boolean) => list.filter(p).length;
      const cf = {
        filed: complaints.length,
        accepted: n(complaints, (s) => s.accepted),
        handled: n(complaints, (s) => s.handled),
        onTime: n(complaints, (s) => s.handled && s.onTime),
        replied: n(complaints, (s) => s.replied),
        calledBack: n(complaints, (s) => s.calledBack),
        satisfied: n(complaints, (s) => s.satisfied),
        closed: n(complaints, (s) => s.closed),
        overdue: n(complaints, (s) => isOverdueAt(s, now)),
      };
      const ff = {
        opened: counted.length,
        rectified: n(counted, (s) => s.handled),
        onTime: n(counted, (s) => s.handled && s.onTime),
        calledBack: n(counted, (s) => s.calledBack),
        satisfied: n(counted, (s) => s.satisfied),
        overdue: n(counted, (s) => isOverdueAt(s, now)),
      };
      return {
        period,
        complaints: {
          ...cf,
          handlingRate: rate(cf.handled, cf.filed),
          onTimeRate: rate(cf.onTime, cf.handled),
          replyRate: rate(cf.replied, cf.filed),
          callbackRate: rate(cf.calledBack, cf.handled),
          callbackSatisfactionRate: rate(cf.satisfied, cf.calledBack),
        },
        followups: {
          ...ff,
          rectificationRate: rate(ff.rectified, ff.opened),
          onTimeRate: rate(ff.onTime, ff.rectified),
          callbackRate: rate(ff.calledBack, ff.opened),
          callbackSatisfactionRate: rate(ff.satisfied, ff.calledBack),
          invalid: followups.length - counted.length,
        },
      };
    });
    return { scope: q.scope, granularity: q.granularity, timezone: this.timeZone, series };
  }

  /**
   * A ledger's every item (all pages joined) as API.md "Ledgers" orders them: the kind's cases under the scope by
   * responsible unit, filed in [from, to] (local dates), newest filing first, then id ascending.
   */
  ledger(kind: RefKind, q: { scope: string; state?: string; category?: string; overdue?: boolean; from?: string; to?: string }, now: number) {
    const unit = q.scope.replace(/^unit:/, '');
    const from = q.from === undefined ? -Infinity : parseDate(q.from)!;
    const to = q.to === undefined ? Infinity : parseDate(q.to)!;
    return this.cases
      .filter((c) => c.kind === kind)
      .map((c) => ({ c, st: standing(c) }))
      .filter(({ c, st }) => {
        const day = this.localDate(c.filedAt);
        return (
          this.under(st.responsibleUnitId, unit) &&
          day >= from &&
          day <= to &&
          (q.state === undefined || st.state === q.state) &&
          (q.category === undefined || c.category === q.category) &&
          (q.overdue === undefined || isOverdueAt(st, now) === q.overdue)
        );
      })
      .sort((a, b) => b.c.filedAt - a.c.filedAt || (a.c.id < b.c.id ? -1 : a.c.id > b.c.id ? 1 : 0))
      .map(({ c, st }) => ({
        id: c.id,
        unitId: c.unitId,
        responsibleUnitId: st.responsibleUnitId,
        category: c.category,
        state: st.state,
        occurredAt: new Date(c.filedAt).toISOString(),
        dueAt: st.dueAt,
        overdue: isOverdueAt(st, now),
        ...(kind === 'complaint' ? { text: c.text ?? null } : {}),
      }));
  }
}
