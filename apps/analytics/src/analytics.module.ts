// The analytics context: the read-side API over the projected satisfaction figures.
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { OrganisationDirectoryModule } from '@minyi/organisation';
import { ReadScope } from './application/read-scope.js';
import { GetRankingsController } from './rankings/get-rankings.controller.js';
import { GetRankingsHandler } from './rankings/get-rankings.handler.js';
import { GetSatisfactionController } from './satisfaction/get-satisfaction.controller.js';
import { GetSatisfactionHandler } from './satisfaction/get-satisfaction.handler.js';

@Module({
  imports: [CqrsModule, OrganisationDirectoryModule],
  controllers: [GetSatisfactionController, GetRankingsController],
  providers: [ReadScope, GetSatisfactionHandler, GetRankingsHandler],
})
export class AnalyticsModule {}
