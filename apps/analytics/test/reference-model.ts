// An independent reference for API.md "Satisfaction" and "Rankings", written from the contract alone:
// periods cut in a time zone, ISO weeks, figures, the Wilson interval, YoY/PoP and ranking with ties.
// It deliberately imports nothing from libs/indices or apps/*, so that the two can disagree.

export const Z95 = 1.959964;
export type Granularity = 'day' | 'week' | 'month' | 'quarter' | 'year';
export const ALL_GRANULARITIES: Granularity[] = ['day', 'week', 'month', 'quarter', 'year'];
export type Channel = 'ratings' | 'surveys' | 'complaints' | 'visits' | 'all';
export type Score = 1 | 2 | 3 | 4 | 5;
export type Counts = [number, number, number, number, number];

const DAY_MS = 86_400_000;

// ---------------------------------------------------------------- civil dates, as day numbers
// A civil date is the number of days since 1970-01-01; Date.UTC does the calendar arithmetic.

export function dayNumber(y: number, m: number, d: number): number {
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
}

export function civil(dayNo: number): { y: number; m: number; d: number } {
  const dt = new Date(dayNo * DAY_MS);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function dateLabel(dayNo: number): string {
  const { y, m, d } = civil(dayNo);
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** Parses YYYY-MM-DD; null when it is not a real date. */
export function parseDate(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const n = dayNumber(y, mo, d);
  const back = civil(n);
  return back.y === y && back.m === mo && back.d === d ? n : null;
}

/** 1 = Monday … 7 = Sunday; 1970-01-01 was a Thursday. */
export function isoWeekday(dayNo: number): number {
  return (((dayNo % 7) + 7 + 3) % 7) + 1;
}

/** The ISO week-numbering year and week of a date: the week belongs to the year of its Thursday. */
export function isoWeek(dayNo: number): { year: number; week: number } {
  const thursday = dayNo - isoWeekday(dayNo) + 4;
  const year = civil(thursday).y;
  return { year, week: Math.floor((thursday - dayNumber(year, 1, 1)) / 7) + 1 };
}

/** 52 or 53: 28 December always lies in the last ISO week of its year. */
export function isoWeeksIn(year: number): number {
  return isoWeek(dayNumber(year, 12, 28)).week;
}

// ---------------------------------------------------------------- time zones

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The local civil date of an instant in a time zone (IANA name), through Intl. */
export function localDay(instantMs: number, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(instantMs)).map((p) => [p.type, p.value]));
  return dayNumber(Number(parts.year), Number(parts.month), Number(parts.day));
}

/** The same with a fixed offset: Asia/Shanghai has been UTC+08:00 without DST since 1991. */
export function localDayFixedOffset(instantMs: number, offsetMinutes: number): number {
  return Math.floor((instantMs + offsetMinutes * 60_000) / DAY_MS);
}

// ---------------------------------------------------------------- periods

export function periodStart(dayNo: number, g: Granularity): number {
  const { y, m } = civil(dayNo);
  switch (g) {
    case 'day':
      return dayNo;
    case 'week':
      return dayNo - isoWeekday(dayNo) + 1;
    case 'month':
      return dayNumber(y, m, 1);
    case 'quarter':
      return dayNumber(y, 3 * Math.floor((m - 1) / 3) + 1, 1);
    case 'year':
      return dayNumber(y, 1, 1);
  }
}

export function periodEnd(dayNo: number, g: Granularity): number {
  const start = periodStart(dayNo, g);
  const { y, m } = civil(start);
  switch (g) {
    case 'day':
      return start;
    case 'week':
      return start + 6;
    case 'month':
      return dayNumber(y, m + 1, 1) - 1;
    case 'quarter':
      return dayNumber(y, m + 3, 1) - 1;
    case 'year':
      return dayNumber(y + 1, 1, 1) - 1;
  }
}

export function periodLabel(dayNo: number, g: Granularity): string {
  const { y, m } = civil(dayNo);
  switch (g) {
    case 'day':
      return dateLabel(dayNo);
    case 'week': {
      const w = isoWeek(dayNo);
      return `${pad(w.year, 4)}-W${pad(w.week)}`;
    }
    case 'month':
      return `${pad(y, 4)}-${pad(m)}`;
    case 'quarter':
      return `${pad(y, 4)}-Q${Math.floor((m - 1) / 3) + 1}`;
    case 'year':
      return pad(y, 4);
  }
}

/** A period as its first civil date; the label is derived from it. */
export function labelsOverlapping(from: string, to: string, g: Granularity): string[] {
  const a = parseDate(from);
  const b = parseDate(to);
  if (a === null || b === null) throw new Error(`bad range ${from}..${to}`);
  const out: string[] = [];
  for (let start = periodStart(a, g); start <= b; start = periodEnd(start, g) + 1) out.push(periodLabel(start, g));
  return out;
}

/** The first day of the period with this label (labels as the API writes them). */
export function firstDayOf(label: string, g: Granularity): number {
  let m: RegExpExecArray | null;
  if (g === 'day' && (m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(label))) return dayNumber(+m[1], +m[2], +m[3]);
  if (g === 'week' && (m = /^(\d{4})-W(\d{2})$/.exec(label))) {
    const jan4 = dayNumber(+m[1], 1, 4); // always in week 1
    return jan4 - isoWeekday(jan4) + 1 + 7 * (+m[2] - 1);
  }
  if (g === 'month' && (m = /^(\d{4})-(\d{2})$/.exec(label))) return dayNumber(+m[1], +m[2], 1);
  if (g === 'quarter' && (m = /^(\d{4})-Q([1-4])$/.exec(label))) return dayNumber(+m[1], 3 * (+m[2] - 1) + 1, 1);
  if (g === 'year' && (m = /^(\d{4})$/.exec(label))) return dayNumber(+m[1], 1, 1);
  throw new Error(`not a ${g} label: ${label}`);
}

export function previousLabel(label: string, g: Granularity): string {
  return periodLabel(firstDayOf(label, g) - 1, g);
}

/** The same period a year earlier; null when there is none (week 53 of a year whose predecessor has 52). */
export function yearEarlierLabel(label: string, g: Granularity): string | null {
  const first = firstDayOf(label, g);
  const { y, m, d } = civil(first);
  switch (g) {
    case 'day':
      return dateLabel(dayNumber(y - 1, m, m === 2 && d === 29 ? 28 : d));
    case 'week': {
      const w = isoWeek(first);
      return w.week <= isoWeeksIn(w.year - 1) ? `${pad(w.year - 1, 4)}-W${pad(w.week)}` : null;
    }
    default:
      return periodLabel(dayNumber(y - 1, m, 1), g);
  }
}

// ---------------------------------------------------------------- figures

export function wilson(successes: number, n: number, z = Z95): [number, number] {
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [centre - halfWidth, centre + halfWidth];
}

export interface Figures {
  n: number;
  levels: Record<'1' | '2' | '3' | '4' | '5', number>;
  satisfactionRate: number | null;
  satisfactionRateInterval: [number, number] | null;
  badRate: number | null;
  meanScore: number | null;
  index: number | null;
}

export function figures(c: Counts): Figures {
  const [n1, n2, n3, n4, n5] = c;
  const n = n1 + n2 + n3 + n4 + n5;
  const levels = { '1': n1, '2': n2, '3': n3, '4': n4, '5': n5 };
  if (n === 0) return { n, levels, satisfactionRate: null, satisfactionRateInterval: null, badRate: null, meanScore: null, index: null };
  const good = n3 + n4 + n5;
  const mean = (1 * n1 + 2 * n2 + 3 * n3 + 4 * n4 + 5 * n5) / n;
  return {
    n,
    levels,
    satisfactionRate: good / n,
    satisfactionRateInterval: wilson(good, n),
    badRate: (n1 + n2) / n,
    meanScore: mean,
    index: (100 * (mean - 1)) / 4,
  };
}

export interface Change {
  nChange: number;
  satisfactionRateDelta: number | null;
  indexDelta: number | null;
}

export function change(current: Figures, earlier: Figures | null): Change | null {
  if (!earlier || earlier.n === 0) return null;
  const cur = current.n > 0;
  return {
    nChange: (current.n - earlier.n) / earlier.n,
    satisfactionRateDelta: cur ? current.satisfactionRate! - earlier.satisfactionRate! : null,
    indexDelta: cur ? current.index! - earlier.index! : null,
  };
}

export type SeriesEntry = Figures & { period: string; yoy: Change | null; pop: Change | null };

// ---------------------------------------------------------------- organisation and ratings

export interface RefOrganisation {
  units: { id: string; name: string; parentId: string | null }[];
  windows: { id: string; name: string; unitId: string }[];
  officers: { id: string; name: string; unitId: string }[];
}

export interface RefRating {
  id: string;
  /** The instant it occurred, in ms since the epoch. */
  at: number;
  score: Score;
  windowId: string;
  officerId?: string;
  voided?: boolean;
}

export interface RankingItem {
  rank: number;
  id: string;
  name: string;
  n: number;
  value: number;
  interval: [number, number];
}
export interface Ranking {
  items: RankingItem[];
  insufficient: { id: string; name: string; n: number }[];
}

/** Holds what was sent to the system and answers what the API should say about it. */
export class ReferenceModel {
  private readonly ratings = new Map<string, RefRating>();
  private buckets: Map<string, Counts> | null = null;

  constructor(
    readonly org: RefOrganisation,
    readonly timeZone = 'Asia/Shanghai',
  ) {}

  add(...ratings: RefRating[]): void {
    for (const r of ratings) {
      if (this.ratings.has(r.id)) throw new Error(`reference: rating ${r.id} added twice`);
      this.ratings.set(r.id, { ...r });
    }
    this.buckets = null;
  }

  void(id: string): void {
    const r = this.ratings.get(id);
    if (!r) throw new Error(`reference: no rating ${id}`);
    r.voided = true;
    this.buckets = null;
  }

  all(): RefRating[] {
    return [...this.ratings.values()];
  }

  unitPath(unitId: string): string[] {
    const path: string[] = [];
    for (let u: string | null = unitId; u !== null; ) {
      const unit = this.org.units.find((x) => x.id === u);
      if (!unit) throw new Error(`reference: no unit ${u}`);
      path.unshift(unit.id);
      u = unit.parentId;
    }
    return path;
  }

  private windowUnit(windowId: string): string {
    const w = this.org.windows.find((x) => x.id === windowId);
    if (!w) throw new Error(`reference: no window ${windowId}`);
    return w.unitId;
  }

  /** Level counts of a scope (`unit:x`, `window:x`, `officer:x`) in one period, voided ratings left out. */
  counts(scope: string, g: Granularity, label: string): Counts {
    if (!this.buckets) this.buckets = this.bucket();
    return this.buckets.get(`${scope}|${g}|${label}`) ?? [0, 0, 0, 0, 0];
  }

  private bucket(): Map<string, Counts> {
    const out = new Map<string, Counts>();
    const paths = new Map<string, string[]>();
    for (const r of this.ratings.values()) {
      if (r.voided) continue;
      const unit = this.windowUnit(r.windowId);
      let path = paths.get(unit);
      if (!path) paths.set(unit, (path = this.unitPath(unit)));
      const scopes = [...path.map((u) => `unit:${u}`), `window:${r.windowId}`];
      if (r.officerId) scopes.push(`officer:${r.officerId}`);
      const day = localDay(r.at, this.timeZone);
      for (const g of ALL_GRANULARITIES) {
        const label = periodLabel(day, g);
        for (const s of scopes) {
          const key = `${s}|${g}|${label}`;
          let c = out.get(key);
          if (!c) out.set(key, (c = [0, 0, 0, 0, 0]));
          c[r.score - 1]++;
        }
      }
    }
    return out;
  }

  private channelCounts(scope: string, g: Granularity, label: string, channel: Channel): Counts {
    // Only window ratings exist in these tests; every other channel is empty.
    return channel === 'ratings' || channel === 'all' ? this.counts(scope, g, label) : [0, 0, 0, 0, 0];
  }

  /** What GET /v1/satisfaction should answer. */
  satisfaction(q: { scope: string; granularity: Granularity; from: string; to: string; channel?: Channel }) {
    const g = q.granularity;
    const channel = q.channel ?? 'all';
    const of = (label: string | null) => (label === null ? null : figures(this.channelCounts(q.scope, g, label, channel)));
    const series: SeriesEntry[] = labelsOverlapping(q.from, q.to, g).map((period) => {
      const f = of(period)!;
      return { period, ...f, yoy: change(f, of(yearEarlierLabel(period, g))), pop: change(f, of(previousLabel(period, g))) };
    });
    return { scope: q.scope, granularity: g, timezone: this.timeZone, series };
  }

  private isBelow(unitId: string, ancestor: string): boolean {
    return this.unitPath(unitId).includes(ancestor);
  }

  /** What GET /v1/rankings should answer (the order of `insufficient` is not part of the contract: sorted by id here). */
  ranking(q: { parentId: string; of: 'units' | 'windows' | 'officers'; granularity: Granularity; period: string; metric?: 'index' | 'satisfactionRate'; minN?: number }): Ranking {
    const metric = q.metric ?? 'index';
    const minN = q.minN ?? 1;
    const candidates =
      q.of === 'units'
        ? this.org.units.filter((u) => u.parentId === q.parentId).map((u) => ({ id: u.id, name: u.name, scope: `unit:${u.id}` }))
        : q.of === 'windows'
          ? this.org.windows.filter((w) => this.isBelow(w.unitId, q.parentId)).map((w) => ({ id: w.id, name: w.name, scope: `window:${w.id}` }))
          : this.org.officers.filter((o) => this.isBelow(o.unitId, q.parentId)).map((o) => ({ id: o.id, name: o.name, scope: `officer:${o.id}` }));
    const scored = candidates.map((c) => ({ ...c, f: figures(this.counts(c.scope, q.granularity, q.period)) }));
    const ranked = scored
      .filter((c) => c.f.n >= minN && c.f.n > 0)
      .map((c) => ({ id: c.id, name: c.name, n: c.f.n, value: (metric === 'index' ? c.f.index : c.f.satisfactionRate)!, interval: c.f.satisfactionRateInterval! }))
      .sort((a, b) => b.value - a.value || b.n - a.n || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const items = ranked.map((c) => ({ rank: 1 + ranked.filter((o) => o.value > c.value).length, ...c }));
    const insufficient = scored
      .filter((c) => !(c.f.n >= minN && c.f.n > 0))
      .map((c) => ({ id: c.id, name: c.name, n: c.f.n }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { items, insufficient };
  }
}

// ---------------------------------------------------------------- comparison

/** The tolerance of jest's toBeCloseTo(x, 12). */
export function closeTo(actual: unknown, expected: number, digits = 12): boolean {
  return typeof actual === 'number' && Math.abs(actual - expected) < 10 ** -digits / 2;
}

function compareValue(path: string, actual: unknown, expected: unknown, out: string[]): void {
  if (expected === null || typeof expected === 'string' || typeof expected === 'boolean') {
    if (actual !== expected) out.push(`${path}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  } else if (typeof expected === 'number') {
    const exact = Number.isInteger(expected) && !path.match(/(Rate|Score|index|Delta|nChange|value|interval)/i);
    if (exact ? actual !== expected : !closeTo(actual, expected)) out.push(`${path}: got ${JSON.stringify(actual)}, expected ${expected}`);
  } else if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      out.push(`${path}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
      return;
    }
    expected.forEach((e, i) => compareValue(`${path}[${i}]`, actual[i], e, out));
  } else if (typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      out.push(`${path}: got ${JSON.stringify(actual)}, expected an object`);
      return;
    }
    const keysA = Object.keys(actual).sort();
    const keysE = Object.keys(expected).sort();
    if (keysA.join() !== keysE.join()) out.push(`${path}: keys ${JSON.stringify(keysA)}, expected ${JSON.stringify(keysE)}`);
    for (const k of keysE) compareValue(path ? `${path}.${k}` : k, (actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], out);
  }
}

/**
 * Every difference between an answer and the reference, one line each ("series[3].pop.nChange: got …, expected …"):
 * labels, counts and nulls exactly, fractions to 12 decimals (as toBeCloseTo(…, 12)), no missing or extra fields.
 */
export function differences(actual: unknown, expected: unknown, limit = 40): string[] {
  const out: string[] = [];
  compareValue('', actual, expected, out);
  return out.length > limit ? [...out.slice(0, limit), `… and ${out.length - limit} more`] : out;
}
