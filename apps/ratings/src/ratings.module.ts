// The ratings context: window-service rating intake from terminals, offline batches, imports and voids, and the
// bad-rating follow-ups' steps and reads (the follow-up reactor, which opens them, runs where reactors run).
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { caseApiProviders } from '@minyi/case-api';
import { OrganisationDirectoryModule } from '@minyi/organisation';
import { RatingIntake } from './application/rating-intake.js';
import { FollowUpCaseController } from './followup-case/followup-case.controller.js';
import { ImportRatingsController } from './import-ratings/import-ratings.controller.js';
import { ImportRatingsHandler } from './import-ratings/import-ratings.handler.js';
import { SubmitRatingBatchController } from './submit-rating-batch/submit-rating-batch.controller.js';
import { SubmitRatingBatchHandler } from './submit-rating-batch/submit-rating-batch.handler.js';
import { SubmitRatingController } from './submit-rating/submit-rating.controller.js';
import { SubmitRatingHandler } from './submit-rating/submit-rating.handler.js';
import { VoidRatingController } from './void-rating/void-rating.controller.js';
import { VoidRatingHandler } from './void-rating/void-rating.handler.js';

@Module({
  imports: [CqrsModule, OrganisationDirectoryModule],
  // The batch route is declared before the single one so that `/batch` is never taken for a rating id.
  controllers: [SubmitRatingBatchController, ImportRatingsController, SubmitRatingController, VoidRatingController, FollowUpCaseController],
  providers: [...caseApiProviders, RatingIntake, SubmitRatingHandler, SubmitRatingBatchHandler, ImportRatingsHandler, VoidRatingHandler],
})
export class RatingsModule {}
