// PUT /v1/calendar/{year}: the administrator sets a year's holidays and make-up working days.
import { Body, Controller, HttpCode, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { actorOf, Allow, BodyLimit, CorrelationId, CurrentPrincipal, KiB, SchemaPipe, type Principal } from '@minyi/platform';
import { calendarYearOf } from '../domain/calendar.decider.js';
import { SetCalendar, type CalendarYear } from './set-calendar.handler.js';
import { setCalendarSchema, type SetCalendarBody } from './set-calendar.schema.js';

@ApiTags('calendar')
@ApiBearerAuth()
@Controller('v1/calendar')
export class SetCalendarController {
  constructor(private readonly commands: CommandBus) {}

  @Put(':year')
  @HttpCode(200)
  @Allow('admin')
  @BodyLimit(64 * KiB, 'two lists of at most 366 dates each, every character sent as a \\uXXXX escape, are about 47 KB')
  @ApiOperation({
    summary: 'Set a year’s working-day calendar: holidays and make-up working days (调休)',
    description:
      'Working days are Monday to Friday, except the holidays, plus the make-up working days. The lists replace the ' +
      'year’s old ones whole; they are sets of dates, answered and kept sorted, each date once (a date sent twice counts ' +
      'once). Every date must lie in the year and none may be in both lists (400 naming it, e.g. `holidays.3`). The same ' +
      'lists again record nothing. Deadlines set earlier keep their dueAt; steps taken from now on count with the new lists.',
  })
  @ApiParam({ name: 'year', description: '1900–9999', example: '2026' })
  @ApiBody({ schema: setCalendarSchema.schema })
  @ApiResponse({ status: 200, description: '{ year, holidays, workdays }: the year’s lists as now kept' })
  @ApiResponse({ status: 400, description: 'a malformed year or body, a date not in the year or not a date, a date in both lists' })
  set(
    @Param('year') year: string,
    @Body(new SchemaPipe(setCalendarSchema)) body: SetCalendarBody,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string,
  ): Promise<CalendarYear> {
    return this.commands.execute(new SetCalendar(calendarYearOf(year), body, actorOf(principal), correlationId));
  }
}
