// Sets one year's working-day calendar: its lists replace the year's old ones whole (the same lists again record
// nothing). Deadlines set before keep their dueAt: each step stored the one it computed.
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streamIds } from '@minyi/contracts';
import { EventStore, handleCommand } from '@minyi/event-store';
import { calendarDecider, type CalendarYearState } from '../domain/calendar.decider.js';
import type { SetCalendarBody } from './set-calendar.schema.js';

export class SetCalendar {
  constructor(
    readonly year: number,
    readonly body: SetCalendarBody,
    readonly actor: string,
    readonly correlationId: string,
  ) {}
}

export interface CalendarYear extends CalendarYearState {
  year: number;
}

@CommandHandler(SetCalendar)
export class SetCalendarHandler implements ICommandHandler<SetCalendar, CalendarYear> {
  constructor(private readonly store: EventStore) {}

  async execute({ year, body, actor, correlationId }: SetCalendar): Promise<CalendarYear> {
    const r = await handleCommand(
      this.store,
      streamIds.calendar(year),
      calendarDecider,
      { type: 'SetCalendarYear', year, holidays: body.holidays, workdays: body.workdays },
      { actor, correlationId, now: new Date() },
    );
    return { year, holidays: r.state.holidays, workdays: r.state.workdays };
  }
}
