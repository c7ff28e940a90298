// POST /v1/visits: an officer's phone (a visit app) records a visit — to a household, an enterprise, a school … —
// and the talk meeting held on it, if any.
import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { FilingOutcome } from '@minyi/case-api';
import { Allow, BodyLimit, CorrelationId, CurrentPrincipal, KiB, SchemaPipe, type Principal } from '@minyi/platform';
import { RecordVisit } from './record-visit.handler.js';
import { recordVisitSchema, type RecordVisitBody } from './record-visit.schema.js';

@ApiTags('visits')
@ApiBearerAuth()
@Controller('v1/visits')
export class RecordVisitController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(202)
  @Allow('admin', 'client')
  @BodyLimit(64 * KiB, 'a visit at its largest (5000 characters of notes and 128 of ref, every character sent as a \\uXXXX escape of a surrogate pair) is about 62 KB')
  @ApiOperation({
    summary: 'Record a visit (走访 · 入户 · 恳谈)',
    description:
      'For the admin token or a client with visits:write whose unit covers unitId. A visit is a fact, not a case: it has no ' +
      'steps. occurredAt may be up to 365 days old and at most 5 minutes ahead. A named officer must belong to unitId or a ' +
      'unit above or below it. Counted in the visits group of /v1/rates (visits, households by distinct ref, meetings, ' +
      'attendees) at its unit and every unit above, in the period of occurredAt. 202 is answered once stored.',
  })
  @ApiBody({ schema: recordVisitSchema.schema })
  @ApiResponse({ status: 202, description: '{ id, status: "accepted" }' })
  @ApiResponse({ status: 200, description: '{ id, status: "duplicate" }: the same id and content again' })
  @ApiResponse({ status: 400, description: 'invalid body (problem+json naming each field)' })
  @ApiResponse({ status: 403, description: 'not the admin, or a client without visits:write or whose unit does not cover unitId' })
  @ApiResponse({ status: 409, description: 'the id is taken by a different visit' })
  @ApiResponse({ status: 422, description: 'the unit does not exist; the officer does not exist or belongs to an unrelated unit; occurredAt more than 365 days old or 5 minutes ahead' })
  async record(
    @Body(new SchemaPipe(recordVisitSchema)) body: RecordVisitBody,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FilingOutcome> {
    const r: FilingOutcome = await this.commands.execute(new RecordVisit(body, principal, correlationId));
    if (r.status === 'duplicate') void reply.status(200);
    return r;
  }
}
