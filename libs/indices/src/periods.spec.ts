// Checks period cutting against a slow Intl reference, at day, week-year, quarter and time-zone transition edges.

import {
  countPeriodsOverlapping,
  GRANULARITIES,
  type Granularity,
  isValidDate,
  isValidTimeZone,
  labelsOfDay,
  parsePeriod,
  PeriodCutter,
  periodRange,
  periodsOverlapping,
  previousPeriod,
  yearEarlier,
} from './periods.js';
// Seeded so that a failure is reproducible. Straight from its file: @minyi/testing's index loads the integration harness.
import { mulberry32 } from '../../testing/src/seeded-random.js';

const at = (iso: string): number => Date.parse(iso);

/**
 * The slow, obviously-right way: ask Intl for the local date of every instant and derive the ISO week with
 * Date objects (the week containing the date's Thursday, numbered from that Thursday's year).
 */
function referenceCutter(timeZone: string): (instantMs: number) => Record<Granularity, string> {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
  return (instantMs) => {
    const parts = Object.fromEntries(format.formatToParts(instantMs).map((part) => [part.type, part.value]));
    const year = Number(parts['year']);
    const month = Number(parts['month']);
    const day = Number(parts['day']);
    const thursday = new Date(Date.UTC(year, month - 1, day));
    thursday.setUTCDate(thursday.getUTCDate() + 4 - (thursday.getUTCDay() || 7));
    const weekYear = thursday.getUTCFullYear();
    const week = Math.ceil(((thursday.getTime() - Date.UTC(weekYear, 0, 1)) / 86_400_000 + 1) / 7);
    const pad = (value: number): string => String(value).padStart(2, '0');
    return {
      day: `${year}-${pad(month)}-${pad(day)}`,
      week: `${weekYear}-W${pad(week)}`,
      month: `${year}-${pad(month)}`,
      quarter: `${year}-Q${Math.ceil(month / 3)}`,
      year: String(year),
    };
  };
}

describe('PeriodCutter', () => {
  const shanghai = new PeriodCutter('Asia/Shanghai');

  it('when an instant is the last second of a Shanghai day, then it belongs to that day, and the next second to the next', () => {
    expect(shanghai.localDate(at('2026-10-20T15:59:59Z'))).toBe('2026-10-20');
    expect(shanghai.localDate(at('2026-10-20T15:59:59.999Z'))).toBe('2026-10-20');
    expect(shanghai.localDate(at('2026-10-20T16:00:00Z'))).toBe('2026-10-21');
  });

  it('when cutting an instant, then every granularity gets its label', () => {
    expect(shanghai.periodsOf(at('2026-10-21T03:00:00Z'))).toEqual({
      day: '2026-10-21',
      week: '2026-W43',
      month: '2026-10',
      quarter: '2026-Q4',
      year: '2026',
    });
    expect(GRANULARITIES.map((g) => shanghai.periodOf(at('2026-10-21T03:00:00Z'), g))).toEqual([
      '2026-10-21',
      '2026-W43',
      '2026-10',
      '2026-Q4',
      '2026',
    ]);
  });

  it('when a date is at the ISO week-year edge, then the week is labelled by week-year, the rest by calendar year', () => {
    expect(shanghai.periodsOf(at('2024-12-30T04:00:00Z'))).toEqual({
      day: '2024-12-30',
      week: '2025-W01',
      month: '2024-12',
      quarter: '2024-Q4',
      year: '2024',
    });
    expect(shanghai.periodOf(at('2021-01-03T04:00:00Z'), 'week')).toBe('2020-W53');
    expect(shanghai.periodOf(at('2021-01-03T04:00:00Z'), 'year')).toBe('2021');
    // 2027-01-01 is a Friday, so it is still in the 53rd week of 2026.
    expect(shanghai.periodOf(at('2026-12-31T16:00:00Z'), 'week')).toBe('2026-W53');
    expect(shanghai.periodOf(at('2027-01-03T15:59:59Z'), 'week')).toBe('2026-W53');
    expect(shanghai.periodOf(at('2027-01-03T16:00:00Z'), 'week')).toBe('2027-W01');
    expect(shanghai.periodOf(at('2026-01-04T04:00:00Z'), 'week')).toBe('2026-W01');
    expect(shanghai.periodOf(at('2026-01-05T04:00:00Z'), 'week')).toBe('2026-W02');
  });

  it('when local midnight starts a quarter or year, then the instant a second before is in the previous one', () => {
    expect(shanghai.periodOf(at('2026-03-31T15:59:59Z'), 'quarter')).toBe('2026-Q1');
    expect(shanghai.periodOf(at('2026-03-31T16:00:00Z'), 'quarter')).toBe('2026-Q2');
    expect(shanghai.periodOf(at('2026-06-30T16:00:00Z'), 'quarter')).toBe('2026-Q3');
    expect(shanghai.periodOf(at('2026-09-30T16:00:00Z'), 'quarter')).toBe('2026-Q4');
    expect(shanghai.periodsOf(at('2026-12-31T15:59:59Z'))).toMatchObject({ quarter: '2026-Q4', year: '2026' });
    expect(shanghai.periodsOf(at('2026-12-31T16:00:00Z'))).toMatchObject({
      day: '2027-01-01',
      month: '2027-01',
      quarter: '2027-Q1',
      year: '2027',
    });
  });

  it('when Berlin switches to and from summer time, then local midnight moves from 23:00 to 22:00 UTC and back', () => {
    const berlin = new PeriodCutter('Europe/Berlin');
    expect(berlin.localDate(at('2026-03-28T22:59:59Z'))).toBe('2026-03-28');
    expect(berlin.localDate(at('2026-03-28T23:00:00Z'))).toBe('2026-03-29');
    // The short day: 01:00 UTC jumps from 02:00 to 03:00 local without changing the date.
    expect(berlin.localDate(at('2026-03-29T00:59:59Z'))).toBe('2026-03-29');
    expect(berlin.localDate(at('2026-03-29T01:00:00Z'))).toBe('2026-03-29');
    expect(berlin.localDate(at('2026-03-29T21:59:59Z'))).toBe('2026-03-29');
    expect(berlin.localDate(at('2026-03-29T22:00:00Z'))).toBe('2026-03-30');
    // The long day starts at 22:00 UTC in summer time and ends at 23:00 UTC in winter time.
    expect(berlin.localDate(at('2026-10-24T21:59:59Z'))).toBe('2026-10-24');
    expect(berlin.localDate(at('2026-10-24T22:00:00Z'))).toBe('2026-10-25');
    expect(berlin.localDate(at('2026-10-25T22:59:59Z'))).toBe('2026-10-25');
    expect(berlin.localDate(at('2026-10-25T23:00:00Z'))).toBe('2026-10-26');
  });

  it('when a zone has a quarter-hour offset, then its days start at a quarter past', () => {
    const kathmandu = new PeriodCutter('Asia/Kathmandu'); // +05:45
    expect(kathmandu.localDate(at('2026-10-20T18:14:59Z'))).toBe('2026-10-20');
    expect(kathmandu.localDate(at('2026-10-20T18:15:00Z'))).toBe('2026-10-21');
    const chatham = new PeriodCutter('Pacific/Chatham'); // +13:45 in southern summer time
    expect(chatham.localDate(at('2026-10-20T10:14:59Z'))).toBe('2026-10-20');
    expect(chatham.localDate(at('2026-10-20T10:15:00Z'))).toBe('2026-10-21');
  });

  it('when Samoa skipped 30 December 2011, then the day before is followed directly by the day after', () => {
    const apia = new PeriodCutter('Pacific/Apia');
    expect(apia.localDate(at('2011-12-30T09:59:59Z'))).toBe('2011-12-29');
    expect(apia.localDate(at('2011-12-30T10:00:00Z'))).toBe('2011-12-31');
  });

  it('when a transition falls at an odd second, then the cut is exact to the second', () => {
    // Liberia moved from −00:44:30 to UTC at local midnight, i.e. at 00:44:30 UTC.
    const monrovia = new PeriodCutter('Africa/Monrovia');
    expect(monrovia.localDate(at('1972-01-07T00:44:29.999Z'))).toBe('1972-01-06');
    expect(monrovia.localDate(at('1972-01-07T00:44:30Z'))).toBe('1972-01-07');
    expect(monrovia.localDate(at('1972-01-06T00:44:29Z'))).toBe('1972-01-05');
    // Shanghai left its local mean time (+08:05:43) at LMT midnight by setting clocks back 5 min 43 s, so the
    // last minutes of 1900 happened twice and 1901 began only at 16:00 UTC.
    expect(shanghai.localDate(at('1900-12-31T15:54:16Z'))).toBe('1900-12-31');
    expect(shanghai.localDate(at('1900-12-31T15:54:17Z'))).toBe('1900-12-31');
    expect(shanghai.localDate(at('1900-12-31T15:59:59Z'))).toBe('1900-12-31');
    expect(shanghai.localDate(at('1900-12-31T16:00:00Z'))).toBe('1901-01-01');
  });

  it.each([
    'Asia/Shanghai',
    'Europe/Berlin',
    'America/New_York',
    'America/St_Johns',
    'Asia/Kathmandu',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'Pacific/Apia',
    'UTC',
  ])('when cutting 10,000 random instants in %s, then every label matches Intl', (timeZone) => {
    const cutter = new PeriodCutter(timeZone);
    const reference = referenceCutter(timeZone);
    const random = mulberry32(0x5eed ^ timeZone.length);
    const from = at('1970-01-01T00:00:00Z');
    const to = at('2100-01-01T00:00:00Z');
    for (let i = 0; i < 10_000; i += 1) {
      const instant = from + Math.floor(random() * (to - from));
      const expected = reference(instant);
      const actual = cutter.periodsOf(instant);
      if (GRANULARITIES.some((g) => actual[g] !== expected[g])) {
        throw new Error(`${new Date(instant).toISOString()}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`);
      }
    }
  });

  it.each(['Europe/Berlin', 'America/St_Johns', 'Australia/Lord_Howe'])(
    'when walking through 2026 in %s in uneven steps, then every transition day matches Intl',
    (timeZone) => {
      const cutter = new PeriodCutter(timeZone);
      const reference = referenceCutter(timeZone);
      // 7 min 13 s steps land on many different offsets from each 15-minute bucket boundary.
      for (let instant = at('2026-01-01T00:00:00Z'); instant < at('2027-01-01T00:00:00Z'); instant += 433_000) {
        const expected = reference(instant).day;
        const actual = cutter.localDate(instant);
        if (actual !== expected) throw new Error(`${new Date(instant).toISOString()}: ${actual} ≠ ${expected}`);
      }
    },
  );

  it('when many instants fall in one day, then the zone is consulted once per 15 minutes, not per instant', () => {
    const cutter = new PeriodCutter('Europe/Berlin');
    const formatToParts = jest.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    try {
      const start = at('2026-10-25T00:00:00Z'); // includes the autumn transition
      for (let i = 0; i < 100_000; i += 1) cutter.periodsOf(start + Math.floor((i * 86_400_000) / 100_000));
      // 97 bucket boundaries, plus a handful of probes for the bucket holding the transition.
      expect(formatToParts.mock.calls.length).toBeGreaterThan(90);
      expect(formatToParts.mock.calls.length).toBeLessThan(120);
    } finally {
      formatToParts.mockRestore();
    }
  });

  it.each(['Europe/Berlin', 'America/Sao_Paulo', 'Asia/Shanghai', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Apia', 'UTC'])(
    'when a zone is given as offset segments (for a rebuild in the database), then every instant falls on the day the cutter gives it, in %s',
    (timeZone) => {
      const cutter = new PeriodCutter(timeZone);
      const from = at('1990-01-01T00:00:00Z');
      const to = at('2028-01-01T00:00:00Z');
      const segments = cutter.offsetSegments(from, to);
      expect(segments[0].fromMs).toBe(from);
      segments.slice(1).forEach((s, i) => {
        expect(s.fromMs).toBeGreaterThan(segments[i].fromMs);
        expect(s.offsetMs).not.toBe(segments[i].offsetMs);
      });
      const dayOf = (instant: number) => {
        let i = segments.length - 1;
        while (segments[i].fromMs > instant) i -= 1;
        return Math.floor((instant + segments[i].offsetMs) / 86_400_000);
      };
      const check = (instant: number) => {
        const expected = cutter.localDate(instant);
        const actual = labelsOfDay(dayOf(instant)).day;
        if (actual !== expected) throw new Error(`${timeZone} ${new Date(instant).toISOString()}: ${actual} ≠ ${expected}`);
      };
      // Each segment's edges (a second either side) and random instants in between.
      for (const s of segments) for (const d of [-1000, -1, 0, 1, 1000]) if (s.fromMs + d >= from && s.fromMs + d < to) check(s.fromMs + d);
      const random = mulberry32(0xda7e ^ timeZone.length);
      for (let i = 0; i < 20_000; i += 1) check(from + Math.floor(random() * (to - from)));
    },
  );

  it('when a zone keeps one offset over the range, then it is one segment', () => {
    expect(new PeriodCutter('Asia/Shanghai').offsetSegments(at('2000-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'))).toEqual([
      { fromMs: at('2000-01-01T00:00:00Z'), offsetMs: 8 * 3_600_000 },
    ]);
    // Berlin: CET, then CEST from 2026-03-29 01:00 UTC, then CET from 2026-10-25 01:00 UTC.
    expect(new PeriodCutter('Europe/Berlin').offsetSegments(at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'))).toEqual([
      { fromMs: at('2026-01-01T00:00:00Z'), offsetMs: 3_600_000 },
      { fromMs: at('2026-03-29T01:00:00Z'), offsetMs: 7_200_000 },
      { fromMs: at('2026-10-25T01:00:00Z'), offsetMs: 3_600_000 },
    ]);
  });

  it('when labels are handed out, then they are frozen because they are shared between calls', () => {
    const labels = shanghai.periodsOf(at('2026-10-21T03:00:00Z'));
    expect(Object.isFrozen(labels)).toBe(true);
    expect(shanghai.periodsOf(at('2026-10-21T05:00:00Z'))).toBe(labels);
  });

  it('when the zone or instant is invalid, then it refuses them', () => {
    expect(() => new PeriodCutter('Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => shanghai.periodsOf(Number.NaN)).toThrow(RangeError);
    expect(() => shanghai.periodOf(0, 'fortnight' as Granularity)).toThrow(RangeError);
  });

  it('when given a zone in other letter case, then it works and reports the canonical name', () => {
    const cutter = new PeriodCutter('asia/shanghai');
    expect(cutter.timeZone).toBe('Asia/Shanghai');
    expect(cutter.localDate(at('2026-10-20T16:00:00Z'))).toBe('2026-10-21');
  });
});

describe('isValidTimeZone', () => {
  it('when given IANA names, then they are valid, and anything else is not', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone(undefined as unknown as string)).toBe(false);
  });
});

describe('isValidDate', () => {
  it('when a string is a real date in strict YYYY-MM-DD, then it is valid', () => {
    expect(isValidDate('2026-10-21')).toBe(true);
    expect(isValidDate('2024-02-29')).toBe(true);
    expect(isValidDate('2000-02-29')).toBe(true);
  });

  it('when a string is malformed or names a date that does not exist, then it is invalid', () => {
    for (const bad of ['2026-02-29', '1900-02-29', '2026-02-30', '2026-04-31', '2026-13-01', '2026-10-21T00:00', '20261021', '2026-10-2', 'x']) {
      expect(isValidDate(bad)).toBe(false);
    }
  });
});

describe('parsePeriod', () => {
  it.each<[string, Granularity, string]>([
    ['2026-10-21', 'day', '2026-10-21'],
    ['2026-W43', 'week', '2026-W43'],
    ['2026-w43', 'week', '2026-W43'],
    ['2026-W53', 'week', '2026-W53'],
    ['2020-W53', 'week', '2020-W53'],
    ['2026-W01', 'week', '2026-W01'],
    ['2026-10', 'month', '2026-10'],
    ['2026-Q4', 'quarter', '2026-Q4'],
    ['2026-q1', 'quarter', '2026-Q1'],
    ['2026', 'year', '2026'],
  ])('when %s is a real %s, then it is returned as %s', (label, g, expected) => {
    expect(parsePeriod(label, g)).toBe(expected);
  });

  it.each<[string, Granularity]>([
    ['2026-W54', 'week'],
    ['2026-W00', 'week'],
    ['2025-W53', 'week'], // 2025 has only 52 ISO weeks
    ['2021-W53', 'week'],
    ['2026-W5', 'week'],
    ['2026W43', 'week'],
    ['2026-13', 'month'],
    ['2026-00', 'month'],
    ['2026-1', 'month'],
    ['2026-02-30', 'day'],
    ['2025-02-29', 'day'],
    ['2026-Q5', 'quarter'],
    ['2026-Q0', 'quarter'],
    ['26', 'year'],
    [' 2026', 'year'],
    ['2026-10-21', 'month'],
    ['2026-10', 'day'],
    ['2026-W43', 'month'],
  ])('when %s is given as a %s, then it is rejected', (label, g) => {
    expect(parsePeriod(label, g)).toBeNull();
  });
});

describe('periodsOverlapping', () => {
  it('when a date range starts on a Thursday and ends on a Monday, then both partial weeks are included', () => {
    expect(periodsOverlapping('2026-01-01', '2026-01-05', 'week')).toEqual(['2026-W01', '2026-W02']);
  });

  it('when a date range touches three months at single days, then all three months are included', () => {
    expect(periodsOverlapping('2026-01-31', '2026-03-01', 'month')).toEqual(['2026-01', '2026-02', '2026-03']);
  });

  it('when a range crosses a 53-week year end, then the weeks run through W53 into the new week-year', () => {
    expect(periodsOverlapping('2020-12-27', '2021-01-11', 'week')).toEqual([
      '2020-W52',
      '2020-W53',
      '2021-W01',
      '2021-W02',
    ]);
  });

  it('when listing days, quarters and years, then each period appears once, oldest first', () => {
    expect(periodsOverlapping('2024-02-28', '2024-03-01', 'day')).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(periodsOverlapping('2025-12-31', '2026-04-01', 'quarter')).toEqual(['2025-Q4', '2026-Q1', '2026-Q2']);
    expect(periodsOverlapping('2024-01-01', '2026-12-31', 'year')).toEqual(['2024', '2025', '2026']);
  });

  it('when the range is a single day, then exactly its period is returned', () => {
    for (const g of GRANULARITIES) {
      expect(periodsOverlapping('2026-10-21', '2026-10-21', g)).toEqual([
        { day: '2026-10-21', week: '2026-W43', month: '2026-10', quarter: '2026-Q4', year: '2026' }[g],
      ]);
    }
  });

  it('when from is after to, then no period overlaps', () => {
    expect(periodsOverlapping('2026-10-22', '2026-10-21', 'day')).toEqual([]);
  });

  it('when a date is malformed, then it refuses it', () => {
    expect(() => periodsOverlapping('2026-02-30', '2026-03-01', 'day')).toThrow(RangeError);
    expect(() => periodsOverlapping('2026-02-01', '2026-3-1', 'day')).toThrow(RangeError);
  });
});

describe('countPeriodsOverlapping', () => {
  const day = (days: number): string => new Date(days * 86_400_000).toISOString().slice(0, 10);
  const daysOf = (date: string): number => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

  it('when ranges are drawn at random (1900–9999, up to three years long), then the count is the length of the enumeration', () => {
    const random = mulberry32(20261123);
    const first = daysOf('1900-01-01');
    const last = daysOf('9996-12-31');
    for (let i = 0; i < 400; i++) {
      const from = first + Math.floor(random() * (last - first));
      const to = from + Math.floor(random() * 3 * 366);
      for (const g of GRANULARITIES) {
        expect([day(from), day(to), g, countPeriodsOverlapping(day(from), day(to), g)]).toEqual([day(from), day(to), g, periodsOverlapping(day(from), day(to), g).length]);
      }
    }
  });

  it('when a range starts or ends on the days around an ISO week-year edge, then the count is the length of the enumeration', () => {
    // 28 December to 4 January holds every way a week-year can begin; 2020 and 2026 have 53 weeks.
    for (const year of [1900, 1999, 2004, 2015, 2020, 2021, 2025, 2026, 2027, 9997]) {
      const edge = Array.from({ length: 8 }, (_, k) => day(daysOf(`${year}-12-28`) + k));
      for (const from of edge) {
        for (const to of [...edge, day(daysOf(from) + 364), day(daysOf(from) + 371)]) {
          for (const g of GRANULARITIES) expect([from, to, g, countPeriodsOverlapping(from, to, g)]).toEqual([from, to, g, periodsOverlapping(from, to, g).length]);
        }
      }
    }
  });

  it('when the range is every date the API can name (0000-01-01 to 9999-12-31), then the counts come from the ends alone', () => {
    // 10,000 years of 365 days plus 2,425 leap days. Weeks: 0000-01-01 is a Saturday and 9999-12-31 a Friday,
    // so the weeks run from the Monday 5 days before to the Sunday 2 days after: (3,652,425 + 7) / 7.
    // (Enumerating them would build 3.6 million labels; year 0's first days even lie in a week of year −1.)
    expect(GRANULARITIES.map((g) => countPeriodsOverlapping('0000-01-01', '9999-12-31', g))).toEqual([3_652_425, 521_776, 120_000, 40_000, 10_000]);
  });

  it('when from is after to, then the count is 0; a malformed date is refused', () => {
    for (const g of GRANULARITIES) expect(countPeriodsOverlapping('2026-10-22', '2026-10-21', g)).toBe(0);
    expect(() => countPeriodsOverlapping('2026-02-30', '2026-03-01', 'day')).toThrow(RangeError);
    expect(() => countPeriodsOverlapping('2026-02-01', '2026-3-1', 'week')).toThrow(RangeError);
  });
});

describe('previousPeriod', () => {
  it.each<[string, Granularity, string]>([
    ['2026-03-01', 'day', '2026-02-28'],
    ['2024-03-01', 'day', '2024-02-29'],
    ['2026-01-01', 'day', '2025-12-31'],
    ['2026-W43', 'week', '2026-W42'],
    ['2021-W01', 'week', '2020-W53'],
    ['2026-W01', 'week', '2025-W52'],
    ['2027-W01', 'week', '2026-W53'],
    ['2026-01', 'month', '2025-12'],
    ['2026-03', 'month', '2026-02'],
    ['2026-Q1', 'quarter', '2025-Q4'],
    ['2026-Q3', 'quarter', '2026-Q2'],
    ['2026', 'year', '2025'],
  ])('when the period is %s (%s), then the one before is %s', (label, g, expected) => {
    expect(previousPeriod(label, g)).toBe(expected);
  });

  it('when the label is malformed, then it refuses it', () => {
    expect(() => previousPeriod('2025-W53', 'week')).toThrow(RangeError);
  });
});

describe('yearEarlier', () => {
  it.each<[string, Granularity, string | null]>([
    ['2026-10-21', 'day', '2025-10-21'],
    ['2024-02-29', 'day', '2023-02-28'],
    ['2025-03-01', 'day', '2024-03-01'],
    ['2025-02-28', 'day', '2024-02-28'],
    ['2026-W43', 'week', '2025-W43'],
    ['2021-W01', 'week', '2020-W01'],
    ['2025-W52', 'week', '2024-W52'],
    ['2026-W53', 'week', null], // 2025 has 52 weeks
    ['2020-W53', 'week', null], // 2019 has 52 weeks
    ['2026-01', 'month', '2025-01'],
    ['2026-Q1', 'quarter', '2025-Q1'],
    ['2026', 'year', '2025'],
  ])('when the period is %s (%s), then a year earlier is %s', (label, g, expected) => {
    expect(yearEarlier(label, g)).toBe(expected);
  });

  it('when the label is malformed, then it refuses it', () => {
    expect(() => yearEarlier('2026-13', 'month')).toThrow(RangeError);
  });
});

describe('periodRange', () => {
  it.each<[string, Granularity, string, string]>([
    ['2026-10-21', 'day', '2026-10-21', '2026-10-21'],
    ['2026-W01', 'week', '2025-12-29', '2026-01-04'],
    ['2020-W53', 'week', '2020-12-28', '2021-01-03'],
    ['2026-W43', 'week', '2026-10-19', '2026-10-25'],
    ['2024-02', 'month', '2024-02-01', '2024-02-29'],
    ['2026-02', 'month', '2026-02-01', '2026-02-28'],
    ['2026-04', 'month', '2026-04-01', '2026-04-30'],
    ['2026-Q1', 'quarter', '2026-01-01', '2026-03-31'],
    ['2026-Q2', 'quarter', '2026-04-01', '2026-06-30'],
    ['2026-Q3', 'quarter', '2026-07-01', '2026-09-30'],
    ['2026-Q4', 'quarter', '2026-10-01', '2026-12-31'],
    ['2026', 'year', '2026-01-01', '2026-12-31'],
  ])('when the period is %s (%s), then it runs from %s to %s', (label, g, first, last) => {
    expect(periodRange(label, g)).toEqual({ first, last });
  });

  it('when walking 2019–2028 period by period, then the ranges tile the days and agree with the other functions', () => {
    const reference = referenceCutter('UTC');
    const dayAfter = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    for (const g of GRANULARITIES) {
      let label = reference(Date.parse('2019-01-07T00:00:00Z'))[g];
      let previous: string | null = null;
      while (label < reference(Date.parse('2028-12-31T00:00:00Z'))[g]) {
        const { first, last } = periodRange(label, g);
        if (previous !== null) expect(previousPeriod(label, g)).toBe(previous);
        expect(reference(Date.parse(`${first}T00:00:00Z`))[g]).toBe(label);
        expect(reference(Date.parse(`${last}T00:00:00Z`))[g]).toBe(label);
        expect(periodsOverlapping(first, last, g)).toEqual([label]);
        previous = label;
        label = reference(Date.parse(`${dayAfter(last)}T00:00:00Z`))[g];
      }
    }
  });
});
