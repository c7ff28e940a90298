// Folds case events into changes of the case read models, in memory. Every case event carries the case's status
// after it (cases.v1.ts), so a case's row is its latest event's; what the counts need is the difference between the
// row the batch started from (read from the ledger in the same transaction) and the one it ends with.
import { eventCatalog, UnitRegistered, type CaseEventV1, type CaseKind, type CaseStatusV1, type UnitRegisteredV1 } from '@minyi/contracts';
import type { LogEvent } from '@minyi/event-store';
import { GRANULARITIES, type PeriodCutter } from '@minyi/indices';

/** Which kind each case event belongs to, from the catalogue: a new kind's events are counted with no change here. */
export const CASE_EVENT_KINDS: ReadonlyMap<string, { kind: CaseKind; role: 'filed' | 'step' }> = new Map(
  eventCatalog.definitions.filter((d) => d.case).map((d) => [d.type, d.case!] as const),
);

/** The counters of a cohort row, in the order of their columns (rm_case_counts). */
export const COUNTERS = ['cases', 'excluded', 'accepted', 'handled', 'on_time', 'replied', 'called_back', 'satisfied', 'closed', 'final'] as const;

/** A case as the ledger keeps it. */
export interface CaseRow {
  kind: string;
  caseId: string;
  filedUnitId: string;
  category: string | null;
  /** The filing's occurredAt, as ISO (ms). */
  filedAt: string;
  /** The responsible unit's path, root … unit. */
  path: string[];
  status: CaseStatusV1;
  /** The filing's `fields.text`, when this batch saw the filing (else the ledger keeps what it has). */
  text: string | null;
}

/** What the counts held of a case before the batch: its cohort (filing period, path) and status. */
export type PriorRow = Pick<CaseRow, 'kind' | 'caseId' | 'filedAt' | 'path' | 'status'>;

/** Excluded cases count apart and in nothing else (API.md: invalid and voided follow-ups leave every rate). */
export function countersOf(s: CaseStatusV1): number[] {
  if (s.excluded) return [0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
  return [1, 0, +s.accepted, +s.handled, +(s.handled && s.onTime), +s.replied, +s.calledBack, +(s.calledBack && s.score !== null && s.score >= 3), +s.closed, +s.final];
}

/** The deadline (epoch ms) while the case is open — has one, not handled, not closed, not excluded — else null. */
export function openDeadline(s: CaseStatusV1): number | null {
  return s.dueAt !== null && !s.handled && !s.closed && !s.excluded ? Date.parse(s.dueAt) : null;
}

export const caseKey = (kind: string, caseId: string) => `${kind}\u0000${caseId}`;

export interface CountDelta {
  unitId: string;
  granularity: string;
  period: string;
  kind: string;
  handling: string;
  counts: number[];
}
/** Cases of a responsible unit under a unit of its path (rm_case_units). */
export interface UnitDelta {
  kind: string;
  unitId: string;
  responsibleUnitId: string;
  n: number;
}
export interface OpenDelta {
  unitId: string;
  granularity: string;
  period: string;
  kind: string;
  dueAt: string;
  n: number;
}

export interface CaseDeltas {
  counts: CountDelta[];
  open: OpenDelta[];
  units: UnitDelta[];
}

export class CasesFold {
  /** The latest row of each case the batch touched, in the order first touched. */
  readonly rows = new Map<string, CaseRow>();

  constructor(
    /** Paths of every unit known so far (root … unit); shared across batches, never shrinks. */
    private readonly paths: Map<string, string[]>,
    private readonly cutter: PeriodCutter,
  ) {}

  /** Folds one event; false when it is of no concern to cases. */
  apply(e: LogEvent): boolean {
    if (e.type === UnitRegistered.type) {
      const d = e.data as UnitRegisteredV1;
      if (!this.paths.has(d.unitId)) this.paths.set(d.unitId, [...((d.parentId && this.paths.get(d.parentId)) || []), d.unitId]);
      return true;
    }
    const c = CASE_EVENT_KINDS.get(e.type);
    if (!c) return false;
    const d = e.data as CaseEventV1<Record<string, unknown>>;
    const key = caseKey(c.kind, d.caseId);
    const earlier = this.rows.get(key);
    const text = c.role === 'filed' && typeof d.fields.text === 'string' ? d.fields.text : null;
    this.rows.set(key, {
      kind: c.kind,
      caseId: d.caseId,
      filedUnitId: d.filedUnitId,
      category: d.category,
      filedAt: new Date(Date.parse(d.filedAt)).toISOString(),
      path: this.pathOf(d.status.responsibleUnitId),
      status: d.status,
      text: text ?? earlier?.text ?? null,
    });
    return true;
  }

  /** The counts to add: each touched case's final contribution less the one it had before the batch. */
  deltas(prior: ReadonlyMap<string, PriorRow>): CaseDeltas {
    const counts = new Map<string, CountDelta>();
    const open = new Map<string, OpenDelta>();
    const units = new Map<string, UnitDelta>();
    const add = (row: PriorRow, sign: 1 | -1) => {
      const responsibleUnitId = row.status.responsibleUnitId;
      for (const unitId of row.path) {
        const uk = `${row.kind}\u0000${unitId}\u0000${responsibleUnitId}`;
        let u = units.get(uk);
        if (!u) units.set(uk, (u = { kind: row.kind, unitId, responsibleUnitId, n: 0 }));
        u.n += sign;
      }
      const periods = this.cutter.periodsOf(Date.parse(row.filedAt));
      const counters = countersOf(row.status);
      const handling = row.status.handling ?? '';
      const deadline = openDeadline(row.status);
      const dueAt = deadline === null ? null : new Date(deadline).toISOString();
      for (const unitId of row.path) {
        for (const g of GRANULARITIES) {
          const period = periods[g];
          const ck = `${unitId}\u0000${g}\u0000${period}\u0000${row.kind}\u0000${handling}`;
          let cell = counts.get(ck);
          if (!cell) counts.set(ck, (cell = { unitId, granularity: g, period, kind: row.kind, handling, counts: COUNTERS.map(() => 0) }));
          for (let i = 0; i < counters.length; i++) cell.counts[i] += sign * counters[i];
          if (dueAt === null) continue;
          const ok = `${unitId}\u0000${g}\u0000${period}\u0000${row.kind}\u0000${dueAt}`;
          let o = open.get(ok);
          if (!o) open.set(ok, (o = { unitId, granularity: g, period, kind: row.kind, dueAt, n: 0 }));
          o.n += sign;
        }
      }
    };
    for (const [key, row] of this.rows) {
      const before = prior.get(key);
      if (before) add(before, -1);
      add(row, 1);
    }
    // In key order, so that two transactions adding to the same cells (two instances on other partitions) take
    // their row locks in the same order and never deadlock.
    const inOrder = <T>(m: Map<string, T>) => [...m.keys()].sort().map((k) => m.get(k)!);
    return {
      counts: inOrder(counts).filter((c) => c.counts.some((n) => n !== 0)),
      open: inOrder(open).filter((o) => o.n !== 0),
      units: inOrder(units).filter((u) => u.n !== 0),
    };
  }

  /** The units whose paths the batch needs (responsible units, and parents of units registered in it). */
  static unitsOf(e: LogEvent): string | null {
    if (e.type === UnitRegistered.type) return (e.data as UnitRegisteredV1).parentId;
    if (!CASE_EVENT_KINDS.has(e.type)) return null;
    return (e.data as CaseEventV1<unknown>).status.responsibleUnitId;
  }

  private pathOf(unitId: string): string[] {
    return this.paths.get(unitId) ?? [unitId];
  }
}
