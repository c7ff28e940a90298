// Checks the integer calendar arithmetic against Date and known ISO week facts.

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
  isLeapYear,
  parseDate,
} from './calendar.js';

const MS_PER_DAY = 86_400_000;

describe('calendar', () => {
  it('when converting known dates, then the day numbers count from 1970-01-01', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(1969, 12, 31)).toBe(-1);
    expect(daysFromCivil(2000, 3, 1)).toBe(11017);
    expect(daysFromCivil(2026, 10, 21)).toBe(Date.UTC(2026, 9, 21) / MS_PER_DAY);
    expect(civilFromDays(11016)).toEqual({ year: 2000, month: 2, day: 29 });
  });

  it('when walking every day from 1600 to 2400, then it agrees with Date in both directions', () => {
    const first = Date.UTC(1600, 0, 1) / MS_PER_DAY;
    const last = Date.UTC(2400, 11, 31) / MS_PER_DAY;
    for (let days = first; days <= last; days += 1) {
      const date = new Date(days * MS_PER_DAY);
      const civil = civilFromDays(days);
      if (
        civil.year !== date.getUTCFullYear() ||
        civil.month !== date.getUTCMonth() + 1 ||
        civil.day !== date.getUTCDate() ||
        daysFromCivil(civil.year, civil.month, civil.day) !== days
      ) {
        throw new Error(`mismatch on ${date.toISOString()}: ${JSON.stringify(civil)}`);
      }
    }
  });

  it('when a year is 0–99, then it is not mistaken for 1900–1999 as Date.UTC would', () => {
    expect(formatDate(daysFromCivil(99, 12, 31))).toBe('0099-12-31');
    expect(civilFromDays(daysFromCivil(4, 2, 29))).toEqual({ year: 4, month: 2, day: 29 });
  });

  it('when asking leap years and month lengths, then the Gregorian century rules apply', () => {
    expect([1900, 2000, 2024, 2026, 2100].map(isLeapYear)).toEqual([false, true, true, false, false]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2026, 4)).toBe(30);
    expect(daysInMonth(2026, 12)).toBe(31);
  });

  it('when asking weekdays, then Monday is 1 and Sunday is 7, also before 1970', () => {
    expect(isoWeekday(daysFromCivil(1970, 1, 1))).toBe(4); // Thursday
    expect(isoWeekday(daysFromCivil(2026, 10, 19))).toBe(1); // Monday
    expect(isoWeekday(daysFromCivil(2026, 10, 25))).toBe(7); // Sunday
    expect(isoWeekday(daysFromCivil(1969, 12, 28))).toBe(7); // Sunday
  });

  it('when a date is near New Year, then its ISO week-year can differ from its calendar year', () => {
    expect(isoWeekOf(daysFromCivil(2024, 12, 30))).toEqual({ weekYear: 2025, week: 1 });
    expect(isoWeekOf(daysFromCivil(2021, 1, 3))).toEqual({ weekYear: 2020, week: 53 });
    expect(isoWeekOf(daysFromCivil(2021, 1, 4))).toEqual({ weekYear: 2021, week: 1 });
    expect(isoWeekOf(daysFromCivil(2027, 1, 1))).toEqual({ weekYear: 2026, week: 53 });
    expect(isoWeekOf(daysFromCivil(2026, 10, 21))).toEqual({ weekYear: 2026, week: 43 });
  });

  it('when a year starts on Thursday, or is a leap year starting on Wednesday, then it has 53 ISO weeks', () => {
    // 2015, 2020 (leap, Wednesday), 2026 and 2032 (leap, Thursday) have 53; their neighbours have 52.
    expect([2015, 2020, 2026, 2032].map(isoWeeksInYear)).toEqual([53, 53, 53, 53]);
    expect([2019, 2021, 2024, 2025, 2027].map(isoWeeksInYear)).toEqual([52, 52, 52, 52, 52]);
  });

  it('when asking where a week starts, then it is the Monday of that week', () => {
    expect(formatDate(isoWeekStart(2026, 1))).toBe('2025-12-29');
    expect(formatDate(isoWeekStart(2020, 53))).toBe('2020-12-28');
    expect(formatDate(isoWeekStart(2026, 43))).toBe('2026-10-19');
  });

  it('when parsing dates, then only strict YYYY-MM-DD dates that exist are accepted', () => {
    expect(parseDate('2024-02-29')).toBe(daysFromCivil(2024, 2, 29));
    for (const bad of ['2023-02-29', '2026-02-30', '2026-13-01', '2026-00-10', '2026-04-31', '2026-1-01', '2026-01-1', ' 2026-01-01', '2026/01/01', '']) {
      expect(parseDate(bad)).toBeNull();
    }
  });

  it('when a year has fewer or more than four digits, then it cannot be formatted as a label', () => {
    expect(formatYear(7)).toBe('0007');
    expect(() => formatYear(10000)).toThrow(RangeError);
    expect(() => formatYear(-1)).toThrow(RangeError);
  });
});
