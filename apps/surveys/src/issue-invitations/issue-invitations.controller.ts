// POST /v1/surveys/{id}/invitations: the administrator issues one-time invitation tokens, shown once.
import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Allow, CorrelationId, CurrentPrincipal, pathIdOf, SchemaPipe, type Principal } from '@minyi/platform';
import { IssueInvitations, type InvitationsOutcome } from './issue-invitations.handler.js';
import { issueInvitationsSchema, type IssueInvitationsBody } from './issue-invitations.schema.js';

@ApiTags('surveys')
@ApiBearerAuth()
@Controller('v1/surveys')
export class IssueInvitationsController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/invitations')
  @HttpCode(201)
  @Allow('admin')
  @ApiOperation({
    summary: 'Issue one-time invitation tokens',
    description:
      'Admin only; draft or open surveys. Answers `count` tokens, each letting one response in (POST /v1/surveys/{id}/responses ' +
      'with `token`, no Authorization needed). They are shown this once: minyi keeps only their hashes. The tokens count in the ' +
      'results’ `invited`. The same id again → 200 duplicate, without tokens.',
  })
  @ApiParam({ name: 'id', description: 'the survey’s id' })
  @ApiBody({ schema: issueInvitationsSchema.schema })
  @ApiResponse({ status: 201, description: '{ id, tokens: [ … ] }' })
  @ApiResponse({ status: 200, description: '{ id, status: "duplicate" }: the same id and count again (no tokens)' })
  @ApiResponse({ status: 400, description: 'invalid body (count 1–10000)' })
  @ApiResponse({ status: 404, description: 'no survey with this id' })
  @ApiResponse({ status: 409, description: 'the survey is closed, or the id was issued with another count' })
  async issue(
    @Param('id') id: string,
    @Body(new SchemaPipe(issueInvitationsSchema)) body: IssueInvitationsBody,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InvitationsOutcome> {
    const r: InvitationsOutcome = await this.commands.execute(new IssueInvitations(pathIdOf(id), body, principal, correlationId));
    if ('status' in r) void reply.status(200);
    return r;
  }
}
