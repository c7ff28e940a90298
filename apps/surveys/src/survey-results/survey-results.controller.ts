// GET /v1/surveys/{id}/results: participation, validity, suggestions and each question's figures.
import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, pathIdOf, type Principal } from '@minyi/platform';
import type { SurveyResults } from '../domain/results.js';
import { SurveyResultsReader } from './survey-results.reader.js';

@ApiTags('surveys')
@ApiBearerAuth()
@Controller('v1/surveys')
export class SurveyResultsController {
  constructor(private readonly reader: SurveyResultsReader) {}

  @Get(':id/results')
  @Allow('admin', 'reader')
  @ApiOperation({
    summary: 'A survey’s results',
    description:
      'The admin, an analyst, or a leader whose subtree holds the survey’s unit. `invited` = tokens issued; `participationRate` = ' +
      'responded / invited, or responded / targetSize when no invitation was issued, else null. Per question, over the valid ' +
      'responses that answered it (a blank text answer counts as answered): level5 counts "1"…"5", mean and satisfactionRate = ' +
      '(n3+n4+n5)/n; nps counts "0"…"10", mean and nps = 100·(n9+n10 − n0…n6)/n; single and multi counts per option (multi: each ' +
      'chosen option); text n only. Every key of counts is present, zeros included; figures are null when n = 0. The counters ' +
      'follow the log within moments of a response.',
  })
  @ApiParam({ name: 'id', description: 'the survey’s id' })
  @ApiResponse({ status: 200, description: '{ id, status, invited, responded, valid, participationRate, suggestions, questions: [ { id, kind, n, counts, mean?, satisfactionRate?, nps? } ] }' })
  @ApiResponse({ status: 403, description: 'a reader whose subtree does not hold the survey’s unit, or a terminal or client' })
  @ApiResponse({ status: 404, description: 'no survey with this id' })
  results(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<SurveyResults> {
    return this.reader.read(pathIdOf(id), principal);
  }
}
