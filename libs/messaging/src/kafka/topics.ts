// The Kafka topics minyi writes, with the settings the code creates them with (documented in the README).
import type { Admin, ITopicConfig } from 'kafkajs';
import { eventCatalog, topicOf } from '@minyi/contracts';

export const INDEX_CHANGES_TOPIC = 'minyi.indices.changes.v1';
export const DEAD_LETTER_TOPIC = 'minyi.deadletter.v1';

/**
 * Topic and group names under an optional prefix (KAFKA_TOPIC_PREFIX), so that several minyi
 * installations — or test runs — can share one cluster. No prefix gives the documented names.
 */
export class KafkaNames {
  constructor(readonly prefix = '') {}
  eventTopic(context: string): string {
    return this.prefix + topicOf(context);
  }
  eventTopics(): string[] {
    return eventTopics().map((t) => this.prefix + t);
  }
  get indexChanges(): string {
    return this.prefix + INDEX_CHANGES_TOPIC;
  }
  get deadLetters(): string {
    return this.prefix + DEAD_LETTER_TOPIC;
  }
  group(name: string): string {
    return this.prefix + name;
  }
}

export interface TopicSettings {
  partitions: number;
  replicationFactor: number;
}

export function topicSettingsFrom(env: NodeJS.ProcessEnv = process.env): TopicSettings {
  return {
    partitions: Number(env.KAFKA_PARTITIONS ?? 6),
    replicationFactor: Number(env.KAFKA_REPLICATION_FACTOR ?? 1),
  };
}

/** Every context's event topic: `minyi.<context>.events.v1`. */
export function eventTopics(): string[] {
  return [...new Set(eventCatalog.definitions.map((d) => topicOf(d.context)))].sort();
}

export function topicConfigs(s: TopicSettings, names = new KafkaNames()): ITopicConfig[] {
  const common = { numPartitions: s.partitions, replicationFactor: s.replicationFactor };
  return [
    // Events: the store in PostgreSQL is the source of truth; Kafka keeps 30 days for consumers to catch up.
    ...names.eventTopics().map((topic) => ({
      topic,
      ...common,
      configEntries: [
        { name: 'retention.ms', value: String(30 * 24 * 3600 * 1000) },
        { name: 'cleanup.policy', value: 'delete' },
        { name: 'min.insync.replicas', value: String(Math.min(2, s.replicationFactor)) },
      ],
    })),
    // Index changes: only the latest figures of each cell matter, so the topic is compacted.
    { topic: names.indexChanges, ...common, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
    { topic: names.deadLetters, numPartitions: 1, replicationFactor: s.replicationFactor, configEntries: [{ name: 'retention.ms', value: String(90 * 24 * 3600 * 1000) }] },
  ];
}

/** Creates the topics that are missing; existing ones are left as they are. */
export async function ensureTopics(admin: Admin, s: TopicSettings, names = new KafkaNames()): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topicConfigs(s, names).filter((t) => !existing.has(t.topic));
  if (missing.length) await admin.createTopics({ topics: missing, waitForLeaders: true });
}
