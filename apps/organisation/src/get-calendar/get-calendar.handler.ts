// Reads one year's working-day calendar from its stream: empty lists when it was never set.
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { streamIds } from '@minyi/contracts';
import { EventStore, foldStream } from '@minyi/event-store';
import { calendarDecider } from '../domain/calendar.decider.js';
import type { CalendarYear } from '../set-calendar/set-calendar.handler.js';

export class GetCalendar {
  constructor(readonly year: number) {}
}

@QueryHandler(GetCalendar)
export class GetCalendarHandler implements IQueryHandler<GetCalendar, CalendarYear> {
  constructor(private readonly store: EventStore) {}

  async execute({ year }: GetCalendar): Promise<CalendarYear> {
    const state = foldStream(calendarDecider, await this.store.readStream(streamIds.calendar(year)));
    return { year, holidays: state.holidays, workdays: state.workdays };
  }
}
