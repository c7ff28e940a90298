// The analytics context: the read-side API over the projected satisfaction figures.
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CaseAccess } from '@minyi/case-api';
import { OrganisationDirectoryModule } from '@minyi/organisation';
import { ReadScope } from './application/read-scope.js';
import { ledgerController } from './ledgers/get-ledger.controller.js';
import { GetLedgerHandler } from './ledgers/get-ledger.handler.js';
import { LEDGERS } from './ledgers/ledgers.js';
import { GetRatesController } from './rates/get-rates.controller.js';
import { GetRatesHandler } from './rates/get-rates.handler.js';
import { GetRankingsController } from './rankings/get-rankings.controller.js';
import { GetRankingsHandler } from './rankings/get-rankings.handler.js';
import { GetSatisfactionController } from './satisfaction/get-satisfaction.controller.js';
import { GetSatisfactionHandler } from './satisfaction/get-satisfaction.handler.js';

@Module({
  imports: [CqrsModule, OrganisationDirectoryModule],
  controllers: [GetSatisfactionController, GetRankingsController, GetRatesController, ...LEDGERS.map(ledgerController)],
  providers: [ReadScope, CaseAccess, GetSatisfactionHandler, GetRankingsHandler, GetRatesHandler, GetLedgerHandler],
})
export class AnalyticsModule {}
