// POST /v1/hazards: a visit app records a hazard (治安隐患) it found.
import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { FilingOutcome } from '@minyi/case-api';
import { Allow, BodyLimit, CorrelationId, CurrentPrincipal, KiB, SchemaPipe, type Principal } from '@minyi/platform';
import { FileHazard } from './file-hazard.handler.js';
import { fileHazardSchema, type FileHazardBody } from './file-hazard.schema.js';

@ApiTags('hazards')
@ApiBearerAuth()
@Controller('v1/hazards')
export class FileHazardController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(202)
  @Allow('admin', 'client')
  @BodyLimit(16 * KiB, 'a hazard at its largest (64 characters of kind, 256 of location, every character sent as a \\uXXXX escape of a surrogate pair) is under 5 KB')
  @ApiOperation({
    summary: 'Record a hazard (治安隐患)',
    description:
      'For the admin token or a client with visits:write whose unit covers unitId. kind 1–64 (the ledger’s category), location? ≤ 256. occurredAt may be up to 365 days ' +
      'old and at most 5 minutes ahead. A visitId must name a visit already recorded. State `found`; its one step is rectify (整改), ' +
      'the handling step. No deadline; it cannot be reopened. 202 is answered once stored.',
  })
  @ApiBody({ schema: fileHazardSchema.schema })
  @ApiResponse({ status: 202, description: '{ id, status: "accepted" }' })
  @ApiResponse({ status: 200, description: '{ id, status: "duplicate" }: the same id and content again' })
  @ApiResponse({ status: 400, description: 'invalid body (problem+json naming each field)' })
  @ApiResponse({ status: 403, description: 'not the admin, or a client without visits:write or whose unit does not cover unitId' })
  @ApiResponse({ status: 409, description: 'the id is taken by a different hazard' })
  @ApiResponse({ status: 422, description: 'the unit or the visit does not exist; occurredAt more than 365 days old or 5 minutes ahead' })
  async file(
    @Body(new SchemaPipe(fileHazardSchema)) body: FileHazardBody,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FilingOutcome> {
    const r: FilingOutcome = await this.commands.execute(new FileHazard(body, principal, correlationId));
    if (r.status === 'duplicate') void reply.status(200);
    return r;
  }
}
