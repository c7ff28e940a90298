// The process's connection to Kafka: one client, one idempotent producer, topics ensured at start.
import { Logger } from '@nestjs/common';
import type { Kafka, PartitionMetadata, Producer } from 'kafkajs';
import { createKafka } from './kafka-client.js';
import { ensureTopics, KafkaNames, topicSettingsFrom } from './topics.js';

export class KafkaConnection {
  readonly kafka: Kafka;
  readonly producer: Producer;
  private connected = false;
  private readonly partitions = new Map<string, PartitionMetadata[]>();

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
      await this.readPartitions(admin, this.names.eventTopics());
    } finally {
      await admin.disconnect();
    }
    await this.producer.connect();
    this.connected = true;
  }

  /**
   * The partitions of `topic` as the broker last told them (read at connect, again after `refreshPartitions`),
   * for a producer that picks each message's partition itself.
   */
  async partitionsOf(topic: string): Promise<PartitionMetadata[]> {
    const known = this.partitions.get(topic);
    if (known) return known;
    await this.refreshPartitions([topic]);
    return this.partitions.get(topic) ?? [];
  }

  async refreshPartitions(topics = [...this.partitions.keys()]): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await this.readPartitions(admin, topics);
    } finally {
      await admin.disconnect();
    }
  }

  private async readPartitions(admin: ReturnType<Kafka['admin']>, topics: string[]): Promise<void> {
    if (!topics.length) return;
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
    for (const t of metadata) this.partitions.set(t.name, t.partitions);
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    await this.producer.disconnect().catch(() => undefined);
  }
}

export const KAFKA = Symbol('KafkaConnection');
