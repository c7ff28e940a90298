// POST /v1/ratings: a rating terminal posts what a citizen pressed.
import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { actorOf, Allow, CorrelationId, CurrentPrincipal, type Principal } from '@minyi/platform';
import { BodyLimit, KiB } from '@minyi/platform';
import type { ItemResult } from '../application/rating-intake.js';
import { ratingJsonSchema } from '../application/rating.schema.js';
import { SubmitRating } from './submit-rating.handler.js';
import { terminalOf } from './terminal-of.js';

@ApiTags('ratings')
@ApiBearerAuth()
@Controller('v1/ratings')
export class SubmitRatingController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(202)
  @Allow('terminal')
  @BodyLimit(32 * KiB, 'one rating at its largest, every character of its text sent as a \\uXXXX escape of a surrogate pair, is about 15.5 KB')
  @ApiOperation({
    summary: 'Submit one rating from a terminal',
    description:
      'The window and unit come from the terminal’s key, never from the body. occurredAt may be up to 90 days old ' +
      '(offline terminals) and at most 5 minutes in the future. 202 is answered only after the rating is committed.',
  })
  @ApiBody({ schema: ratingJsonSchema })
  @ApiResponse({ status: 202, description: '{ id, status: "accepted" }' })
  @ApiResponse({ status: 200, description: '{ id, status: "duplicate" }: the same id and content again' })
  @ApiResponse({ status: 400, description: 'invalid body (problem+json naming each field)' })
  @ApiResponse({ status: 409, description: 'the id is taken by a different rating' })
  @ApiResponse({ status: 422, description: 'too old, in the future, unknown officer or service type' })
  async submit(
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const r: ItemResult = await this.commands.execute(new SubmitRating(body, terminalOf(principal), actorOf(principal), correlationId));
    if (r.status === 'duplicate') void reply.status(200);
    return { id: r.id, status: r.status };
  }
}
