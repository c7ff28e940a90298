// POST /v1/surveys/{id}/publish and /close: the administrator opens a survey to responses, and closes it for good.
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Allow, CorrelationId, CurrentPrincipal, EmptyBodyPipe, emptyBodySchema, pathIdOf, type Principal } from '@minyi/platform';
import type { SurveyOutcome } from '../define-survey/define-survey.handler.js';
import { ChangeSurveyStatus } from './survey-status.handler.js';

@ApiTags('surveys')
@ApiBearerAuth()
@Controller('v1/surveys')
export class SurveyStatusController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/publish')
  @HttpCode(200)
  @Allow('admin')
  @ApiOperation({ summary: 'Publish a survey: it takes responses from now on', description: 'draft → open. Publishing an open survey again → 200 duplicate; a closed one → 409. A published survey never changes.' })
  @ApiParam({ name: 'id', description: 'the survey’s id' })
  @ApiBody({ schema: emptyBodySchema.schema, required: false })
  @ApiResponse({ status: 200, description: '{ id, status: "open" }, or { id, status: "duplicate" } when it was open already' })
  @ApiResponse({ status: 404, description: 'no survey with this id' })
  @ApiResponse({ status: 409, description: 'the survey is closed' })
  publish(@Param('id') id: string, @Body(EmptyBodyPipe) _body: unknown, @CurrentPrincipal() principal: Principal, @CorrelationId() correlationId: string): Promise<SurveyOutcome> {
    return this.commands.execute(new ChangeSurveyStatus(pathIdOf(id), 'publish', principal, correlationId));
  }

  @Post(':id/close')
  @HttpCode(200)
  @Allow('admin')
  @ApiOperation({ summary: 'Close a survey: it takes no more responses, for good', description: 'draft or open → closed. Closing it again → 200 duplicate. Its results stay readable.' })
  @ApiParam({ name: 'id', description: 'the survey’s id' })
  @ApiBody({ schema: emptyBodySchema.schema, required: false })
  @ApiResponse({ status: 200, description: '{ id, status: "closed" }, or { id, status: "duplicate" } when it was closed already' })
  @ApiResponse({ status: 404, description: 'no survey with this id' })
  close(@Param('id') id: string, @Body(EmptyBodyPipe) _body: unknown, @CurrentPrincipal() principal: Principal, @CorrelationId() correlationId: string): Promise<SurveyOutcome> {
    return this.commands.execute(new ChangeSurveyStatus(pathIdOf(id), 'close', principal, correlationId));
  }
}
