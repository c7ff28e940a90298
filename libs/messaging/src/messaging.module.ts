// Provides the Kafka connection when KAFKA_BROKERS is set (distributed mode), else null (embedded mode).
import { DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { KAFKA, KafkaConnection } from './kafka/kafka.connection.js';
import { KafkaNames } from './kafka/topics.js';

@Global()
@Module({})
export class MessagingModule implements OnApplicationShutdown {
  constructor(@Inject(KAFKA) private readonly kafka: KafkaConnection | null) {}

  static forRoot(brokers: string[] | null, clientId: string, topicPrefix = ''): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        {
          provide: KAFKA,
          useFactory: async () => {
            if (!brokers) return null;
            const k = new KafkaConnection(brokers, clientId, new KafkaNames(topicPrefix));
            await k.connect();
            return k;
          },
        },
      ],
      exports: [KAFKA],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    // Consumers stop first (their modules' shutdown hooks run before this global one's).
    await this.kafka?.disconnect();
  }
}
