// POST /v1/opinions: an officer's phone, a meeting's secretary or a hotline desk records what a resident said.
import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { FilingOutcome } from '@minyi/case-api';
import { Allow, BodyLimit, CorrelationId, CurrentPrincipal, KiB, SchemaPipe, type Principal } from '@minyi/platform';
import { FileOpinion } from './file-opinion.handler.js';
import { fileOpinionSchema, type FileOpinionBody } from './file-opinion.schema.js';

@ApiTags('opinions')
@ApiBearerAuth()
@Controller('v1/opinions')
export class FileOpinionController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(202)
  @Allow('admin', 'client')
  @BodyLimit(64 * KiB, 'an opinion at its largest (5000 characters of text, 64 of category and name, 32 of phone), every character sent as a \\uXXXX escape of a surrogate pair, is about 62 KB')
  @ApiOperation({
    summary: 'Collect an opinion or suggestion (意见建议)',
    description:
      'For the admin token or a client with visits:write whose unit covers unitId. occurredAt may be up to 365 days old and at ' +
      'most 5 minutes ahead. The text is kept verbatim (原汁原味, 不加工、不删减): every read gives back the very string sent — ' +
      'whitespace, line breaks, Unicode form and emoji included. A visitId must name a visit already recorded. The contact is ' +
      'sealed under its subject’s key before it is stored. State `collected`; steps: assign, rectify, explain, reply, rate, ' +
      'reopen. 202 is answered once stored.',
  })
  @ApiBody({ schema: fileOpinionSchema.schema })
  @ApiResponse({ status: 202, description: '{ id, status: "accepted" }' })
  @ApiResponse({ status: 200, description: '{ id, status: "duplicate" }: the same id and content again' })
  @ApiResponse({ status: 400, description: 'invalid body (problem+json naming each field); source `survey` is refused here' })
  @ApiResponse({ status: 403, description: 'not the admin, or a client without visits:write or whose unit does not cover unitId' })
  @ApiResponse({ status: 409, description: 'the id is taken by a different opinion' })
  @ApiResponse({ status: 422, description: 'the unit or the visit does not exist; occurredAt more than 365 days old or 5 minutes ahead' })
  async file(
    @Body(new SchemaPipe(fileOpinionSchema)) body: FileOpinionBody,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FilingOutcome> {
    const r: FilingOutcome = await this.commands.execute(new FileOpinion(body, principal, correlationId));
    if (r.status === 'duplicate') void reply.status(200);
    return r;
  }
}
