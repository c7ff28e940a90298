// POST /v1/terminals/{id}/key: the administrator replaces a terminal's API key (a lost or leaked key).
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { actorOf, Allow, CorrelationId, CurrentPrincipal, type Principal } from '@minyi/platform';
import { EmptyBodyPipe, emptyBodySchema, holderIdOf } from '../application/credential-action.js';
import { IssueTerminalKey } from './issue-terminal-key.handler.js';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('v1/terminals')
export class IssueTerminalKeyController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/key')
  @HttpCode(200)
  @Allow('admin')
  @ApiOperation({
    summary: 'Issue a terminal a new API key; the old key is refused from then on',
    description:
      'The new key is shown once (only its hash is kept). Each request issues another key and only the latest one ' +
      'admits the terminal: the previous key is refused (401) by this process at once and by every other process ' +
      'within 5 seconds. The terminal keeps its id, window and unit. A revoked terminal gets no new key (409): ' +
      'a revocation is final, so register a new terminal instead.',
  })
  @ApiParam({ name: 'id', description: 'the terminal’s id' })
  @ApiBody({ schema: emptyBodySchema.schema, required: false })
  @ApiResponse({ status: 200, description: '{ id, apiKey }' })
  @ApiResponse({ status: 400, description: 'the id is malformed, or the body is not `{}`' })
  @ApiResponse({ status: 404, description: 'no terminal with this id' })
  @ApiResponse({ status: 409, description: 'the terminal is revoked' })
  async issue(@Param('id') id: string, @Body(EmptyBodyPipe) _body: unknown, @CurrentPrincipal() principal: Principal, @CorrelationId() correlationId: string) {
    const apiKey: string = await this.commands.execute(new IssueTerminalKey(holderIdOf(id), actorOf(principal), correlationId));
    return { id, apiKey };
  }
}
