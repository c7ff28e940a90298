// Folds the organisation's events and every channel's five-level answers (as the satisfaction sources declare
// them) into changes of the satisfaction read models, in memory. The live projection folds one batch at a time.
import {
  CHANNELS,
  OfficerRegistered,
  UnitRegistered,
  WindowRegistered,
  type OfficerRegisteredV1,
  type UnitRegisteredV1,
  type WindowRegisteredV1,
} from '@minyi/contracts';
import type { LogEvent } from '@minyi/event-store';
import { GRANULARITIES, PeriodCutter, type Granularity } from '@minyi/indices';
import type { AnswerReader } from './answers.js';

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
  /** The scope ids an answer counts in (its unit and every unit above, its window and officer if it has them). */
  private readonly answerScopes = new Map<string, number[]>();

  constructor(
    /** Paths of every unit known so far (root … unit); shared across batches, never shrinks. */
    private readonly paths: Map<string, string[]>,
    private readonly cutter: PeriodCutter,
    private readonly answers: AnswerReader,
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
    }
    let counted = false;
    for (const a of this.answers.read(e)) {
      // (An event its schema allows has a score of 1–5; one written around the event store never reaches here.)
      if (!(a.score >= 1 && a.score <= 5 && Number.isInteger(a.score))) continue;
      this.count(a.channel, a.unitId, a.windowId, a.officerId, a.score, a.at, a.sign);
      counted = true;
    }
    return counted;
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

  private scopesOf(unitId: string, windowId: string | null, officerId: string | null): number[] {
    const key = `${unitId}\u0000${windowId ?? ''}\u0000${officerId ?? ''}`;
    let ids = this.answerScopes.get(key);
    if (!ids) {
      ids = this.pathOf(unitId).map((u) => this.scopeIds.id(`unit:${u}`));
      if (windowId) ids.push(this.scopeIds.id(`window:${windowId}`));
      if (officerId) ids.push(this.scopeIds.id(`officer:${officerId}`));
      this.answerScopes.set(key, ids);
    }
    return ids;
  }

  private count(channel: number, unitId: string, windowId: string | null, officerId: string | null, score: number, at: number, delta: number): void {
    const periods = this.periodsOfDay(at);
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
