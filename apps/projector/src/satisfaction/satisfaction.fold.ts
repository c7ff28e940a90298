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
import type { LogEvent } from '@minyi/event-store';
import { GRANULARITIES, PeriodCutter, type Granularity } from '@minyi/indices';

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

/** Gives strings small integer ids, so that a cell's key is a number rather than a concatenated string. */
class Interner {
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];
  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    return id;
  }
}

const CHANNELS = [RATINGS_CHANNEL] as const;

export class SatisfactionFold {
  readonly units: UnitRow[] = [];
  readonly windows: MemberRow[] = [];
  readonly officers: MemberRow[] = [];
  /**
   * Level counts: by scope id (an array index), then by period id · channels + channel id. Both keys
   * stay small integers, which V8 hashes without allocating; a flat composite key would not.
   */
  private readonly cells: (Map<number, number[]> | undefined)[] = [];
  private cellCount = 0;
  private readonly scopeIds = new Interner();
  private readonly periodIds = new Interner();
  private readonly periodGranularity: Granularity[] = [];
  private readonly periodLabel: string[] = [];
  /** The five period ids of a local day, keyed by the cutter's shared labels object for that day. */
  private readonly dayPeriods = new Map<object, number[]>();
  /** The scope ids a rating counts in (its unit and every unit above, its window, its officer). */
  private readonly ratingScopes = new Map<string, number[]>();

  constructor(
    /** Paths of every unit known so far (root … unit); shared across batches, never shrinks. */
    private readonly paths: Map<string, string[]>,
    private readonly cutter: PeriodCutter,
  ) {}

  get size(): number {
    return this.cellCount;
  }

  cellList(): CountCell[] {
    const out: CountCell[] = [];
    this.cells.forEach((byPeriod, scope) => {
      if (!byPeriod) return;
      for (const [key, counts] of byPeriod) {
        if (counts.every((n) => n === 0)) continue;
        const channel = key % CHANNELS.length;
        const period = (key - channel) / CHANNELS.length;
        out.push({
          scope: this.scopeIds.names[scope],
          granularity: this.periodGranularity[period],
          period: this.periodLabel[period],
          channel: CHANNELS[channel],
          counts,
        });
      }
    });
    return out;
  }

  clearCells(): void {
    this.cells.length = 0;
    this.cellCount = 0;
  }

  clearOrganisation(): void {
    this.units.length = 0;
    this.windows.length = 0;
    this.officers.length = 0;
  }

  /** Folds one event; false when it is of no concern to satisfaction. */
  apply(e: LogEvent): boolean {
    switch (e.type) {
      case UnitRegistered.type: {
        const d = e.data as UnitRegisteredV1;
        const path = [...((d.parentId && this.paths.get(d.parentId)) || []), d.unitId];
        this.paths.set(d.unitId, path);
        this.units.push({ unitId: d.unitId, name: d.name, parentId: d.parentId, kind: d.kind, path });
        return true;
      }
      case WindowRegistered.type: {
        const d = e.data as WindowRegisteredV1;
        this.windows.push({ id: d.windowId, unitId: d.unitId, name: d.name, path: this.pathOf(d.unitId) });
        return true;
      }
      case OfficerRegistered.type: {
        const d = e.data as OfficerRegisteredV1;
        this.officers.push({ id: d.officerId, unitId: d.unitId, name: d.name, path: this.pathOf(d.unitId) });
        return true;
      }
      case RatingSubmitted.type: {
        const d = e.data as RatingSubmittedV1;
        this.count(d.unitId, d.windowId, d.officerId, d.score, e.occurredAt.getTime(), +1);
        return true;
      }
      case RatingVoided.type: {
        const r = (e.data as RatingVoidedV1).rating;
        this.count(r.unitId, r.windowId, r.officerId, r.score, Date.parse(r.occurredAt), -1);
        return true;
      }
    }
    return false;
  }

  private pathOf(unitId: string): string[] {
    return this.paths.get(unitId) ?? [unitId];
  }

  private periodsOfDay(at: number): number[] {
    const labels = this.cutter.periodsOf(at);
    let ids = this.dayPeriods.get(labels);
    if (!ids) {
      ids = GRANULARITIES.map((g) => {
        const id = this.periodIds.id(`${g}\u0000${labels[g]}`);
        this.periodGranularity[id] = g;
        this.periodLabel[id] = labels[g];
        return id;
      });
      this.dayPeriods.set(labels, ids);
    }
    return ids;
  }

  private scopesOf(unitId: string, windowId: string, officerId: string | null): number[] {
    const key = `${unitId}\u0000${windowId}\u0000${officerId ?? ''}`;
    let ids = this.ratingScopes.get(key);
    if (!ids) {
      ids = this.pathOf(unitId).map((u) => this.scopeIds.id(`unit:${u}`));
      ids.push(this.scopeIds.id(`window:${windowId}`));
      if (officerId) ids.push(this.scopeIds.id(`officer:${officerId}`));
      this.ratingScopes.set(key, ids);
    }
    return ids;
  }

  private count(unitId: string, windowId: string, officerId: string | null, score: number, at: number, delta: number): void {
    const periods = this.periodsOfDay(at);
    const channel = 0; // ratings; the other channels add their own ids here
    for (const scope of this.scopesOf(unitId, windowId, officerId)) {
      let byPeriod = this.cells[scope];
      if (!byPeriod) {
        byPeriod = new Map();
        this.cells[scope] = byPeriod;
      }
      for (const period of periods) {
        const key = period * CHANNELS.length + channel;
        let counts = byPeriod.get(key);
        if (!counts) {
          counts = [0, 0, 0, 0, 0];
          byPeriod.set(key, counts);
          this.cellCount += 1;
        }
        counts[score - 1] += delta;
      }
    }
  }
}
