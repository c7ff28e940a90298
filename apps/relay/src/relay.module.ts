// The relay (distributed mode only): publishes every committed event to its Kafka topic, keyed by
// stream id, moving its checkpoint only after the broker has acknowledged.
import { Inject, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventStore } from '@minyi/event-store';
import { consumerHealthCheck, KAFKA, OutboxRelay, PostgresLogConsumer, type KafkaConnection } from '@minyi/messaging';
import { HealthRegistry, POOLS, type Pools } from '@minyi/platform';

@Module({})
export class RelayModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer: PostgresLogConsumer | null = null;
  private readonly logger = new Logger('relay');

  constructor(
    @Inject(KAFKA) private readonly kafka: KafkaConnection | null,
    @Inject(POOLS) private readonly pools: Pools,
    private readonly store: EventStore,
    private readonly health: HealthRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.kafka) throw new Error('the relay publishes to Kafka: set KAFKA_BROKERS');
    const relay = new OutboxRelay(this.kafka, {
      onDeadLetter: (e, err) =>
        this.logger.error(`event ${e.eventId} (${e.type}, stream ${e.streamId}, log position ${e.globalPosition}) can never be published: ${(err as Error)?.message ?? err}; kept in dead_letters and announced on ${this.kafka!.names.deadLetters}`),
    });
    this.consumer = new PostgresLogConsumer(this.pools.app, this.store, relay, {
      listenUrl: this.pools.url,
      batchSize: 2000,
      onError: (err) => this.logger.warn(`publishing: ${(err as Error).message}`),
    });
    this.health.register(consumerHealthCheck('relay', this.consumer));
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
