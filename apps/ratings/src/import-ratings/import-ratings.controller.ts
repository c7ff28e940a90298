// POST /v1/ratings/import: the administrator migrates up to 10000 records of an older rating system.
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { actorOf, Allow, CorrelationId, CurrentPrincipal, SchemaPipe, type Principal } from '@minyi/platform';
import { BodyLimit, MiB } from '@minyi/platform';
import type { ItemResult } from '../application/rating-intake.js';
import { ratingListSchema } from '../application/rating.schema.js';
import { itemResults, itemResultsDescription } from '../submit-rating-batch/item-results.js';
import { ImportRatings } from './import-ratings.handler.js';

const importSchema = ratingListSchema(10000, { id: 'legacy-000123', terminalId: 'term-ft-hz-w03', score: 4, occurredAt: '2024-03-02T10:12:00+08:00' });

@ApiTags('ratings')
@ApiBearerAuth()
@Controller('v1/ratings/import')
export class ImportRatingsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(200)
  @Allow('admin')
  @BodyLimit(64 * MiB, '10000 records with every field at its maximum, text sent as raw UTF-8 (4 bytes a character), are about 52 MB; text sent as \\uXXXX escapes can be 3 times larger and may not fit: send UTF-8, or several imports')
  @ApiOperation({ summary: 'Import up to 10000 ratings of an older system (no age limit; the future is still refused)' })
  @ApiBody({ schema: importSchema.schema })
  @ApiResponse({ status: 200, description: itemResultsDescription })
  async import(
    @Body(new SchemaPipe(importSchema)) body: { ratings: unknown[] },
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string,
  ) {
    const results: ItemResult[] = await this.commands.execute(new ImportRatings(body.ratings, actorOf(principal), correlationId));
    return itemResults(results);
  }
}
