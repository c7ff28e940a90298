// The process's connection to Kafka: one client, one idempotent producer, topics ensured at start.
import { Logger } from '@nestjs/common';
import type { Kafka, Producer } from 'kafkajs';
import { createKafka } from './kafka-client.js';
import { ensureTopics, KafkaNames, topicSettingsFrom } from './topics.js';

export class KafkaConnection {
  readonly kafka: Kafka;
  readonly producer: Producer;
  private connected = false;

  constructor(
    brokers: string[],
    clientId: string,
    readonly names = new KafkaNames(),
  ) {
    const logger = new Logger('kafka');
    this.kafka = createKafka(brokers, clientId, (level, m) => (level === 'error' ? logger.error(m) : logger.warn(m)));
    // Idempotent: a retried send never duplicates or reorders a partition's messages.
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, topicSettingsFrom(), this.names);
    } finally {
      await admin.disconnect();
    }
    await this.producer.connect();
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    await this.producer.disconnect().catch(() => undefined);
  }
}

export const KAFKA = Symbol('KafkaConnection');
