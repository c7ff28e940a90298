// POST /v1/ratings/batch: a terminal uploads up to 1000 ratings at once.
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { actorOf, Allow, CorrelationId, CurrentPrincipal, SchemaPipe, type Principal } from '@minyi/platform';
import { BodyLimit, MiB } from '@minyi/platform';
import type { ItemResult } from '../application/rating-intake.js';
import { ratingListSchema } from '../application/rating.schema.js';
import { terminalOf } from '../submit-rating/terminal-of.js';
import { itemResults, itemResultsDescription } from './item-results.js';
import { SubmitRatingBatch } from './submit-rating-batch.handler.js';

const batchSchema = ratingListSchema(1000, { id: 'b7c4…', score: 5, occurredAt: '2026-10-21T09:30:00+08:00' });

@ApiTags('ratings')
@ApiBearerAuth()
@Controller('v1/ratings/batch')
export class SubmitRatingBatchController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(200)
  @Allow('terminal')
  @BodyLimit(16 * MiB, '1000 ratings at their largest, every character of their text sent as a \\uXXXX escape, are about 15.5 MB')
  @ApiOperation({ summary: 'Submit up to 1000 ratings from one terminal (offline upload)' })
  @ApiBody({ schema: batchSchema.schema })
  @ApiResponse({ status: 200, description: itemResultsDescription })
  async submit(
    @Body(new SchemaPipe(batchSchema)) body: { ratings: unknown[] },
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string,
  ) {
    const results: ItemResult[] = await this.commands.execute(new SubmitRatingBatch(body.ratings, terminalOf(principal), actorOf(principal), correlationId));
    return itemResults(results);
  }
}
