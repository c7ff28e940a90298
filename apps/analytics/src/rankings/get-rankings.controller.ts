// GET /v1/rankings: sibling units, or windows or officers below a unit, ranked for one period.
import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CHANNEL_FILTERS } from '@minyi/contracts';
import type { Ranking } from '@minyi/indices';
import { Allow, CurrentPrincipal, SchemaPipe, type Principal } from '@minyi/platform';
import { GetRankings } from './get-rankings.handler.js';
import { getRankingsSchema, type GetRankingsParams } from './get-rankings.schema.js';

@ApiTags('analytics')
@ApiBearerAuth()
@Controller('v1/rankings')
export class GetRankingsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Allow('reader', 'admin')
  @ApiOperation({
    summary: 'Rank child units (with their subtrees), or windows or officers below a unit, for one period',
    description:
      'Sorted by value descending, then n descending, then id; equal values share a rank (1, 2, 2, 4). ' +
      'Those with n < minN (default 1) are listed in "insufficient" instead.',
  })
  @ApiQuery({ name: 'parentId', example: 'sz' })
  @ApiQuery({ name: 'of', enum: ['units', 'windows', 'officers'] })
  @ApiQuery({ name: 'granularity', enum: ['day', 'week', 'month', 'quarter', 'year'] })
  @ApiQuery({ name: 'period', example: '2026-10' })
  @ApiQuery({ name: 'metric', required: false, enum: ['index', 'satisfactionRate'] })
  @ApiQuery({ name: 'minN', required: false, example: 30 })
  @ApiQuery({ name: 'channel', required: false, enum: [...CHANNEL_FILTERS], description: 'default all' })
  @ApiResponse({ status: 200, description: '{ items: [ { rank, id, name, n, value, interval } ], insufficient: [ { id, name, n } ] }' })
  get(@Query(new SchemaPipe(getRankingsSchema)) params: GetRankingsParams, @CurrentPrincipal() principal: Principal): Promise<Ranking> {
    return this.queries.execute(new GetRankings(params, principal));
  }
}
