// The visits context (走访): visits recorded as facts; opinions and suggestions collected verbatim and taken round
// their closed loop (闭合回路); disputes resolved and hazards rectified — each case's steps and its read by id.
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { caseApiProviders } from '@minyi/case-api';
import { OrganisationDirectoryModule } from '@minyi/organisation';
import { ContactPresenter, PersonalDataModule } from '@minyi/personal-data';
import { RecordedVisits } from './application/recorded-visits.js';
import { DisputeCaseController } from './dispute-case/dispute-case.controller.js';
import { FileDisputeController } from './file-dispute/file-dispute.controller.js';
import { FileDisputeHandler } from './file-dispute/file-dispute.handler.js';
import { FileHazardController } from './file-hazard/file-hazard.controller.js';
import { FileHazardHandler } from './file-hazard/file-hazard.handler.js';
import { FileOpinionController } from './file-opinion/file-opinion.controller.js';
import { FileOpinionHandler } from './file-opinion/file-opinion.handler.js';
import { HazardCaseController } from './hazard-case/hazard-case.controller.js';
import { OpinionCaseController } from './opinion-case/opinion-case.controller.js';
import { RecordVisitController } from './record-visit/record-visit.controller.js';
import { RecordVisitHandler } from './record-visit/record-visit.handler.js';

@Module({
  imports: [CqrsModule, OrganisationDirectoryModule, PersonalDataModule],
  controllers: [RecordVisitController, FileOpinionController, OpinionCaseController, FileDisputeController, DisputeCaseController, FileHazardController, HazardCaseController],
  providers: [...caseApiProviders, ContactPresenter, RecordedVisits, RecordVisitHandler, FileOpinionHandler, FileDisputeHandler, FileHazardHandler],
})
export class VisitsModule {}
