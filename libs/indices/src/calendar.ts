// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01), so periods need no Date or Intl.

export const MS_PER_DAY = 86_400_000;

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

// Integer arithmetic after Howard Hinnant's days_from_civil: exact for any year, unlike Date.UTC, which
// reinterprets years 0–99 as 1900–1999, and far cheaper than constructing Date objects per event.
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

export function civilFromDays(days: number): CivilDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** 1 = Monday … 7 = Sunday, as ISO 8601 counts. */
export function isoWeekday(days: number): number {
  // Day 0, 1970-01-01, was a Thursday.
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

/** Day number of the Monday that starts ISO week `week` of ISO week-year `weekYear`. */
export function isoWeekStart(weekYear: number, week: number): number {
  // Week 1 is the week containing 4 January, i.e. the first week with most of its days in the new year.
  const january4 = daysFromCivil(weekYear, 1, 4);
  return january4 - (isoWeekday(january4) - 1) + (week - 1) * 7;
}

/** ISO week-year and week of a day; near New Year the week-year can differ from the calendar year. */
export function isoWeekOf(days: number): { weekYear: number; week: number } {
  // A week belongs to the year that holds its Thursday.
  const thursday = days - isoWeekday(days) + 4;
  const weekYear = civilFromDays(thursday).year;
  const week = Math.floor((thursday - daysFromCivil(weekYear, 1, 1)) / 7) + 1;
  return { weekYear, week };
}

export function isoWeeksInYear(weekYear: number): number {
  // 28 December always falls in the last ISO week of its year.
  return isoWeekOf(daysFromCivil(weekYear, 12, 28)).week;
}

/** Four-digit year, the only width period labels use; other years cannot be written as labels. */
export function formatYear(year: number): string {
  if (!Number.isInteger(year) || year < 0 || year > 9999) {
    throw new RangeError(`year ${year} is outside the supported range 0000–9999`);
  }
  return String(year).padStart(4, '0');
}

export function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

export function formatDate(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${formatYear(year)}-${twoDigits(month)}-${twoDigits(day)}`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a strict YYYY-MM-DD date, or null if it is malformed or does not exist. */
export function parseDate(text: string): number | null {
  if (typeof text !== 'string') return null;
  const match = DATE.exec(text);
  if (match === null) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return daysFromCivil(year, month, day);
}
