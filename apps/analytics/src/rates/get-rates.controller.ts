// GET /v1/rates: the case channels' counts and rates of a unit's cohorts over time.
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
    summary: 'Rates series of the case channels: complaints (处理率, on time, reply, callback) and bad-rating follow-ups (差评整改率, 回访率)',
    description:
      'One entry per whole period overlapping [from, to], oldest first, empty periods included. Cases count by cohort: in the ' +
      'period of their filing occurredAt (cut in MINYI_TZ), under their responsible unit now (rolled up the unit tree), with ' +
      'their state now — a past period moves when an old case is handled late. Counters since the latest reopen; overdue as ' +
      'at the moment of the request. Rates are fractions, unrounded, null when their denominator is 0. Follow-ups found ' +
      'invalid or voided are left out of every follow-up figure and counted apart in followups.invalid.',
  })
  @ApiQuery({ name: 'scope', example: 'unit:sz', description: 'unit:<id> (the unit and all below it)' })
  @ApiQuery({ name: 'granularity', enum: ['day', 'week', 'month', 'quarter', 'year'] })
  @ApiQuery({ name: 'from', example: '2026-01-01' })
  @ApiQuery({ name: 'to', example: '2026-12-31' })
  @ApiResponse({ status: 200, description: '{ scope, granularity, timezone, series: [ { period, complaints: {...}, followups: {...} } ] }' })
  @ApiResponse({ status: 400, description: 'a bad date, a date before 1900, to before from, more than 4000 periods' })
  @ApiResponse({ status: 403, description: 'a leader token outside its subtree' })
  @ApiResponse({ status: 404, description: 'the unit does not exist' })
  get(@Query(new SchemaPipe(getRatesSchema)) params: GetRatesParams, @CurrentPrincipal() principal: Principal): Promise<RatesSeries> {
    return this.queries.execute(new GetRates(params, principal));
  }
}
