// Deadlines read the calendar streams of every year they may reach (real PostgreSQL): the latest CalendarYearSet of
// each year counts, a year never set is Monday to Friday, and a deadline across New Year uses both years' lists.
import { CalendarYearSet, streamIds } from '@minyi/contracts';
import { useTestStore, type TestStore } from '@minyi/testing';
import { WorkingCalendars } from './working-calendars';

let t: TestStore;
useTestStore((s) => (t = s));

async function setYear(year: number, holidays: string[], workdays: string[]): Promise<void> {
  const version = await t.store.streamVersion(streamIds.calendar(year));
  await t.store.append(streamIds.calendar(year), version, [
    { type: CalendarYearSet.type, version: 1, data: { year, holidays, workdays }, occurredAt: new Date(), unitId: null, metadata: { actor: 'admin', correlationId: 'test', causationId: null } },
  ]);
}

// Independent of libs/indices: Shanghai is UTC+8 all year; count working days after the local date, end of the N-th.
const DAY = 86_400_000;
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
function expected(localDate: string, n: number, holidays: string[], workdays: string[]): string {
  let day = localDate;
  for (let found = 0; found < n; ) {
    day = addDays(day, 1);
    const wd = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (workdays.includes(day) || (!holidays.includes(day) && wd >= 1 && wd <= 5)) found++;
  }
  return `${addDays(day, 1)}T00:00:00+08:00`;
}

describe('WorkingCalendars', () => {
  it('when a deadline crosses New Year, then both years’ lists count, each year’s latest set only', async () => {
    await setYear(2026, ['2026-12-25'], []);
    await setYear(2026, ['2026-12-28', '2026-12-31'], ['2026-12-27']); // replaces the first
    await setYear(2027, ['2027-01-01', '2027-01-04', '2027-01-05'], ['2027-01-09']);
    const calendars = new WorkingCalendars(t.store, { timeZone: 'Asia/Shanghai' });
    // 23:30 on 20 December in Shanghai is 15:30 UTC: the local date is the 20th.
    const at = new Date('2026-12-20T15:30:00Z');
    const holidays = ['2026-12-28', '2026-12-31', '2027-01-01', '2027-01-04', '2027-01-05'];
    const workdays = ['2026-12-27', '2027-01-09'];
    const due = await calendars.deadlineAfter(at, 15);
    expect(due.dueAt).toBe(expected('2026-12-20', 15, holidays, workdays));
    expect(due.dueMs).toBe(Date.parse(due.dueAt));
    // The replaced set's 25 December (a Friday) would have moved it: only the latest set counts.
    expect(expected('2026-12-20', 15, holidays, workdays)).not.toBe(expected('2026-12-20', 15, [...holidays, '2026-12-25'], workdays));
  });

  it('when no year was set, then Monday to Friday count', async () => {
    const calendars = new WorkingCalendars(t.store, { timeZone: 'Asia/Shanghai' });
    expect((await calendars.deadlineAfter(new Date('2026-11-02T01:00:00Z'), 5)).dueAt).toBe('2026-11-10T00:00:00+08:00');
    expect(await calendars.of([2025, 2026])).toEqual({ holidays: new Set(), workdays: new Set() });
  });

  it('when MINYI_TZ is another zone, then the local date and the offset are that zone’s', async () => {
    const calendars = new WorkingCalendars(t.store, { timeZone: 'America/New_York' });
    // Friday 2026-10-30 22:00 in New York (02:00 UTC Saturday); 2 working days: Mon 2, Tue 3 → end of Tuesday, EST.
    expect((await calendars.deadlineAfter(new Date('2026-10-31T02:00:00Z'), 2)).dueAt).toBe('2026-11-04T00:00:00-05:00');
  });
});
