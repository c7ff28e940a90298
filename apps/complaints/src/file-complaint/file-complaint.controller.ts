// POST /v1/complaints: a complaint channel (an app, the hotline desk, a mailbox …) files a complaint.
import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { FilingOutcome } from '@minyi/case-api';
import { Allow, BodyLimit, CorrelationId, CurrentPrincipal, KiB, SchemaPipe, type Principal } from '@minyi/platform';
import { FileComplaint } from './file-complaint.handler.js';
import { fileComplaintSchema, type FileComplaintBody } from './file-complaint.schema.js';

@ApiTags('complaints')
@ApiBearerAuth()
@Controller('v1/complaints')
export class FileComplaintController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(202)
  @Allow('admin', 'client')
  @BodyLimit(64 * KiB, 'a complaint at its largest (5000 characters of text, 64 of category and name, 32 of phone), every character sent as a \\uXXXX escape of a surrogate pair, is about 62 KB')
  @ApiOperation({
    summary: 'File a complaint (投诉)',
    description:
      'For the admin token or a client with complaints:write whose unit covers unitId (a client without a unit covers every ' +
      'unit). occurredAt may be up to 365 days old and at most 5 minutes ahead. The text is kept exactly as sent. The contact ' +
      'is sealed under its subject’s key before it is stored. State `filed`; the responsible unit is unitId until a step ' +
      'sets another. 202 is answered once stored.',
  })
  @ApiBody({ schema: fileComplaintSchema.schema })
  @ApiResponse({ status: 202, description: '{ id, status: "accepted" }' })
  @ApiResponse({ status: 200, description: '{ id, status: "duplicate" }: the same id and content again' })
  @ApiResponse({ status: 400, description: 'invalid body (problem+json naming each field)' })
  @ApiResponse({ status: 403, description: 'not the admin, or a client without complaints:write or whose unit does not cover unitId' })
  @ApiResponse({ status: 409, description: 'the id is taken by a different complaint' })
  @ApiResponse({ status: 422, description: 'the unit does not exist; occurredAt more than 365 days old or 5 minutes ahead' })
  async file(
    @Body(new SchemaPipe(fileComplaintSchema)) body: FileComplaintBody,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FilingOutcome> {
    const r: FilingOutcome = await this.commands.execute(new FileComplaint(body, principal, correlationId));
    if (r.status === 'duplicate') void reply.status(200);
    return r;
  }
}
