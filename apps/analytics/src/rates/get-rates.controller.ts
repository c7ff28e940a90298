// GET /v1/rates: the case channels' counts and rates of a unit's cohorts over time, and its visits.
import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, SchemaPipe, type Principal } from '@minyi/platform';
import { GetRates, type RatesSeries } from './get-rates.handler.js';
import { getRatesSchema, type GetRatesParams } from './get-rates.schema.js';

@ApiTags('analytics')
@ApiBearerAuth()
@Controller('v1/rates')
export class GetRatesController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Allow('reader', 'admin')
  @ApiOperation({
    summary: 'Rates series: complaints (处理率, on time, reply, callback), bad-rating follow-ups (差评整改率, 回访率), opinions (整改率, 回复率), disputes (化解率), hazards (整改率) and visits',
    description:
      'One entry per whole period overlapping [from, to], oldest first, empty periods included. Cases count by cohort: in the ' +
      'period of their filing occurredAt (cut in MINYI_TZ), under their responsible unit now (rolled up the unit tree), with ' +
      'their state now — a past period moves when an old case is handled late. Counters since the latest reopen; overdue as ' +
      'at the moment of the request. Rates are fractions, unrounded, null when their denominator is 0. Follow-ups found ' +
      'invalid or voided are left out of every follow-up figure and counted apart in followups.invalid. opinions: rectified and ' +
      'explained split handled by the latest handling step since the latest reopen. visits are facts, not cases: each visit ' +
      'counts in the period of its occurredAt at its unit (rolled up); households = the distinct refs of household visits in ' +
      'the scope and period plus each household visit without a ref; meetings = visits with a meeting; attendees their sum.',
  })
  @ApiQuery({ name: 'scope', example: 'unit:sz', description: 'unit:<id> (the unit and all below it)' })
  @ApiQuery({ name: 'granularity', enum: ['day', 'week', 'month', 'quarter', 'year'] })
  @ApiQuery({ name: 'from', example: '2026-01-01' })
  @ApiQuery({ name: 'to', example: '2026-12-31' })
  @ApiResponse({ status: 200, description: '{ scope, granularity, timezone, series: [ { period, complaints: {...}, followups: {...}, opinions: {...}, disputes: {...}, hazards: {...}, visits: { visits, households, meetings, attendees } } ] }' })
  @ApiResponse({ status: 400, description: 'a bad date, a date before 1900, to before from, more than 4000 periods' })
  @ApiResponse({ status: 403, description: 'a leader token outside its subtree' })
  @ApiResponse({ status: 404, description: 'the unit does not exist' })
  get(@Query(new SchemaPipe(getRatesSchema)) params: GetRatesParams, @CurrentPrincipal() principal: Principal): Promise<RatesSeries> {
    return this.queries.execute(new GetRates(params, principal));
  }
}
