// Working days and deadlines, against an independent reckoning (Date for weekdays, Intl scanned minute by
// minute for the start of a local day) on fixed and random cases.
import { PeriodCutter } from './periods.js';
import { calendarYearsFor, deadlineAfter, formatLocalInstant, isWorkingDay, nthWorkingDayAfter, startOfLocalDay } from './working-days.js';
import { parseDate, formatDate } from './calendar.js';

// The State Council's 2026 notice, abridged: National Day 1–7 October off, Sunday 27 September and Saturday 10 October worked.
const CAL = { holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'], workdays: ['2026-09-27', '2026-10-10'] };

function referenceNth(date: string, n: number, cal: { holidays: string[]; workdays: string[] }): string {
  const d = new Date(`${date}T00:00:00Z`);
  let found = 0;
  for (;;) {
    d.setUTCDate(d.getUTCDate() + 1);
    const iso = d.toISOString().slice(0, 10);
    const weekday = d.getUTCDay(); // 0 Sunday … 6 Saturday
    const working = cal.workdays.includes(iso) || (!cal.holidays.includes(iso) && weekday >= 1 && weekday <= 5);
    if (working && ++found === n) return iso;
  }
}

function localDateOf(ms: number, tz: string): string {
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
  return p;
}

/** The first minute whose local date is `date` (transitions in these zones fall on whole minutes). */
function referenceStartOfDay(date: string, tz: string): number {
  const nominal = Date.parse(`${date}T00:00:00Z`);
  for (let t = nominal - 20 * 3_600_000; t < nominal + 20 * 3_600_000; t += 60_000) {
    if (localDateOf(t, tz) === date) return t;
  }
  throw new Error('not found');
}

describe('working days', () => {
  it('when a day is a weekday, a holiday or a make-up day, then it is working exactly as the calendar says', () => {
    expect(isWorkingDay(parseDate('2026-09-25')!, CAL)).toBe(true); // Friday
    expect(isWorkingDay(parseDate('2026-09-26')!, CAL)).toBe(false); // Saturday
    expect(isWorkingDay(parseDate('2026-09-27')!, CAL)).toBe(true); // make-up Sunday
    expect(isWorkingDay(parseDate('2026-10-01')!, CAL)).toBe(false); // holiday Thursday
    expect(isWorkingDay(parseDate('2026-10-10')!, CAL)).toBe(true); // make-up Saturday
  });

  it('when counting from a Friday, then the day itself never counts and the weekend is skipped', () => {
    expect(formatDate(nthWorkingDayAfter('2026-12-04', 1, { holidays: [], workdays: [] }))).toBe('2026-12-07');
    expect(formatDate(nthWorkingDayAfter('2026-12-07', 1, { holidays: [], workdays: [] }))).toBe('2026-12-08');
  });

  it('when counting across National Day, then holidays are skipped and make-up days count', () => {
    expect(formatDate(nthWorkingDayAfter('2026-09-25', 1, CAL))).toBe('2026-09-27');
    expect(formatDate(nthWorkingDayAfter('2026-09-25', 3, CAL))).toBe('2026-09-29');
    expect(formatDate(nthWorkingDayAfter('2026-09-30', 1, CAL))).toBe('2026-10-08');
    expect(formatDate(nthWorkingDayAfter('2026-09-30', 3, CAL))).toBe('2026-10-10');
  });

  it('when counting from random dates over random calendars, then the result is the reference reckoning', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 300; i++) {
      const start = formatDate(parseDate('2025-01-01')! + Math.floor(random() * 800));
      const cal = { holidays: [] as string[], workdays: [] as string[] };
      for (let k = 0; k < 20; k++) {
        const d = formatDate(parseDate(start)! + Math.floor(random() * 60));
        if (random() < 0.7) cal.holidays.push(d);
        else if (!cal.holidays.includes(d)) cal.workdays.push(d);
      }
      const n = 1 + Math.floor(random() * 60);
      expect(formatDate(nthWorkingDayAfter(start, n, cal))).toBe(referenceNth(start, n, cal));
    }
  });

  it('when asked for no working days, then it refuses', () => {
    expect(() => nthWorkingDayAfter('2026-12-01', 0, CAL)).toThrow(RangeError);
  });
});

describe('deadlines', () => {
  const shanghai = new PeriodCutter('Asia/Shanghai');

  it('when a step on Friday 10:00 in Shanghai sets 1 working day, then the deadline is Tuesday 00:00 +08:00', () => {
    const t = Date.parse('2026-12-04T10:00:00+08:00');
    expect(deadlineAfter(t, 1, shanghai, { holidays: [], workdays: [] })).toEqual({ dueAt: '2026-12-08T00:00:00+08:00', dueMs: Date.parse('2026-12-08T00:00:00+08:00') });
  });

  it('when the step is late at night UTC but already the next local day, then D is the local date', () => {
    const t = Date.parse('2026-12-03T17:30:00Z'); // 01:30 on Friday 4 December in Shanghai
    expect(deadlineAfter(t, 1, shanghai, { holidays: [], workdays: [] }).dueAt).toBe('2026-12-08T00:00:00+08:00');
  });

  it('when a 15-day deadline crosses National Day, then it is the end of the 15th working day', () => {
    const t = Date.parse('2026-09-28T09:00:00+08:00');
    const last = referenceNth('2026-09-28', 15, CAL);
    const next = formatDate(parseDate(last)! + 1);
    expect(deadlineAfter(t, 15, shanghai, CAL).dueAt).toBe(`${next}T00:00:00+08:00`);
  });

  it.each([
    ['Europe/Berlin', '2026-03-29'],
    ['Europe/Berlin', '2026-10-25'],
    ['America/Santiago', '2026-09-06'], // Chile skips midnight: the day begins at 01:00
    ['America/Havana', '2026-03-08'],
    ['Asia/Shanghai', '2026-12-01'],
    ['Australia/Lord_Howe', '2026-10-04'],
  ])('when a day starts in %s on %s, then its first instant and offset are those Intl shows', (tz, date) => {
    const cutter = new PeriodCutter(tz);
    const start = startOfLocalDay(parseDate(date)!, cutter);
    const expected = referenceStartOfDay(date, tz);
    expect(start.instantMs).toBe(expected);
    expect(localDateOf(start.instantMs, tz)).toBe(date);
    expect(localDateOf(start.instantMs - 1, tz)).not.toBe(date);
    // The written form names the same instant.
    expect(Date.parse(formatLocalInstant(start.instantMs, start.offsetMs))).toBe(expected);
  });

  it('when a deadline of up to 60 working days is set, then the years it may need are listed', () => {
    expect(calendarYearsFor('2026-06-01', 60)).toEqual([2026]);
    expect(calendarYearsFor('2026-11-20', 60)).toEqual([2026, 2027]);
    expect(calendarYearsFor('2026-12-31', 1)).toEqual([2026, 2027]);
  });
});
