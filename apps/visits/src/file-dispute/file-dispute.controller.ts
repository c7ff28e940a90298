// POST /v1/disputes: a visit app records a dispute (矛盾纠纷) it found.
import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { FilingOutcome } from '@minyi/case-api';
import { Allow, BodyLimit, CorrelationId, CurrentPrincipal, KiB, SchemaPipe, type Principal } from '@minyi/platform';
import { FileDispute } from './file-dispute.handler.js';
import { fileDisputeSchema, type FileDisputeBody } from './file-dispute.schema.js';

@ApiTags('disputes')
@ApiBearerAuth()
@Controller('v1/disputes')
export class FileDisputeController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(202)
  @Allow('admin', 'client')
  @BodyLimit(64 * KiB, 'a dispute at its largest (5000 characters of summary, 64 of kind, every character sent as a \\uXXXX escape of a surrogate pair) is about 61 KB')
  @ApiOperation({
    summary: 'Record a dispute (矛盾纠纷)',
    description:
      'For the admin token or a client with visits:write whose unit covers unitId. kind 1–64 (the ledger’s category), summary?. occurredAt may be up to 365 days ' +
      'old and at most 5 minutes ahead. A visitId must name a visit already recorded. State `found`; its one step is resolve (化解), ' +
      'the handling step. No deadline; it cannot be reopened. 202 is answered once stored.',
  })
  @ApiBody({ schema: fileDisputeSchema.schema })
  @ApiResponse({ status: 202, description: '{ id, status: "accepted" }' })
  @ApiResponse({ status: 200, description: '{ id, status: "duplicate" }: the same id and content again' })
  @ApiResponse({ status: 400, description: 'invalid body (problem+json naming each field)' })
  @ApiResponse({ status: 403, description: 'not the admin, or a client without visits:write or whose unit does not cover unitId' })
  @ApiResponse({ status: 409, description: 'the id is taken by a different dispute' })
  @ApiResponse({ status: 422, description: 'the unit or the visit does not exist; occurredAt more than 365 days old or 5 minutes ahead' })
  async file(
    @Body(new SchemaPipe(fileDisputeSchema)) body: FileDisputeBody,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FilingOutcome> {
    const r: FilingOutcome = await this.commands.execute(new FileDispute(body, principal, correlationId));
    if (r.status === 'duplicate') void reply.status(200);
    return r;
  }
}
