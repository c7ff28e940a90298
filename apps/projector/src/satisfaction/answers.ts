// Reads the five-level answers out of events as the contexts' satisfaction sources declare them: the live fold's
// interpreter of the declarations (the rebuild's SQL reads the same declarations in satisfaction.aggregate.ts).
import { CHANNELS, type SatisfactionSource } from '@minyi/contracts';
import type { LogEvent } from '@minyi/event-store';

/** One answer an event carries, or takes back (sign −1). */
export interface Answer {
  /** Index into CHANNELS. */
  channel: number;
  sign: 1 | -1;
  score: number;
  unitId: string;
  /** Null: no window scope (only ratings have one). */
  windowId: string | null;
  officerId: string | null;
  /** The instant that cuts its periods (epoch ms). */
  at: number;
}

type Getter = (data: unknown) => unknown;
const NONE: Answer[] = [];

function getter(path: string): Getter {
  const keys = path.split('.');
  return (data) => {
    let v: unknown = data;
    for (const k of keys) {
      if (v === null || typeof v !== 'object') return undefined;
      v = (v as Record<string, unknown>)[k];
    }
    return v;
  };
}

interface Compiled {
  channel: number;
  sign: 1 | -1;
  score: Getter;
  many: boolean;
  unitId: Getter;
  windowId: Getter | null;
  officerId: Getter | null;
  at: Getter | null;
}

/** Checks a composed list of sources: known channels, one source per event type, dotted paths. */
export function checkSources(sources: readonly SatisfactionSource[]): void {
  const seen = new Set<string>();
  for (const s of sources) {
    if (seen.has(s.eventType)) throw new Error(`two satisfaction sources declare ${s.eventType}: an event type has one`);
    seen.add(s.eventType);
    if (!(CHANNELS as readonly string[]).includes(s.channel)) throw new Error(`the satisfaction source of ${s.eventType} names an unknown channel "${s.channel}"`);
    if (s.sign !== 1 && s.sign !== -1) throw new Error(`the satisfaction source of ${s.eventType} has sign ${String(s.sign)}; +1 or -1`);
    for (const p of [s.score, s.unitId, s.windowId, s.officerId, s.at]) {
      if (p !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(p)) throw new Error(`the satisfaction source of ${s.eventType} has a bad path "${p}"`);
    }
  }
}

export class AnswerReader {
  private readonly byType = new Map<string, Compiled>();

  constructor(readonly sources: readonly SatisfactionSource[]) {
    checkSources(sources);
    for (const s of sources) {
      this.byType.set(s.eventType, {
        channel: CHANNELS.indexOf(s.channel),
        sign: s.sign,
        score: getter(s.score),
        many: s.many === true,
        unitId: getter(s.unitId),
        windowId: s.windowId ? getter(s.windowId) : null,
        officerId: s.officerId ? getter(s.officerId) : null,
        at: s.at ? getter(s.at) : null,
      });
    }
  }

  /** The event types that carry answers. */
  get eventTypes(): string[] {
    return [...this.byType.keys()];
  }

  /** The answers `e` carries: none when its type carries none, one, or (a source with `many`) each of its list. */
  read(e: LogEvent): Answer[] {
    const c = this.byType.get(e.type);
    if (!c) return NONE;
    const text = (g: Getter | null) => {
      const v = g?.(e.data);
      return typeof v === 'string' && v !== '' ? v : null;
    };
    const scores = c.many ? c.score(e.data) : [c.score(e.data)];
    if (!Array.isArray(scores) || scores.length === 0) return NONE;
    const unitId = String(c.unitId(e.data));
    const windowId = text(c.windowId);
    const officerId = text(c.officerId);
    const at = c.at ? Date.parse(String(c.at(e.data))) : e.occurredAt.getTime();
    return scores.map((score: unknown) => ({ channel: c.channel, sign: c.sign, score: Number(score), unitId, windowId, officerId, at }));
  }

  /** The unit an event's answer counts at, without reading the rest. */
  unitOf(e: LogEvent): string | null {
    const c = this.byType.get(e.type);
    if (!c) return null;
    const v = c.unitId(e.data);
    return typeof v === 'string' ? v : null;
  }
}
