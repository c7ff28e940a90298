// The surveys context (问卷调查): definitions, publication and closing, invitations, responses, results.
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CaseAccess } from '@minyi/case-api';
import { OrganisationDirectoryModule } from '@minyi/organisation';
import { InvitationTokens } from './application/invitation-tokens.js';
import { ResponseMixer } from './application/response-mixer.js';
import { Surveys } from './application/surveys.js';
import { DefineSurveyController } from './define-survey/define-survey.controller.js';
import { DefineSurveyHandler } from './define-survey/define-survey.handler.js';
import { IssueInvitationsController } from './issue-invitations/issue-invitations.controller.js';
import { IssueInvitationsHandler } from './issue-invitations/issue-invitations.handler.js';
import { SurveyStatusController } from './publish-survey/survey-status.controller.js';
import { ChangeSurveyStatusHandler } from './publish-survey/survey-status.handler.js';
import { SubmitResponseController } from './submit-response/submit-response.controller.js';
import { SubmitResponseHandler } from './submit-response/submit-response.handler.js';
import { SurveyResultsController } from './survey-results/survey-results.controller.js';
import { SurveyResultsReader } from './survey-results/survey-results.reader.js';

@Module({
  imports: [CqrsModule, OrganisationDirectoryModule],
  controllers: [DefineSurveyController, SurveyStatusController, IssueInvitationsController, SubmitResponseController, SurveyResultsController],
  providers: [CaseAccess, Surveys, InvitationTokens, ResponseMixer, DefineSurveyHandler, ChangeSurveyStatusHandler, IssueInvitationsHandler, SubmitResponseHandler, SurveyResultsReader],
})
export class SurveysModule {}
