// The embedded all-in-one: every context's module in one process, on one PostgreSQL.
import { DynamicModule, Module } from '@nestjs/common';
import { AnalyticsModule } from '@minyi/analytics';
import type { EventStore } from '@minyi/event-store';
import { OrganisationModule } from '@minyi/organisation';
import { PlatformModule, type MinyiConfig, type Pools } from '@minyi/platform';
import { ProjectorModule } from '@minyi/projector';
import { RatingsModule } from '@minyi/ratings';

@Module({})
export class MinyiModule {
  static forRoot(config: MinyiConfig, pools: Pools, store: EventStore): DynamicModule {
    return {
      module: MinyiModule,
      imports: [PlatformModule.forRoot(config, pools, store), OrganisationModule, RatingsModule, ProjectorModule, AnalyticsModule],
    };
  }
}
