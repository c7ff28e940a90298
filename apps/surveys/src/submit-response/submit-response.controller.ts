// POST /v1/surveys/{id}/responses: a respondent answers by an invitation token (no other credential), or a client
// with surveys:write (a kiosk, paper questionnaires typed in) on their behalf.
import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Allow, AllowAnonymous, BodyLimit, CorrelationId, MiB, pathIdOf, SchemaPipe, type AuthenticatedRequest } from '@minyi/platform';
import { SubmitResponse, type ResponseOutcome } from './submit-response.handler.js';
import { submitResponseSchema, type SubmitResponseBody } from './submit-response.schema.js';

@ApiTags('surveys')
@ApiBearerAuth()
@Controller('v1/surveys')
export class SubmitResponseController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/responses')
  @HttpCode(202)
  @Allow('admin', 'client')
  @AllowAnonymous()
  @BodyLimit(
    4 * MiB,
    'a response at its largest (100 answers, each a multi answer of 50 options of 64 characters or a text of 2000), every character sent as a \\uXXXX escape of a surrogate pair, is about 3.9 MB. ' +
      'This route reads a body without Authorization (the invitation token is in it), so this limit is all an unauthenticated caller can make it read',
  )
  @ApiOperation({
    summary: 'Answer a survey (答卷)',
    description:
      'With `token` (an invitation token, each letting one response in) no Authorization is needed; without, the caller is ' +
      'the admin or a client with surveys:write covering the survey’s unit. The survey must be open. A response lacking a ' +
      'required answer is stored with valid: false and counts as responded only. The same id with the same body again → ' +
      '200 duplicate with its `valid`, although its token is used by then. Anonymous surveys keep no link between an ' +
      'invitation and its response: the token’s use and the response are recorded apart, with nothing in common, and ' +
      'responses by token reach the log in random order among those of the same ~25 ms (the answer waits for that). ' +
      'Each non-blank text answer of a valid response becomes an opinion (source survey).',
  })
  @ApiParam({ name: 'id', description: 'the survey’s id' })
  @ApiBody({ schema: submitResponseSchema.schema })
  @ApiResponse({ status: 202, description: '{ id, status: "accepted", valid }' })
  @ApiResponse({ status: 200, description: '{ id, status: "duplicate", valid }: the same id and body again' })
  @ApiResponse({ status: 400, description: 'invalid body, an unknown question or a wrong value (problem+json naming answers.<questionId>)' })
  @ApiResponse({ status: 401, description: 'neither a token in the body nor valid credentials' })
  @ApiResponse({ status: 403, description: 'an unknown token; or a caller without surveys:write covering the survey’s unit' })
  @ApiResponse({ status: 404, description: 'no survey with this id' })
  @ApiResponse({ status: 409, description: 'the survey is not open; the token was used; the id is taken by another response' })
  @ApiResponse({ status: 422, description: 'submittedAt more than 5 minutes ahead, more than 365 days old, or before 1900' })
  async submit(
    @Param('id') id: string,
    @Body(new SchemaPipe(submitResponseSchema)) body: SubmitResponseBody,
    @Req() request: FastifyRequest,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ResponseOutcome> {
    const principal = (request as FastifyRequest & AuthenticatedRequest).principal ?? null;
    const r: ResponseOutcome = await this.commands.execute(new SubmitResponse(pathIdOf(id), body, principal, correlationId));
    if (r.status === 'duplicate') void reply.status(200);
    return r;
  }
}
