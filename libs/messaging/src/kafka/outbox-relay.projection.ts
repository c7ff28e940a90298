// The relay: publishes the committed log to Kafka. It runs as a projection of the postgres transport that
// only delivers: its checkpoint moves in a short transaction after the broker's acknowledgement — a crash
// between commit and publish loses nothing (the relay resumes from its checkpoint and publishes again), and
// no transaction stays open while the broker is slow or away.
//
// A batch goes out in sends of at most MAX_SEND_BYTES, compressed, one after another in log order. A send the
// broker still refuses as too large is split until each part fits; an event that does not fit on its own can
// never be published: it is kept in dead_letters (in the transaction that moves the checkpoint past it),
// logged, and announced on the dead-letter topic, and the relay goes on.
import { Partitioners, type CompressionTypes, type Message, type PartitionMetadata, type Producer } from 'kafkajs';
import type { PoolClient } from 'pg';
import { eventCatalog } from '@minyi/contracts';
import type { RecordedEvent } from '@minyi/event-store';
import { recordDeadLetter } from '../dead-letters.js';
import type { Projection } from '../projection.js';
import { toMessage } from './envelope.js';
import { blamesTheRecord, chunksBySize, COMPRESSION, MAX_SEND_BYTES, MAX_SEND_MESSAGES, messageBytes } from './message-size.js';
import type { KafkaNames } from './topics.js';

export const RELAY_CONSUMER = 'relay';

/** What the relay needs of the process's Kafka connection (KafkaConnection). */
export interface RelayKafka {
  readonly producer: Producer;
  readonly names: KafkaNames;
  partitionsOf(topic: string): Promise<PartitionMetadata[]>;
  refreshPartitions(): Promise<void>;
}

export interface OutboxRelayOptions {
  /** Message bytes per produce call (before compression). */
  maxSendBytes?: number;
  maxSendMessages?: number;
  /** GZIP unless told otherwise (CompressionTypes.None, to measure what it costs). */
  compression?: CompressionTypes;
  /** Told of every event that can never be published (it is also kept in dead_letters). */
  onDeadLetter?: (event: RecordedEvent, error: unknown) => void;
}

interface Outgoing {
  event: RecordedEvent;
  topic: string;
  message: Message & { partition: number };
  bytes: number;
}

export class OutboxRelay implements Projection {
  readonly name = RELAY_CONSUMER;
  published = 0;
  /** The events of the batch being delivered that the broker refused on their own, with its reason. */
  private unpublishable = new Map<string, unknown>();
  // Picking the partition here with kafkajs's own default partitioner (murmur2 of the key, as Java's) keeps
  // every stream where it was, and tells the relay which partitions a refused send spanned.
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private readonly maxSendBytes: number;
  private readonly maxSendMessages: number;
  private readonly compression: CompressionTypes;

  constructor(
    private readonly kafka: RelayKafka,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.maxSendBytes = options.maxSendBytes ?? MAX_SEND_BYTES;
    this.maxSendMessages = options.maxSendMessages ?? MAX_SEND_MESSAGES;
    this.compression = options.compression ?? COMPRESSION;
  }

  async deliver(events: RecordedEvent[]): Promise<void> {
    this.unpublishable = new Map();
    const outgoing: Outgoing[] = [];
    const partitionsOf = new Map<string, PartitionMetadata[]>();
    for (const event of events) {
      const topic = this.kafka.names.eventTopic(eventCatalog.contextOf(event.type));
      const message = toMessage(event);
      let partitionMetadata = partitionsOf.get(topic);
      if (!partitionMetadata) {
        partitionMetadata = await this.kafka.partitionsOf(topic);
        // Not the event's fault: retried (the topic is being created, or the broker not yet answering).
        if (!partitionMetadata.length) throw Object.assign(new Error(`no partitions known for ${topic}`), { retriable: true });
        partitionsOf.set(topic, partitionMetadata);
      }
      const partition = this.partitioner({ topic, partitionMetadata, message });
      outgoing.push({ event, topic, message: { ...message, partition }, bytes: messageBytes(message) });
    }
    try {
      for (const chunk of chunksBySize(outgoing, (o) => o.bytes, this.maxSendBytes, this.maxSendMessages)) await this.send(chunk);
    } catch (err) {
      // The broker away, or its partitions changed: read them again before the batch is delivered again.
      await this.kafka.refreshPartitions().catch(() => undefined);
      throw err;
    }
    for (const o of outgoing) if (this.unpublishable.has(o.event.eventId)) await this.announce(o, this.unpublishable.get(o.event.eventId));
    this.published += events.length - this.unpublishable.size;
  }

  /** Keeps what could not be published in dead_letters, with the checkpoint that moves past it. */
  async apply(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    for (const e of events) {
      if (!this.unpublishable.has(e.eventId)) continue;
      const error = this.unpublishable.get(e.eventId);
      await recordDeadLetter(tx, this.name, e, error);
      this.options.onDeadLetter?.(e, error);
    }
  }

  /**
   * One produce call. If the broker refuses it for its records' size, each partition's part is sent again on its
   * own — the very same messages, so the idempotent producer's sequence numbers match and the broker takes a
   * part it had already written as a duplicate (kafkajs rewinds every partition of a failed request, even those
   * the broker took) — and a part still refused is halved, until a single event is left: that one cannot be
   * published.
   */
  private async send(chunk: Outgoing[]): Promise<void> {
    try {
      await this.kafka.producer.sendBatch({ acks: -1, compression: this.compression, topicMessages: byTopic(chunk) });
    } catch (err) {
      if (!blamesTheRecord(err)) throw err;
      const parts = byPartition(chunk);
      if (parts.length > 1) {
        for (const part of parts) await this.send(part);
      } else if (chunk.length > 1) {
        const half = Math.ceil(chunk.length / 2);
        await this.send(chunk.slice(0, half));
        await this.send(chunk.slice(half));
      } else {
        this.unpublishable.set(chunk[0].event.eventId, err);
      }
    }
  }

  /** Tells Kafka's readers which event is missing from its topic (the envelope itself did not fit). */
  private async announce(o: Outgoing, error: unknown): Promise<void> {
    const e = o.event;
    const notice = { eventId: e.eventId, streamId: e.streamId, type: e.type, version: e.version, globalPosition: e.globalPosition, transactionId: e.transactionId, bytes: o.bytes };
    await this.kafka.producer.send({
      topic: this.kafka.names.deadLetters,
      acks: -1,
      compression: COMPRESSION,
      messages: [
        {
          key: o.message.key,
          value: JSON.stringify(notice),
          headers: { ...o.message.headers, 'dead-letter-consumer': this.name, 'dead-letter-source': o.topic, 'dead-letter-error': String((error as Error)?.message ?? error) },
        },
      ],
    });
  }
}

function byTopic(chunk: Outgoing[]): { topic: string; messages: Message[] }[] {
  const topics = new Map<string, Message[]>();
  for (const o of chunk) {
    const list = topics.get(o.topic) ?? [];
    list.push(o.message);
    topics.set(o.topic, list);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}

/** The chunk's messages per topic-partition, each part in log order. */
function byPartition(chunk: Outgoing[]): Outgoing[][] {
  const parts = new Map<string, Outgoing[]>();
  for (const o of chunk) {
    const key = `${o.topic}/${o.message.partition}`;
    const list = parts.get(key) ?? [];
    list.push(o);
    parts.set(key, list);
  }
  return [...parts.values()];
}
