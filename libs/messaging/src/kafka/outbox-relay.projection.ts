// The relay: publishes the committed log to Kafka. It runs as a projection of the postgres transport that
// only delivers: its checkpoint moves in a short transaction after the broker's acknowledgement — a crash
// between commit and publish loses nothing (the relay resumes from its checkpoint and publishes again), and
// no transaction stays open while the broker is slow or away.
import type { Producer } from 'kafkajs';
import { eventCatalog } from '@minyi/contracts';
import type { RecordedEvent } from '@minyi/event-store';
import type { Projection } from '../projection.js';
import { toMessage } from './envelope.js';
import { KafkaNames } from './topics.js';

export const RELAY_CONSUMER = 'relay';

export class OutboxRelay implements Projection {
  readonly name = RELAY_CONSUMER;
  published = 0;

  constructor(
    private readonly producer: Producer,
    private readonly names = new KafkaNames(),
  ) {}

  async deliver(events: RecordedEvent[]): Promise<void> {
    const byTopic = new Map<string, RecordedEvent[]>();
    for (const e of events) {
      const topic = this.names.eventTopic(eventCatalog.contextOf(e.type));
      const list = byTopic.get(topic) ?? [];
      list.push(e);
      byTopic.set(topic, list);
    }
    // acks: -1 waits for every in-sync replica; the idempotent producer keeps each partition's order.
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list.map(toMessage) })),
    });
    this.published += events.length;
  }

  /** Nothing to write beside the checkpoint: the events went to Kafka in deliver(). */
  async apply(): Promise<void> {}
}
