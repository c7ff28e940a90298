// The projector: runs every projection over the committed log and reports their health and lag.
import { Inject, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventStore } from '@minyi/event-store';
import { consumerHealthCheck, KAFKA, KafkaLogConsumer, PostgresLogConsumer, type Consumer, type KafkaConnection } from '@minyi/messaging';
import { CONFIG, HealthRegistry, Metrics, POOLS, type MinyiConfig, type Pools } from '@minyi/platform';
import { IndexChangesPublisher } from './satisfaction/index-changes.publisher.js';
import { SatisfactionProjection } from './satisfaction/satisfaction.projection.js';

export const CONSUMERS = Symbol('Consumers');
/** The projector's consumer group in Kafka, and the name of its checkpoint row in PostgreSQL. */
export const KAFKA_GROUP = 'minyi.projector.satisfaction';

@Module({
  providers: [
    {
      provide: CONSUMERS,
      inject: [CONFIG, POOLS, EventStore, KAFKA],
      useFactory: (config: MinyiConfig, pools: Pools, store: EventStore, kafka: KafkaConnection | null): Consumer[] => {
        const logger = new Logger('projector');
        const onError = (err: unknown) => logger.warn(`satisfaction: ${(err as Error).message}`);
        if (!kafka) {
          // Embedded: follow the event store's log directly.
          return [new PostgresLogConsumer(pools.app, store, new SatisfactionProjection(config.timeZone, store), { listenUrl: pools.url, onError })];
        }
        // Distributed: consume the relay's topics; publish what changed for analytics consumers.
        const projection = new SatisfactionProjection(config.timeZone, store, new IndexChangesPublisher(kafka.producer, kafka.names.indexChanges));
        return [
          new KafkaLogConsumer(kafka.kafka, kafka.producer, pools.app, projection, {
            topics: kafka.names.eventTopics(),
            groupId: kafka.names.group(KAFKA_GROUP),
            deadLetterTopic: kafka.names.deadLetters,
            onError,
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
      this.health.register(consumerHealthCheck(`projection:${c.status().name}`, c));
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
