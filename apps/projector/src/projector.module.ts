// The projector: runs every projection over the committed log and reports their health and lag.
import { Inject, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventStore } from '@minyi/event-store';
import { PostgresLogConsumer, type Consumer } from '@minyi/messaging';
import { CONFIG, HealthRegistry, Metrics, POOLS, type MinyiConfig, type Pools } from '@minyi/platform';
import { SatisfactionProjection } from './satisfaction/satisfaction.projection.js';

export const CONSUMERS = Symbol('Consumers');

@Module({
  providers: [
    {
      provide: CONSUMERS,
      inject: [CONFIG, POOLS, EventStore],
      useFactory: (config: MinyiConfig, pools: Pools, store: EventStore): Consumer[] => {
        const logger = new Logger('projector');
        return [
          new PostgresLogConsumer(pools.app, store, new SatisfactionProjection(config.timeZone), {
            listenUrl: pools.url,
            onError: (err) => logger.warn(`satisfaction: ${(err as Error).message}`),
          }),
        ];
      },
    },
  ],
  exports: [CONSUMERS],
})
export class ProjectorModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private lagTimer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(CONSUMERS) private readonly consumers: Consumer[],
    private readonly health: HealthRegistry,
    private readonly metrics: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const c of this.consumers) {
      this.health.register({
        name: `projection:${c.status().name}`,
        check: () => {
          const s = c.status();
          if (!s.running) return 'not running';
          return s.lastError ? `failing: ${s.lastError}` : null;
        },
      });
      await c.start();
    }
    this.lagTimer = setInterval(() => {
      for (const c of this.consumers) {
        const s = c.status();
        if (s.lastLagSeconds !== null) this.metrics.projectionLagSeconds.set({ projection: s.name }, s.lastLagSeconds);
      }
    }, 1000);
    this.lagTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.lagTimer) clearInterval(this.lagTimer);
    await Promise.all(this.consumers.map((c) => c.stop()));
  }
}
