// An independent reference for API.md "Rates" and "Ledgers", written from the contract alone: given each case's
// history (its filing and steps, with the deadlines they set), it works out the responsible unit, the flags since
// the latest reopen, on-time handling against the deadline in force, overdue at a moment, the cohort (filing
// period, responsible unit now) and every figure of a series. It imports nothing from production (only the
// satisfaction reference's calendar, itself independent), so that the two can disagree.
import { labelsOverlapping, localDay, parseDate, periodLabel, type Granularity } from './reference-model.js';

export type RefKind = 'complaint' | 'followup' | 'opinion' | 'dispute' | 'hazard';

export type RefStep =
  | { step: 'accept' | 'escalate' | 'assign'; at: number; unitId: string; dueAt: string }
  | { step: 'handle' | 'rectify' | 'explain' | 'resolve' | 'reply' | 'reopen' | 'void'; at: number }
  | { step: 'callback' | 'rate'; at: number; score: number }
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
  /** The latest handling step since the latest reopen, or null. */
  handling: string | null;
}

/** A visit (a fact, not a case): counted in the period of its occurredAt at its unit. */
export interface RefVisit {
  id: string;
  unitId: string;
  at: number;
  target: { kind: string; ref: string | null };
  meeting: { level: string; attendees: number } | null;
}

/** API.md: each kind names its handling steps (an opinion has two: rectify and explain). */
const HANDLING: Record<RefKind, string[]> = { complaint: ['handle'], followup: ['rectify'], opinion: ['rectify', 'explain'], dispute: ['resolve'], hazard: ['rectify'] };
/** The step that records the complainant's or resident's answer. */
const ANSWER: Record<RefKind, string> = { complaint: 'callback', followup: 'callback', opinion: 'rate', dispute: '-', hazard: '-' };
/** The steps that set the responsible unit and a deadline. */
const ASSIGNING = new Set(['accept', 'escalate', 'assign']);
const FIRST_STATE: Record<RefKind, string> = { complaint: 'filed', followup: 'open', opinion: 'collected', dispute: 'found', hazard: 'found' };

/** The state after a step, from API.md's step tables. */
function stateAfter(kind: RefKind, s: RefStep): string {
  if (kind === 'opinion') return { assign: 'assigned', rectify: 'rectified', explain: 'explained', reply: 'replied', rate: 'rated', reopen: 'reopened' }[s.step as 'assign'];
  if (kind === 'dispute') return 'resolved';
  if (kind === 'hazard') return 'rectified';
  if (kind === 'followup') {
    if (s.step === 'verify') return s.valid ? 'verified' : 'invalid';
    return { rectify: 'rectified', callback: 'calledBack', void: 'voided' }[s.step as 'rectify' | 'callback' | 'void'];
  }
  return { accept: 'accepted', escalate: 'accepted', handle: 'handled', reply: 'replied', callback: 'calledBack', reopen: 'reopened', close: 'closed' }[
    s.step as 'accept'
  ];
}

export function standing(c: RefCase): RefStanding {
  // Responsible unit: the unit of the latest accept, assign or escalate; before any, the unit filed for.
  let responsibleUnitId = c.unitId;
  for (const s of c.steps) if (ASSIGNING.has(s.step)) responsibleUnitId = (s as { unitId: string }).unitId;
  // The deadline in force before each step: the filing's, then the latest that set one (a reopen keeps it).
  const inForce: (string | null)[] = [];
  let due = c.dueAt ?? null;
  for (const s of c.steps) {
    inForce.push(due);
    if (ASSIGNING.has(s.step)) due = (s as { dueAt: string }).dueAt;
  }
  let lastReopen = -1;
  c.steps.forEach((s, i) => s.step === 'reopen' && (lastReopen = i));
  const since = c.steps.map((s, i) => ({ s, i })).filter(({ i }) => i > lastReopen);
  const handling = since.filter(({ s }) => HANDLING[c.kind].includes(s.step)).at(-1);
  const callback = since.filter(({ s }) => s.step === ANSWER[c.kind]).at(-1);
  const handledOnTime = handling ? inForce[handling.i] === null || handling.s.at <= Date.parse(inForce[handling.i]!) : false;
  const last = c.steps.at(-1);
  return {
    responsibleUnitId,
    state: last ? stateAfter(c.kind, last) : FIRST_STATE[c.kind],
    dueAt: due,
    accepted: c.steps.some((s) => ASSIGNING.has(s.step)),
    handled: !!handling,
    onTime: handledOnTime,
    replied: since.some(({ s }) => s.step === 'reply'),
    calledBack: !!callback,
    satisfied: !!callback && (callback.s as { score: number }).score >= 3,
    closed: last?.step === 'close',
    excluded: c.steps.some((s) => s.step === 'void' || (s.step === 'verify' && !s.valid)),
    handling: handling ? handling.s.step : null,
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
    readonly visits: RefVisit[] = [],
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
      const opinions = cohort.filter(({ c }) => c.kind === 'opinion').map(({ st }) => st);
      const disputes = cohort.filter(({ c }) => c.kind === 'dispute').map(({ st }) => st);
      const hazards = cohort.filter(({ c }) => c.kind === 'hazard').map(({ st }) => st);
      const of = {
        collected: opinions.length,
        rectified: n(opinions, (s) => s.handling === 'rectify'),
        explained: n(opinions, (s) => s.handling === 'explain'),
        handled: n(opinions, (s) => s.handled),
        onTime: n(opinions, (s) => s.handled && s.onTime),
        replied: n(opinions, (s) => s.replied),
        rated: n(opinions, (s) => s.calledBack),
        overdue: n(opinions, (s) => isOverdueAt(s, now)),
      };
      // Visits: in the period of their own occurredAt, at their unit (facts, not cohorts).
      const vs = this.visits.filter((v) => this.under(v.unitId, unit) && periodLabel(this.localDate(v.at), q.granularity) === period);
      const households = vs.filter((v) => v.target.kind === 'household');
      const refs = new Set(households.filter((v) => v.target.ref !== null).map((v) => v.target.ref));
      return {
        period,
        opinions: {
          ...of,
          rectificationRate: rate(of.rectified, of.collected),
          handlingRate: rate(of.handled, of.collected),
          replyRate: rate(of.replied, of.collected),
          onTimeRate: rate(of.onTime, of.handled),
        },
        disputes: { found: disputes.length, resolved: n(disputes, (s) => s.handled), resolutionRate: rate(n(disputes, (s) => s.handled), disputes.length) },
        hazards: { found: hazards.length, rectified: n(hazards, (s) => s.handled), rectificationRate: rate(n(hazards, (s) => s.handled), hazards.length) },
        visits: {
          visits: vs.length,
          households: refs.size + households.filter((v) => v.target.ref === null).length,
          meetings: vs.filter((v) => v.meeting !== null).length,
          attendees: vs.reduce((sum, v) => sum + (v.meeting?.attendees ?? 0), 0),
        },
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
        ...(kind === 'dispute' || kind === 'hazard' ? { kind: c.category } : { category: c.category }),
        state: st.state,
        occurredAt: new Date(c.filedAt).toISOString(),
        dueAt: st.dueAt,
        overdue: isOverdueAt(st, now),
        ...(kind === 'complaint' || kind === 'opinion' ? { text: c.text ?? null } : {}),
      }));
  }
}
