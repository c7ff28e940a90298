// POST /v1/surveys: the administrator defines a questionnaire (问卷), in draft until published.
import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Allow, BodyLimit, CorrelationId, CurrentPrincipal, MiB, SchemaPipe, type Principal } from '@minyi/platform';
import { DefineSurvey, type SurveyOutcome } from './define-survey.handler.js';
import { defineSurveySchema, type DefineSurveyBody } from './define-survey.schema.js';

@ApiTags('surveys')
@ApiBearerAuth()
@Controller('v1/surveys')
export class DefineSurveyController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow('admin')
  @BodyLimit(6 * MiB, 'a survey at its largest (100 questions of 1000 characters, each with 50 options of 64), every character sent as a \\uXXXX escape of a surrogate pair, is about 5.1 MB')
  @ApiOperation({
    summary: 'Define a survey (问卷调查)',
    description:
      'Admin only. Question kinds: level5 (answers 1–5), nps (0–10), single (one of its options), multi (a non-empty list of ' +
      'distinct options), text (1–2000 characters: a suggestion when not blank). Question ids are unique within the survey; ' +
      'options belong to single and multi questions only (and are required there, distinct); `satisfaction: true` only on ' +
      'level5 questions, whose answers then count in /v1/satisfaction channel `surveys` at the survey’s unit. The survey ' +
      'starts as a draft; publish it to take responses. The same id with the same definition again → 200 duplicate.',
  })
  @ApiBody({ schema: defineSurveySchema.schema })
  @ApiResponse({ status: 201, description: '{ id, status: "draft" }' })
  @ApiResponse({ status: 200, description: '{ id, status: "duplicate" }: the same id and definition again' })
  @ApiResponse({ status: 400, description: 'invalid body (problem+json naming each field: questions.3.options, questions.1.id …)' })
  @ApiResponse({ status: 409, description: 'the id is taken by another definition' })
  @ApiResponse({ status: 422, description: 'the unit does not exist' })
  async define(
    @Body(new SchemaPipe(defineSurveySchema)) body: DefineSurveyBody,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SurveyOutcome> {
    const r: SurveyOutcome = await this.commands.execute(new DefineSurvey(body, principal, correlationId));
    if (r.status === 'duplicate') void reply.status(200);
    return r;
  }
}
