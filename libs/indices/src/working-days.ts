// Working days (工作日) and the deadlines counted in them: Monday to Friday, except the calendar's holidays,
// plus its make-up working days (调休). The calendar is data (one year's lists at a time), never code.
import { formatDate, isoWeekday, MS_PER_DAY, parseDate, twoDigits } from './calendar.js';
import type { PeriodCutter } from './periods.js';

/** One or more years' lists, as dates YYYY-MM-DD. */
export interface WorkingCalendar {
  holidays: ReadonlySet<string> | readonly string[];
  workdays: ReadonlySet<string> | readonly string[];
}

const asSet = (dates: ReadonlySet<string> | readonly string[]): ReadonlySet<string> => (dates instanceof Set ? dates : new Set(dates as readonly string[]));

/** Whether a day (number of days since 1970-01-01) is a working day under the calendar. */
export function isWorkingDay(day: number, calendar: WorkingCalendar): boolean {
  const date = formatDate(day);
  if (asSet(calendar.workdays).has(date)) return true;
  if (asSet(calendar.holidays).has(date)) return false;
  return isoWeekday(day) <= 5;
}

/**
 * The N-th working day after `date` (the date itself never counts), as a day number. N ≥ 1. Bounded: a
 * calendar cannot hold more holidays than days, so at most N + (days of the years covered) steps are taken.
 */
export function nthWorkingDayAfter(date: string | number, n: number, calendar: WorkingCalendar): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`a deadline needs at least one working day, got ${n}`);
  const start = typeof date === 'number' ? date : parseDate(date);
  if (start === null) throw new RangeError(`"${date}" is not a date`);
  const holidays = asSet(calendar.holidays);
  const workdays = asSet(calendar.workdays);
  const cal = { holidays, workdays };
  let day = start;
  let found = 0;
  // Ten years of days is far beyond any calendar: a guard against a calendar that makes every day a holiday.
  for (let steps = 0; steps < n + 3660; steps++) {
    day += 1;
    if (isWorkingDay(day, cal) && ++found === n) return day;
  }
  throw new RangeError(`no ${n}th working day within ten years of ${formatDate(start)}`);
}

/** `±hh:mm` of an offset in milliseconds (whole minutes; historic second offsets are rounded). */
export function formatOffset(offsetMs: number): string {
  const minutes = Math.round(offsetMs / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `${sign}${twoDigits(Math.floor(a / 60))}:${twoDigits(a % 60)}`;
}

/**
 * The first instant of a local day in the cutter's zone, with the offset in force then. Midnight, except
 * on the rare days a transition skips it, when the day begins at the transition.
 */
export function startOfLocalDay(day: number, cutter: PeriodCutter): { instantMs: number; offsetMs: number } {
  const nominal = day * MS_PER_DAY;
  // Offsets lie within ±18 h; the segments around the nominal midnight hold the real one.
  const segments = cutter.offsetSegments(nominal - 20 * 3_600_000, nominal + 20 * 3_600_000);
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    const end = i + 1 < segments.length ? segments[i + 1].fromMs : Infinity;
    const midnight = nominal - s.offsetMs;
    if (midnight >= s.fromMs && midnight < end) return { instantMs: midnight, offsetMs: s.offsetMs };
  }
  // Midnight was skipped: the day starts at the first transition into it.
  for (const s of segments) {
    if (Math.floor((s.fromMs + s.offsetMs) / MS_PER_DAY) === day) return { instantMs: s.fromMs, offsetMs: s.offsetMs };
  }
  throw new RangeError(`cannot find the start of day ${formatDate(day)} in ${cutter.timeZone}`);
}

/** An instant written as local time with its offset: `2026-12-08T00:00:00+08:00`. */
export function formatLocalInstant(instantMs: number, offsetMs: number): string {
  const local = instantMs + offsetMs;
  const day = Math.floor(local / MS_PER_DAY);
  const ms = local - day * MS_PER_DAY;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  return `${formatDate(day)}T${twoDigits(h)}:${twoDigits(m)}:${twoDigits(s)}${formatOffset(offsetMs)}`;
}

/**
 * API.md "A deadline of N working days" set by a step at instant t: D = t's local date; the deadline is the
 * end of the N-th working day after D, i.e. the first instant of the day after it, given with its offset.
 */
export function deadlineAfter(instantMs: number, n: number, cutter: PeriodCutter, calendar: WorkingCalendar): { dueAt: string; dueMs: number } {
  const localDay = parseDate(cutter.localDate(instantMs))!;
  const last = nthWorkingDayAfter(localDay, n, calendar);
  const end = startOfLocalDay(last + 1, cutter);
  return { dueAt: formatLocalInstant(end.instantMs, end.offsetMs), dueMs: end.instantMs };
}

/** The years whose calendars a deadline of up to `maxDays` working days from `date` may need. */
export function calendarYearsFor(date: string, maxDays: number): number[] {
  const start = parseDate(date);
  if (start === null) throw new RangeError(`"${date}" is not a date`);
  const first = Number(date.slice(0, 4));
  // maxDays working days span at most maxDays·7/5 + the longest holiday run (~2 weeks); a year suffices for 60.
  const last = Number(formatDate(start + Math.ceil((maxDays * 7) / 5) + 30).slice(0, 4));
  const years: number[] = [];
  for (let y = first; y <= last; y++) years.push(y);
  return years;
}

