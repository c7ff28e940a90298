// POST /v1/ratings/{id}/void: the administrator takes a rating out of every figure, keeping it in the log.
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { InvalidInput, isClientId } from '@minyi/contracts';
import { actorOf, Allow, CorrelationId, CurrentPrincipal, RequestSchema, SchemaPipe, type Principal } from '@minyi/platform';
import { VoidRating } from './void-rating.handler.js';

const voidSchema = new RequestSchema<{ reason: string }>({
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: { reason: { type: 'string', minLength: 1, maxLength: 500, example: '评价器故障导致的误触，经核实作废' } },
});

@ApiTags('ratings')
@ApiBearerAuth()
@Controller('v1/ratings')
export class VoidRatingController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/void')
  @HttpCode(200)
  @Allow('admin')
  @ApiOperation({ summary: 'Void a rating: it stays in the log with the reason and no longer counts anywhere' })
  @ApiParam({ name: 'id', description: 'the rating’s id' })
  @ApiBody({ schema: voidSchema.schema })
  @ApiResponse({ status: 200, description: '{ id, status: "voided" }, or { id, status: "duplicate" } when already voided' })
  @ApiResponse({ status: 404, description: 'no rating with this id' })
  async void(
    @Param('id') id: string,
    @Body(new SchemaPipe(voidSchema)) body: { reason: string },
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string,
  ) {
    if (!isClientId(id)) throw new InvalidInput('the rating id is malformed', [{ path: 'id', message: 'must be 1–64 of A-Za-z0-9._:-' }]);
    const status: 'voided' | 'duplicate' = await this.commands.execute(new VoidRating(id, body.reason, actorOf(principal), correlationId));
    return { id, status };
  }
}
