// Reporting periods (day, ISO week, month, quarter, year) in an IANA time zone: cutting instants into period labels and doing arithmetic on those labels.

import {
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  formatDate,
  formatYear,
  isoWeekOf,
  isoWeekStart,
  isoWeekday,
  isoWeeksInYear,
  MS_PER_DAY,
  parseDate,
  twoDigits,
} from './calendar.js';

export type Granularity = 'day' | 'week' | 'month' | 'quarter' | 'year';

/** Finest first. */
export const GRANULARITIES: readonly Granularity[] = Object.freeze(['day', 'week', 'month', 'quarter', 'year']);

export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Strict YYYY-MM-DD naming a date that exists (so 2026-02-29 is rejected). */
export function isValidDate(s: string): boolean {
  return parseDate(s) !== null;
}

/**
 * The label of the period `g` that a local date (as a day number) falls in. Weeks are ISO weeks labelled by
 * ISO week-year, so the last days of December can belong to week 1 of the next year and vice versa.
 */
function labelOfDay(days: number, g: Granularity): string {
  switch (g) {
    case 'day':
      return formatDate(days);
    case 'week': {
      const { weekYear, week } = isoWeekOf(days);
      return `${formatYear(weekYear)}-W${twoDigits(week)}`;
    }
    case 'month': {
      const { year, month } = civilFromDays(days);
      return `${formatYear(year)}-${twoDigits(month)}`;
    }
    case 'quarter': {
      const { year, month } = civilFromDays(days);
      return `${formatYear(year)}-Q${quarterOfMonth(month)}`;
    }
    case 'year':
      return formatYear(civilFromDays(days).year);
    default:
      throw unknownGranularity(g);
  }
}

/** Every period label of a local date given as a day number (days since 1970-01-01). */
export function labelsOfDay(days: number): Record<Granularity, string> {
  const { year, month } = civilFromDays(days);
  const { weekYear, week } = isoWeekOf(days);
  const yearLabel = formatYear(year);
  return {
    day: formatDate(days),
    week: `${formatYear(weekYear)}-W${twoDigits(week)}`,
    month: `${yearLabel}-${twoDigits(month)}`,
    quarter: `${yearLabel}-Q${quarterOfMonth(month)}`,
    year: yearLabel,
  };
}

function quarterOfMonth(month: number): number {
  return Math.floor((month - 1) / 3) + 1;
}

function lastDayOfPeriodContaining(days: number, g: Granularity): number {
  switch (g) {
    case 'day':
      return days;
    case 'week':
      return days + (7 - isoWeekday(days));
    case 'month': {
      const { year, month } = civilFromDays(days);
      return daysFromCivil(year, month, daysInMonth(year, month));
    }
    case 'quarter': {
      const { year, month } = civilFromDays(days);
      const lastMonth = quarterOfMonth(month) * 3;
      return daysFromCivil(year, lastMonth, daysInMonth(year, lastMonth));
    }
    case 'year':
      return daysFromCivil(civilFromDays(days).year, 12, 31);
    default:
      throw unknownGranularity(g);
  }
}

const WEEK = /^(\d{4})-[Ww](\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const QUARTER = /^(\d{4})-[Qq]([1-4])$/;
const YEAR = /^(\d{4})$/;

/** Day number of the first day of the period a label names, or null when the label names no real period. */
function firstDayOf(label: string, g: Granularity): number | null {
  if (typeof label !== 'string') return null;
  let match: RegExpExecArray | null;
  switch (g) {
    case 'day':
      return parseDate(label);
    case 'week': {
      if ((match = WEEK.exec(label)) === null) return null;
      const weekYear = Number(match[1]);
      const week = Number(match[2]);
      return week >= 1 && week <= isoWeeksInYear(weekYear) ? isoWeekStart(weekYear, week) : null;
    }
    case 'month': {
      if ((match = MONTH.exec(label)) === null) return null;
      const month = Number(match[2]);
      return month >= 1 && month <= 12 ? daysFromCivil(Number(match[1]), month, 1) : null;
    }
    case 'quarter':
      if ((match = QUARTER.exec(label)) === null) return null;
      return daysFromCivil(Number(match[1]), Number(match[2]) * 3 - 2, 1);
    case 'year':
      if ((match = YEAR.exec(label)) === null) return null;
      return daysFromCivil(Number(match[1]), 1, 1);
    default:
      throw unknownGranularity(g);
  }
}

function requireFirstDay(label: string, g: Granularity): number {
  const first = firstDayOf(label, g);
  if (first === null) throw new RangeError(`"${label}" is not a valid ${g} period`);
  return first;
}

function unknownGranularity(g: never): RangeError {
  return new RangeError(`unknown granularity "${String(g)}"`);
}

/**
 * The canonical label if `label` names a real period of granularity `g`, else null. Lower-case `w`/`q` are
 * accepted and upper-cased; everything else must already be canonical (zero-padded, no whitespace).
 */
export function parsePeriod(label: string, g: Granularity): string | null {
  const first = firstDayOf(label, g);
  return first === null ? null : labelOfDay(first, g);
}

/**
 * Every period that shares at least one day with the inclusive local date range, oldest first; partial
 * periods at either end are included whole. Empty when `fromDate` is after `toDate`.
 */
export function periodsOverlapping(fromDate: string, toDate: string, g: Granularity): string[] {
  const from = parseDate(fromDate);
  const to = parseDate(toDate);
  if (from === null) throw new RangeError(`"${fromDate}" is not a valid YYYY-MM-DD date`);
  if (to === null) throw new RangeError(`"${toDate}" is not a valid YYYY-MM-DD date`);
  const labels: string[] = [];
  for (let day = from; day <= to; day = lastDayOfPeriodContaining(day, g) + 1) {
    labels.push(labelOfDay(day, g));
  }
  return labels;
}

/**
 * How many periods `periodsOverlapping` would return, computed from the two ends alone: the cost is the same
 * for a day and for ten thousand years, so a range can be bounded before any list is built.
 */
export function countPeriodsOverlapping(fromDate: string, toDate: string, g: Granularity): number {
  const from = parseDate(fromDate);
  const to = parseDate(toDate);
  if (from === null) throw new RangeError(`"${fromDate}" is not a valid YYYY-MM-DD date`);
  if (to === null) throw new RangeError(`"${toDate}" is not a valid YYYY-MM-DD date`);
  if (from > to) return 0;
  switch (g) {
    case 'day':
      return to - from + 1;
    case 'week':
      // Mondays of the two ends' weeks, seven days apart per week between them.
      return (to - isoWeekday(to) - (from - isoWeekday(from))) / 7 + 1;
    case 'month':
    case 'quarter':
    case 'year': {
      const a = civilFromDays(from);
      const b = civilFromDays(to);
      if (g === 'year') return b.year - a.year + 1;
      if (g === 'month') return (b.year - a.year) * 12 + (b.month - a.month) + 1;
      return (b.year - a.year) * 4 + (quarterOfMonth(b.month) - quarterOfMonth(a.month)) + 1;
    }
    default:
      throw unknownGranularity(g);
  }
}

export function previousPeriod(label: string, g: Granularity): string {
  return labelOfDay(requireFirstDay(label, g) - 1, g);
}

/**
 * The same period one year earlier, for year-on-year comparison. A leap day maps to 28 February because that
 * is the last day of the same month; ISO week 53 has no counterpart in a 52-week year, so it maps to null
 * rather than to a week that would compare different seasons or lengths.
 */
export function yearEarlier(label: string, g: Granularity): string | null {
  const first = requireFirstDay(label, g);
  switch (g) {
    case 'day': {
      const { year, month, day } = civilFromDays(first);
      const sameDay = month === 2 && day === 29 ? 28 : day;
      return `${formatYear(year - 1)}-${twoDigits(month)}-${twoDigits(sameDay)}`;
    }
    case 'week': {
      const { weekYear, week } = isoWeekOf(first);
      if (week > isoWeeksInYear(weekYear - 1)) return null;
      return `${formatYear(weekYear - 1)}-W${twoDigits(week)}`;
    }
    case 'month':
    case 'quarter':
    case 'year': {
      const { year, month } = civilFromDays(first);
      return labelOfDay(daysFromCivil(year - 1, month, 1), g);
    }
    default:
      throw unknownGranularity(g);
  }
}

/** First and last local dates (inclusive) of a period. */
export function periodRange(label: string, g: Granularity): { first: string; last: string } {
  const first = requireFirstDay(label, g);
  return { first: formatDate(first), last: formatDate(lastDayOfPeriodContaining(first, g)) };
}

const MS_PER_SECOND = 1_000;
// Offsets in tzdata are whole minutes nowadays (historic LMT offsets have seconds), and real transitions fall
// on quarter hours in UTC; a bucket whose two ends disagree is searched for its exact transition instant, so
// even the historic odd-second transitions are cut correctly.
const BUCKET_MS = 15 * 60_000;
const BUCKETS_PER_DAY = 96;
// Bounds the caches of a long-lived cutter: 2^20 quarter hours are about 30 years, 2^20 days 2,800 years.
const MAX_CACHE_ENTRIES = 1 << 20;

/**
 * Cuts instants into the local periods of one time zone. Built for rebuilds that cut a million events:
 * asking Intl for every event is far too slow, so the zone's UTC offset is asked once per 15-minute UTC bucket
 * and the labels are computed once per local day, the rest being integer arithmetic.
 */
export class PeriodCutter {
  readonly timeZone: string;
  private readonly formatter: Intl.DateTimeFormat;
  private readonly offsetAtBoundary = new Map<number, number>();
  private readonly transitionInBucket = new Map<number, number>();
  private readonly labelsByDay = new Map<number, Readonly<Record<Granularity, string>>>();
  // Events mostly arrive in time order, so the previous bucket and day are by far the likeliest hits.
  private lastBucket = Number.NaN;
  private lastBucketOffset = 0;
  private lastDay = Number.NaN;
  private lastDayLabels: Readonly<Record<Granularity, string>> | undefined;

  constructor(timeZone: string) {
    if (!isValidTimeZone(timeZone)) throw new RangeError(`"${timeZone}" is not a valid IANA time zone`);
    this.formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    this.timeZone = this.formatter.resolvedOptions().timeZone;
  }

  /** The local date (YYYY-MM-DD) of an instant in this zone. */
  localDate(instantMs: number): string {
    return this.periodsOf(instantMs).day;
  }

  periodOf(instantMs: number, g: Granularity): string {
    const label = this.periodsOf(instantMs)[g];
    if (label === undefined) throw unknownGranularity(g as never);
    return label;
  }

  /** All period labels of an instant; the object is shared between calls and therefore frozen. */
  periodsOf(instantMs: number): Record<Granularity, string> {
    if (!Number.isFinite(instantMs)) throw new RangeError(`instant must be a finite number, got ${instantMs}`);
    const day = Math.floor((instantMs + this.offsetOf(instantMs)) / MS_PER_DAY);
    if (day === this.lastDay && this.lastDayLabels !== undefined) return this.lastDayLabels;
    let labels = this.labelsByDay.get(day);
    if (labels === undefined) {
      if (this.labelsByDay.size >= MAX_CACHE_ENTRIES) this.labelsByDay.clear();
      labels = Object.freeze(labelsOfDay(day));
      this.labelsByDay.set(day, labels);
    }
    this.lastDay = day;
    this.lastDayLabels = labels;
    return labels;
  }

  /**
   * The zone's UTC offsets over [fromMs, toMs) as segments, each from its instant until the next one's:
   * exactly the offsets `periodsOf` uses, so that the local day of an instant t in a segment is
   * floor((t + offsetMs) / day) — what a database rebuild needs to cut days the same way.
   */
  offsetSegments(fromMs: number, toMs: number): { fromMs: number; offsetMs: number }[] {
    const segments: { fromMs: number; offsetMs: number }[] = [];
    const push = (at: number, offsetMs: number) => {
      if (segments.length === 0 || segments[segments.length - 1].offsetMs !== offsetMs) segments.push({ fromMs: at, offsetMs });
    };
    const firstBucket = Math.floor(fromMs / BUCKET_MS);
    push(fromMs, this.offsetOf(fromMs));
    for (let dayStart = Math.floor(firstBucket / BUCKETS_PER_DAY) * BUCKETS_PER_DAY; dayStart * BUCKET_MS < toMs; dayStart += BUCKETS_PER_DAY) {
      const dayOffset = this.boundaryOffset(dayStart);
      if (dayOffset === this.boundaryOffset(dayStart + BUCKETS_PER_DAY)) {
        push(Math.max(fromMs, dayStart * BUCKET_MS), dayOffset);
        continue;
      }
      for (let bucket = dayStart; bucket < dayStart + BUCKETS_PER_DAY && bucket * BUCKET_MS < toMs; bucket++) {
        if ((bucket + 1) * BUCKET_MS <= fromMs) continue;
        const atStart = this.boundaryOffset(bucket);
        const atEnd = this.boundaryOffset(bucket + 1);
        push(Math.max(fromMs, bucket * BUCKET_MS), atStart);
        if (atStart !== atEnd) {
          const at = this.transitionIn(bucket, atStart);
          if (at >= fromMs && at < toMs) push(at, atEnd);
        }
      }
    }
    return segments;
  }

  /** Local time minus UTC, in milliseconds, at an instant. */
  private offsetOf(instantMs: number): number {
    const bucket = Math.floor(instantMs / BUCKET_MS);
    if (bucket === this.lastBucket) return this.lastBucketOffset;
    // Most UTC days hold no transition: when the offsets at both ends of the day agree, the whole day
    // has that offset (as the quarter-hour buckets assume within a bucket), and 96 buckets need no Intl call.
    const dayStart = Math.floor(bucket / BUCKETS_PER_DAY) * BUCKETS_PER_DAY;
    const dayOffset = this.boundaryOffset(dayStart);
    if (dayOffset === this.boundaryOffset(dayStart + BUCKETS_PER_DAY)) {
      this.lastBucket = bucket;
      this.lastBucketOffset = dayOffset;
      return dayOffset;
    }
    const atStart = this.boundaryOffset(bucket);
    const atEnd = this.boundaryOffset(bucket + 1);
    if (atStart === atEnd) {
      this.lastBucket = bucket;
      this.lastBucketOffset = atStart;
      return atStart;
    }
    return instantMs < this.transitionIn(bucket, atStart) ? atStart : atEnd;
  }

  private boundaryOffset(boundary: number): number {
    let offset = this.offsetAtBoundary.get(boundary);
    if (offset === undefined) {
      if (this.offsetAtBoundary.size >= MAX_CACHE_ENTRIES) this.offsetAtBoundary.clear();
      offset = this.askIntlForOffset(boundary * BUCKET_MS);
      this.offsetAtBoundary.set(boundary, offset);
    }
    return offset;
  }

  /** The first whole second in the bucket at which the offset is no longer the bucket's starting offset. */
  private transitionIn(bucket: number, startOffset: number): number {
    let at = this.transitionInBucket.get(bucket);
    if (at === undefined) {
      let before = bucket * BUCKET_MS;
      let after = before + BUCKET_MS;
      while (after - before > MS_PER_SECOND) {
        const middle = before + Math.floor((after - before) / (2 * MS_PER_SECOND)) * MS_PER_SECOND;
        if (this.askIntlForOffset(middle) === startOffset) before = middle;
        else after = middle;
      }
      at = after;
      if (this.transitionInBucket.size >= MAX_CACHE_ENTRIES) this.transitionInBucket.clear();
      this.transitionInBucket.set(bucket, at);
    }
    return at;
  }

  private askIntlForOffset(wholeSecondMs: number): number {
    let year = 0;
    let month = 0;
    let day = 0;
    let hour = 0;
    let minute = 0;
    let second = 0;
    for (const part of this.formatter.formatToParts(wholeSecondMs)) {
      switch (part.type) {
        case 'year':
          year = Number(part.value);
          break;
        case 'month':
          month = Number(part.value);
          break;
        case 'day':
          day = Number(part.value);
          break;
        case 'hour':
          // Some ICU versions render midnight as 24 despite h23.
          hour = Number(part.value) % 24;
          break;
        case 'minute':
          minute = Number(part.value);
          break;
        case 'second':
          second = Number(part.value);
          break;
      }
    }
    const localMs =
      daysFromCivil(year, month, day) * MS_PER_DAY + hour * 3_600_000 + minute * 60_000 + second * MS_PER_SECOND;
    return localMs - wholeSecondMs;
  }
}
