// GET /v1/calendar/{year}: a year's working-day calendar as deadlines count it now.
import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Allow } from '@minyi/platform';
import { calendarYearOf } from '../domain/calendar.decider.js';
import type { CalendarYear } from '../set-calendar/set-calendar.handler.js';
import { GetCalendar } from './get-calendar.handler.js';

@ApiTags('calendar')
@ApiBearerAuth()
@Controller('v1/calendar')
export class GetCalendarController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':year')
  @Allow('admin')
  @ApiOperation({ summary: 'A year’s working-day calendar', description: 'Sorted lists, each date once; empty lists for a year never set.' })
  @ApiParam({ name: 'year', description: '1900–9999', example: '2026' })
  @ApiResponse({ status: 200, description: '{ year, holidays, workdays }' })
  @ApiResponse({ status: 400, description: 'the year is not 1900–9999' })
  get(@Param('year') year: string): Promise<CalendarYear> {
    return this.queries.execute(new GetCalendar(calendarYearOf(year)));
  }
}
