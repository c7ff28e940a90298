// One minyi process: the platform, the transport and the composition, and the parts it was asked to run (the
// embedded all-in-one runs them all; each process of the distributed mode, its own).
import { DynamicModule, Global, Module } from '@nestjs/common';
import type { EventStore } from '@minyi/event-store';
import { COMPOSITION, MessagingModule } from '@minyi/messaging';
import { OrganisationDirectoryModule } from '@minyi/organisation';
import { PlatformModule, type MinyiConfig, type Pools } from '@minyi/platform';
import { COMPOSED, KAFKA_PARTS, PARTS, type Part } from './composition.js';

/** The manifests' projections, reactors and satisfaction sources, for the parts that run them (the projector). */
@Global()
@Module({ providers: [{ provide: COMPOSITION, useValue: COMPOSED }], exports: [COMPOSITION] })
class CompositionModule {}

@Module({})
export class MinyiModule {
  static forRoot(config: MinyiConfig, pools: Pools, store: EventStore, parts: Part[]): DynamicModule {
    const unknown = parts.filter((p) => !PARTS[p]);
    if (unknown.length) throw new Error(`unknown part(s) ${unknown.join(', ')}; the parts are ${Object.keys(PARTS).join(', ')}`);
    const brokers = parts.some((p) => KAFKA_PARTS.includes(p)) ? config.kafkaBrokers : null;
    return {
      module: MinyiModule,
      imports: [
        PlatformModule.forRoot(config, pools, store),
        MessagingModule.forRoot(brokers, `minyi-${parts.join('-')}`, config.kafkaTopicPrefix),
        OrganisationDirectoryModule,
        CompositionModule,
        ...parts.map((p) => PARTS[p].module),
      ],
    };
  }
}
