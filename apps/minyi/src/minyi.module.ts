// The embedded all-in-one: every context's module in one process, on one PostgreSQL.
import { DynamicModule, Module } from '@nestjs/common';
import { AnalyticsModule } from '@minyi/analytics';
import { ComplaintsModule } from '@minyi/complaints';
import type { EventStore } from '@minyi/event-store';
import { OrganisationDirectoryModule, OrganisationModule } from '@minyi/organisation';
import { PlatformModule, type MinyiConfig, type Pools } from '@minyi/platform';
import { ProjectorModule } from '@minyi/projector';
import { MessagingModule } from '@minyi/messaging';
import { RelayModule } from '@minyi/relay';
import { RatingsModule } from '@minyi/ratings';

/** The parts one process can run; the all-in-one runs them all, the distributed mode one each. */
export const PARTS = {
  organisation: OrganisationModule,
  ratings: RatingsModule,
  projector: ProjectorModule,
  analytics: AnalyticsModule,
  relay: RelayModule,
  // Until the manifests compose the parts: run with an explicit part list (its migrations are not composed yet).
  complaints: ComplaintsModule,
} as const;
export type Part = keyof typeof PARTS;
/** The embedded all-in-one: everything but the relay, which exists only to feed Kafka. */
export const ALL_PARTS: Part[] = ['organisation', 'ratings', 'projector', 'analytics'];
/** The parts that talk to Kafka when it is configured; a process without them never connects to it. */
const KAFKA_PARTS: Part[] = ['projector', 'relay'];

@Module({})
export class MinyiModule {
  static forRoot(config: MinyiConfig, pools: Pools, store: EventStore, parts: Part[]): DynamicModule {
    const brokers = parts.some((p) => KAFKA_PARTS.includes(p)) ? config.kafkaBrokers : null;
    return {
      module: MinyiModule,
      imports: [
        PlatformModule.forRoot(config, pools, store),
        MessagingModule.forRoot(brokers, `minyi-${parts.join('-')}`, config.kafkaTopicPrefix),
        OrganisationDirectoryModule,
        ...parts.map((p) => PARTS[p]),
      ],
    };
  }
}
