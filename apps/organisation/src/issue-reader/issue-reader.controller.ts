// POST /v1/readers: the administrator issues a reader token for analytics.
import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { actorOf, Allow, CorrelationId, CurrentPrincipal, SchemaPipe, type Principal } from '@minyi/platform';
import { IssueReader, type ReaderIssue } from './issue-reader.handler.js';
import { issueReaderSchema, type IssueReaderBody } from './issue-reader.schema.js';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('v1/readers')
export class IssueReaderController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow('admin')
  @ApiOperation({
    summary: 'Issue a reader token (analyst: everything; leader: one unit’s subtree)',
    description: 'The token is shown once; a duplicate issue answers 200 with status "duplicate" and no token.',
  })
  @ApiBody({ schema: issueReaderSchema.schema })
  @ApiResponse({ status: 201, description: '{ id, role, unitId, token, status: "created" }' })
  @ApiResponse({ status: 422, description: 'the leader’s unit does not exist' })
  async issue(
    @Body(new SchemaPipe(issueReaderSchema)) body: IssueReaderBody,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const r: ReaderIssue = await this.commands.execute(new IssueReader(body, actorOf(principal), correlationId));
    const base = { id: r.data.readerId, role: r.data.role, unitId: r.data.unitId };
    if (r.status === 'duplicate') {
      void reply.status(200);
      return { ...base, status: r.status };
    }
    return { ...base, token: r.token, status: r.status };
  }
}
