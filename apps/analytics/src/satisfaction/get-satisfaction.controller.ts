// GET /v1/satisfaction: satisfaction figures of a unit, window or officer over time.
import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CHANNEL_FILTERS } from '@minyi/contracts';
import { Allow, CurrentPrincipal, SchemaPipe, type Principal } from '@minyi/platform';
import { GetSatisfaction, type SatisfactionSeries } from './get-satisfaction.handler.js';
import { getSatisfactionSchema, type GetSatisfactionParams } from './get-satisfaction.schema.js';

@ApiTags('analytics')
@ApiBearerAuth()
@Controller('v1/satisfaction')
export class GetSatisfactionController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Allow('reader', 'admin')
  @ApiOperation({
    summary: 'Satisfaction series: level counts, satisfaction rate with its Wilson interval, bad rate, mean, 0–100 index, YoY and PoP',
    description:
      'One entry per whole period overlapping [from, to], oldest first, empty periods included (figures null when n = 0). ' +
      'Periods are cut in MINYI_TZ by occurredAt. Voided ratings do not count.',
  })
  @ApiQuery({ name: 'scope', example: 'unit:sz', description: 'unit:<id> | window:<id> | officer:<id>' })
  @ApiQuery({ name: 'granularity', enum: ['day', 'week', 'month', 'quarter', 'year'] })
  @ApiQuery({ name: 'from', example: '2026-01-01' })
  @ApiQuery({ name: 'to', example: '2026-12-31' })
  @ApiQuery({ name: 'channel', required: false, enum: [...CHANNEL_FILTERS] })
  @ApiResponse({ status: 200, description: '{ scope, granularity, timezone, series: [...] }' })
  @ApiResponse({ status: 403, description: 'a leader token outside its subtree' })
  @ApiResponse({ status: 404, description: 'the unit, window or officer does not exist' })
  get(@Query(new SchemaPipe(getSatisfactionSchema)) params: GetSatisfactionParams, @CurrentPrincipal() principal: Principal): Promise<SatisfactionSeries> {
    return this.queries.execute(new GetSatisfaction(params, principal));
  }
}
