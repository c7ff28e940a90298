// The working-day calendar as deadlines read it: the CalendarYearSet streams of the years a deadline may reach,
// read in one query when the step is taken. The dueAt computed is stored in the step's event, so a later change
// of the calendar never moves it (API.md "The working-day calendar").
import { Inject, Injectable } from '@nestjs/common';
import { CalendarYearSet, streamIds, type CalendarYearSetV1 } from '@minyi/contracts';
import { EventStore } from '@minyi/event-store';
import { calendarYearsFor, deadlineAfter, PeriodCutter, type WorkingCalendar } from '@minyi/indices';
import { CONFIG, type MinyiConfig } from '@minyi/platform';

export interface Deadline {
  /** The end of the N-th working day after the local date of the step, as local time with its offset. */
  dueAt: string;
  dueMs: number;
}

@Injectable()
export class WorkingCalendars {
  /** MINYI_TZ: the zone whose local dates the working days are. */
  readonly cutter: PeriodCutter;

  /** `config`: the process's configuration, or just `{ timeZone }` (a reactor builds one from its deps). */
  constructor(
    private readonly store: EventStore,
    @Inject(CONFIG) config: Pick<MinyiConfig, 'timeZone'>,
  ) {
    this.cutter = new PeriodCutter(config.timeZone);
  }

  /** The lists of these years, merged (a year never set adds nothing: Monday to Friday). One query. */
  async of(years: readonly number[]): Promise<WorkingCalendar> {
    const streams = await this.store.readStreams(years.map((y) => streamIds.calendar(y)));
    const holidays = new Set<string>();
    const workdays = new Set<string>();
    for (const events of streams.values()) {
      // Each CalendarYearSet replaces its year's lists whole: the latest is the year's calendar.
      const latest = events.filter((e) => e.type === CalendarYearSet.type).at(-1);
      if (!latest) continue;
      const data = latest.data as CalendarYearSetV1;
      for (const d of data.holidays) holidays.add(d);
      for (const d of data.workdays) workdays.add(d);
    }
    return { holidays, workdays };
  }

  /** The deadlines of several steps, from one read of the years they may reach (a reactor's window of them). */
  async deadlinesAfter(steps: readonly { at: Date; workingDays: number }[]): Promise<Deadline[]> {
    const years = new Set<number>();
    for (const s of steps) for (const y of calendarYearsFor(this.cutter.localDate(s.at.getTime()), s.workingDays)) years.add(y);
    const calendar = await this.of([...years].sort((a, b) => a - b));
    return steps.map((s) => deadlineAfter(s.at.getTime(), s.workingDays, this.cutter, calendar));
  }

  /** The deadline of `workingDays` working days set at `at` (API.md "A deadline of N working days"). */
  async deadlineAfter(at: Date, workingDays: number): Promise<Deadline> {
    return (await this.deadlinesAfter([{ at, workingDays }]))[0];
  }
}
