// The complaints context (投诉): filing through a channel, the steps of the case, and the case by id.
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { caseApiProviders } from '@minyi/case-api';
import { OrganisationDirectoryModule } from '@minyi/organisation';
import { ContactPresenter, PersonalDataModule } from '@minyi/personal-data';
import { ComplaintCaseController } from './complaint-case/complaint-case.controller.js';
import { FileComplaintController } from './file-complaint/file-complaint.controller.js';
import { FileComplaintHandler } from './file-complaint/file-complaint.handler.js';

@Module({
  imports: [CqrsModule, OrganisationDirectoryModule, PersonalDataModule],
  controllers: [FileComplaintController, ComplaintCaseController],
  providers: [...caseApiProviders, ContactPresenter, FileComplaintHandler],
})
export class ComplaintsModule {}
