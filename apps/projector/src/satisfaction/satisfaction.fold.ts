// Folds rating and organisation events into changes of the satisfaction read models, in memory.
// The live projection folds one batch at a time; a rebuild folds the whole log.
import {
  OfficerRegistered,
  RatingSubmitted,
  RatingVoided,
  UnitRegistered,
  WindowRegistered,
  type OfficerRegisteredV1,
  type RatingSubmittedV1,
  type RatingVoidedV1,
  type UnitRegisteredV1,
  type WindowRegisteredV1,
} from '@minyi/contracts';
import type { RecordedEvent } from '@minyi/event-store';
import { GRANULARITIES, PeriodCutter } from '@minyi/indices';

export const RATINGS_CHANNEL = 'ratings';

export interface UnitRow {
  unitId: string;
  name: string;
  parentId: string | null;
  kind: string;
  path: string[];
}
export interface MemberRow {
  id: string;
  unitId: string;
  name: string;
  path: string[];
}

/** One cell of the read model: a scope's level counts in one period of one granularity and channel. */
export interface CountCell {
  scope: string;
  granularity: string;
  period: string;
  channel: string;
  counts: number[]; // index 0..4 → score 1..5
}

export class SatisfactionFold {
  readonly units: UnitRow[] = [];
  readonly windows: MemberRow[] = [];
  readonly officers: MemberRow[] = [];
  private readonly cells = new Map<string, CountCell>();

  constructor(
    /** Paths of every unit known so far (root … unit); shared across batches, never shrinks. */
    private readonly paths: Map<string, string[]>,
    private readonly cutter: PeriodCutter,
  ) {}

  get size(): number {
    return this.cells.size;
  }

  cellList(): CountCell[] {
    return [...this.cells.values()].filter((c) => c.counts.some((n) => n !== 0));
  }

  clearCells(): void {
    this.cells.clear();
  }

  clearOrganisation(): void {
    this.units.length = 0;
    this.windows.length = 0;
    this.officers.length = 0;
  }

  apply(e: RecordedEvent): void {
    switch (e.type) {
      case UnitRegistered.type: {
        const d = e.data as UnitRegisteredV1;
        const path = [...((d.parentId && this.paths.get(d.parentId)) || []), d.unitId];
        this.paths.set(d.unitId, path);
        this.units.push({ unitId: d.unitId, name: d.name, parentId: d.parentId, kind: d.kind, path });
        return;
      }
      case WindowRegistered.type: {
        const d = e.data as WindowRegisteredV1;
        this.windows.push({ id: d.windowId, unitId: d.unitId, name: d.name, path: this.pathOf(d.unitId) });
        return;
      }
      case OfficerRegistered.type: {
        const d = e.data as OfficerRegisteredV1;
        this.officers.push({ id: d.officerId, unitId: d.unitId, name: d.name, path: this.pathOf(d.unitId) });
        return;
      }
      case RatingSubmitted.type: {
        const d = e.data as RatingSubmittedV1;
        this.count(d.unitId, d.windowId, d.officerId, d.score, e.occurredAt.getTime(), +1);
        return;
      }
      case RatingVoided.type: {
        const r = (e.data as RatingVoidedV1).rating;
        this.count(r.unitId, r.windowId, r.officerId, r.score, Date.parse(r.occurredAt), -1);
        return;
      }
    }
  }

  private pathOf(unitId: string): string[] {
    return this.paths.get(unitId) ?? [unitId];
  }

  private count(unitId: string, windowId: string, officerId: string | null, score: number, at: number, delta: number): void {
    const periods = this.cutter.periodsOf(at);
    const scopes = this.pathOf(unitId).map((u) => `unit:${u}`);
    scopes.push(`window:${windowId}`);
    if (officerId) scopes.push(`officer:${officerId}`);
    for (const scope of scopes) {
      for (const g of GRANULARITIES) {
        const period = periods[g];
        const key = `${scope}\u0000${g}\u0000${period}`;
        let cell = this.cells.get(key);
        if (!cell) {
          cell = { scope, granularity: g, period, channel: RATINGS_CHANNEL, counts: [0, 0, 0, 0, 0] };
          this.cells.set(key, cell);
        }
        cell.counts[score - 1] += delta;
      }
    }
  }
}
