// The platform every minyi process shares: configuration, pools, the event store, auth, errors, health, metrics.
import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { EventStore } from '@minyi/event-store';
import type { MinyiConfig } from './config.js';
import type { Pools } from './database.js';
import { HealthController, HealthRegistry } from './health.js';
import { Metrics } from './metrics.js';
import { ProblemFilter } from './problem.filter.js';
import { CONFIG, POOLS } from './tokens.js';

@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: MinyiConfig, pools: Pools, eventStore: EventStore): DynamicModule {
    return {
      module: PlatformModule,
      controllers: [HealthController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: POOLS, useValue: pools },
        { provide: EventStore, useValue: eventStore },
        Metrics,
        HealthRegistry,
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
      exports: [CONFIG, POOLS, EventStore, Metrics, HealthRegistry],
    };
  }
}
