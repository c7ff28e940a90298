// The distributed transport: feeds a projection from Kafka with a consumer group. Each batch's
// read-model change and its place (offset and log position per topic-partition) are written in one
// PostgreSQL transaction, so a redelivery after a crash or rebalance, or a duplicate the relay sent
// again, changes nothing. A message that cannot be processed goes to the dead-letter topic. A rebuild
// hands its read model over by setting a floor: every partition then skips the events up to that
// log position, which the rebuilt tables hold.
import type { Consumer as KafkaConsumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import { eventCatalog } from '@minyi/contracts';
import { compareLogPositions, type LogPosition, type RecordedEvent } from '@minyi/event-store';
import { ensureCheckpoint } from '../checkpoints.js';
import { recordDeadLetter, type DeadLetter } from '../dead-letters.js';
import { isTransient } from '../postgres-log.consumer.js';
import { startProjection, type AnyProjection, type Consumer, type ConsumerStatus } from '../projection.js';
import { fromMessage, header } from './envelope.js';

interface PartitionPlace {
  /** The next offset to apply. */
  offset: string;
  /** The log position of the last event applied from this partition. */
  transactionId: string;
  globalPosition: number;
}
/** Per `topic/partition`; under REBUILT_FLOOR, the floor a rebuild set (its offset unused). */
type Places = Record<string, PartitionPlace>;

/**
 * The key of the places that no topic-partition can have: every partition skips the events up to its log
 * position, which a rebuild put into the read model it swapped in (apps/projector's generic rebuild sets it).
 */
export const REBUILT_FLOOR = '*';

export interface KafkaLogConsumerOptions {
  topics: string[];
  /**
   * The event types the projection handles: messages of other types move its places on without being parsed,
   * validated or applied. Absent: every message.
   */
  handles?: readonly string[];
  /** Consumer group id; also the checkpoint's name in PostgreSQL. */
  groupId: string;
  /** Where messages that cannot be processed go. */
  deadLetterTopic: string;
  onError?: (err: unknown) => void;
}

export class KafkaLogConsumer implements Consumer {
  private consumer: KafkaConsumer | null = null;
  private running = false;
  private lastError: string | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private applied = 0;
  private lagSeconds: number | null = null;
  private readonly handles: ReadonlySet<string> | null;

  constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly pool: Pool,
    private readonly projection: AnyProjection,
    private readonly options: KafkaLogConsumerOptions,
  ) {
    // Which messages are new is known only inside the transaction: a delivery before it may repeat one.
    if (projection.deliver && !projection.deliversIdempotently) {
      throw new Error(`${projection.name} delivers outside the database, not idempotently; run it on the postgres transport`);
    }
    this.handles = options.handles ? new Set(options.handles) : null;
  }

  async start(): Promise<void> {
    await ensureCheckpoint(this.pool, this.options.groupId);
    await startProjection(this.pool, this.projection);
    this.running = true; // wanted from now on, until stop()
    try {
      await this.connect();
    } catch (err) {
      this.running = false;
      throw err;
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const consumer = this.consumer;
    this.consumer = null;
    await consumer?.disconnect().catch(() => undefined);
  }

  /** Joins the group with a new kafkajs consumer and runs it; one stopped or replaced meanwhile is let go. */
  private async connect(): Promise<void> {
    // A short session: after a crash (kill -9) the group hands the partitions on within ~10 s, not 30.
    const consumer = this.kafka.consumer({ groupId: this.options.groupId, sessionTimeout: 10_000, heartbeatInterval: 1000, maxWaitTimeInMs: 50 });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (e) => {
      if (this.consumer !== consumer) return; // a consumer already replaced
      this.lastError = String(e.payload.error?.message ?? e.payload.error);
      this.options.onError?.(e.payload.error);
      // kafkajs restarts the consumer itself only after errors it deems retriable (having disconnected it);
      // after any other (a heartbeat refused mid-outage, say) it would stay down for good. Join again.
      if (!e.payload.restart) this.restartSoon();
    });
    // Back in a group after a crash or rebalance: the earlier failure is over.
    consumer.on(consumer.events.GROUP_JOIN, () => (this.lastError = null));
    await consumer.connect();
    await consumer.subscribe({ topics: this.options.topics, fromBeginning: true });
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (p) => this.batch(p) });
    if (this.consumer !== consumer) await consumer.disconnect().catch(() => undefined);
  }

  /** Joins again after `delayMs` (the checkpoint and the projection's warm caches stay as they are). */
  private restartSoon(delayMs = 2000): void {
    if (this.restartTimer || !this.running) return;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.running) return;
      this.connect().catch((err) => {
        this.lastError = String((err as Error)?.message ?? err);
        this.options.onError?.(err);
        this.restartSoon(Math.min(delayMs * 2, 30_000));
      });
    }, delayMs);
  }

  status(): ConsumerStatus {
    return { name: this.projection.name, running: this.running, lastError: this.lastError, appliedEvents: this.applied, lastLagSeconds: this.lagSeconds };
  }

  private async batch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (!isRunning() || isStale() || batch.messages.length === 0) return;
    const key = `${batch.topic}/${batch.partition}`;
    try {
      await this.deliverFirst(key, batch.messages);
      await this.transaction(key, batch.messages, async (tx, place, fresh) => {
        const events = this.eventsOf(fresh);
        if (events.length) await this.projection.apply(events, tx);
        return events;
      });
    } catch (err) {
      if (isTransient(err)) throw err; // kafkajs retries the batch after a pause
      // Find the message that fails; the others land, it goes to the dead-letter topic.
      for (const m of batch.messages) await this.one(key, batch.topic, batch.partition, m);
    }
    resolveOffset(batch.messages.at(-1)!.offset);
    await commitOffsetsIfNecessary(); // Kafka's own record is only a hint: PostgreSQL's decides
    await heartbeat();
    this.lastError = null;
  }

  private async one(key: string, topic: string, partition: number, m: KafkaMessage): Promise<void> {
    try {
      await this.deliverFirst(key, [m]);
      await this.transaction(key, [m], async (tx, _place, fresh) => {
        const events = this.eventsOf(fresh);
        if (events.length) await this.projection.apply(events, tx);
        return events;
      });
    } catch (err) {
      if (isTransient(err)) throw err;
      await this.producer.send({
        topic: this.options.deadLetterTopic,
        acks: -1,
        messages: [{ key: m.key, value: m.value, headers: { ...m.headers, 'dead-letter-consumer': this.options.groupId, 'dead-letter-source': `${topic}/${partition}@${m.offset}`, 'dead-letter-error': String((err as Error).message ?? err) } }],
      });
      await this.transaction(
        key,
        [m],
        async (tx) => {
          let letter: DeadLetter = { data: m.value?.toString() };
          try {
            letter = fromMessage(m.value);
          } catch {
            // not even an envelope: keep the raw text
          }
          await recordDeadLetter(tx, this.options.groupId, letter, err);
          return [];
        },
        true,
      );
    }
  }

  /** The events of the messages of types the projection handles, checked against the catalogue. */
  private eventsOf(messages: KafkaMessage[]): RecordedEvent[] {
    const events: RecordedEvent[] = [];
    for (const m of messages) {
      const type = header(m.headers, 'event-type');
      if (this.handles && type !== undefined && !this.handles.has(type)) continue;
      const e = fromMessage(m.value);
      if (this.handles && !this.handles.has(e.type)) continue;
      eventCatalog.validate(e.type, e.version, e.data);
      events.push(e);
    }
    return events;
  }

  /**
   * An idempotent delivery (a reactor's commands) of the messages not yet applied, read from the places without
   * holding them: made before the transaction, so that none stays open while it runs; one applied meanwhile by
   * another instance is delivered again, which its idempotence makes harmless.
   */
  private async deliverFirst(key: string, messages: KafkaMessage[]): Promise<void> {
    if (!this.projection.deliver) return;
    const { rows } = await this.pool.query<{ offsets: Places }>('SELECT offsets FROM consumer_checkpoints WHERE consumer = $1', [this.options.groupId]);
    const events = this.eventsOf(freshOf(rows[0]?.offsets ?? {}, key, messages));
    if (events.length) await (this.projection.deliver as (events: RecordedEvent[]) => Promise<void>)(events);
  }

  /**
   * Runs `work` on the messages not yet applied, in one transaction with the partition's new place.
   * `force` moves the place past the messages even when `work` applied none (a dead letter).
   */
  private async transaction(
    key: string,
    messages: KafkaMessage[],
    work: (tx: PoolClient, place: PartitionPlace | undefined, fresh: KafkaMessage[]) => Promise<RecordedEvent[]>,
    force = false,
  ): Promise<void> {
    const tx = await this.pool.connect();
    try {
      await tx.query('BEGIN');
      const { rows } = await tx.query<{ offsets: Places }>('SELECT offsets FROM consumer_checkpoints WHERE consumer = $1 FOR UPDATE', [this.options.groupId]);
      const places = rows[0]?.offsets ?? {};
      const place = places[key];
      const fresh = freshOf(places, key, messages);
      const applied = await work(tx, place, fresh);
      const last = messages.at(-1)!;
      const lastPos = fresh.length ? positionOf(fresh.at(-1)!) : null;
      // (Messages all skipped — a relay's re-sends, or below a rebuild's floor — still move the offset on.)
      if (fresh.length || force || !place || BigInt(last.offset) >= BigInt(place.offset)) {
        places[key] = {
          offset: String(BigInt(last.offset) + 1n),
          transactionId: lastPos?.transactionId ?? place?.transactionId ?? '0',
          globalPosition: lastPos?.globalPosition ?? place?.globalPosition ?? 0,
        };
        await tx.query('UPDATE consumer_checkpoints SET offsets = $2, updated_at = now() WHERE consumer = $1', [this.options.groupId, JSON.stringify(places)]);
      }
      await tx.query('COMMIT');
      this.applied += applied.length;
      if (applied.length) {
        this.lagSeconds = (Date.now() - applied.at(-1)!.recordedAt.getTime()) / 1000;
        await this.projection.afterCommit?.(applied).catch((err) => this.options.onError?.(err));
      }
    } catch (err) {
      await tx.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      tx.release();
    }
  }
}

/**
 * The messages a partition has not applied: past its offset, and (for a relay that re-sent after a crash) past the
 * last log position applied — checked message by message, so a re-sent run inside one batch is caught too — and
 * past the floor of a rebuild (the events up to it are in the read model it swapped in).
 */
function freshOf(places: Places, key: string, messages: KafkaMessage[]): KafkaMessage[] {
  const place = places[key];
  const floor = places[REBUILT_FLOOR];
  let seen: LogPosition | null = place && floor ? (compareLogPositions(place, floor) >= 0 ? place : floor) : (place ?? floor ?? null);
  return messages.filter((m) => {
    if (place && BigInt(m.offset) < BigInt(place.offset)) return false;
    const pos = positionOf(m);
    if (pos && seen && compareLogPositions(pos, seen) <= 0) return false;
    if (pos) seen = pos;
    return true;
  });
}

function positionOf(m: KafkaMessage): LogPosition | null {
  const tx = m.headers?.['transaction-id'];
  const pos = m.headers?.['global-position'];
  if (!tx || !pos) return null;
  return { transactionId: String(tx), globalPosition: Number(String(pos)) };
}
