// The distributed transport: feeds a projection from Kafka with a consumer group. Each batch's
// read-model change and its place (offset and log position per topic-partition) are written in one
// PostgreSQL transaction, so a redelivery after a crash or rebalance, or a duplicate the relay sent
// again, changes nothing. A message that cannot be processed goes to the dead-letter topic.
import type { Consumer as KafkaConsumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import { eventCatalog } from '@minyi/contracts';
import { compareLogPositions, type LogPosition, type RecordedEvent } from '@minyi/event-store';
import { ensureCheckpoint } from '../checkpoints.js';
import { recordDeadLetter, type DeadLetter } from '../dead-letters.js';
import { isTransient } from '../postgres-log.consumer.js';
import { startProjection, type AnyProjection, type Consumer, type ConsumerStatus } from '../projection.js';
import { fromMessage } from './envelope.js';

interface PartitionPlace {
  /** The next offset to apply. */
  offset: string;
  /** The log position of the last event applied from this partition. */
  transactionId: string;
  globalPosition: number;
}
type Places = Record<string, PartitionPlace>;

export interface KafkaLogConsumerOptions {
  topics: string[];
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

  constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly pool: Pool,
    private readonly projection: AnyProjection,
    private readonly options: KafkaLogConsumerOptions,
  ) {
    // Which messages are new is known only inside the transaction; deliveries outside it are the postgres transport's.
    if (projection.deliver) throw new Error(`${projection.name} delivers outside the database; run it on the postgres transport`);
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
      await this.transaction(key, batch.messages, async (tx, place, fresh) => {
        const events = fresh.map((m) => fromMessage(m.value));
        for (const e of events) eventCatalog.validate(e.type, e.version, e.data);
        await this.projection.apply(events, tx);
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
      await this.transaction(key, [m], async (tx, _place, fresh) => {
        if (!fresh.length) return [];
        const e = fromMessage(m.value);
        eventCatalog.validate(e.type, e.version, e.data);
        await this.projection.apply([e], tx);
        return [e];
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
      // Keep what this partition has not applied: past its offset, and (for a relay that re-sent after
      // a crash) past the last log position applied — checked message by message, so a re-sent run
      // inside one batch is caught too.
      let seen: LogPosition | null = place ?? null;
      const fresh = messages.filter((m) => {
        if (place && BigInt(m.offset) < BigInt(place.offset)) return false;
        const pos = positionOf(m);
        if (pos && seen && compareLogPositions(pos, seen) <= 0) return false;
        if (pos) seen = pos;
        return true;
      });
      const applied = await work(tx, place, fresh);
      const last = messages.at(-1)!;
      const lastPos = fresh.length ? positionOf(fresh.at(-1)!) : null;
      if (fresh.length || force || !place) {
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

function positionOf(m: KafkaMessage): LogPosition | null {
  const tx = m.headers?.['transaction-id'];
  const pos = m.headers?.['global-position'];
  if (!tx || !pos) return null;
  return { transactionId: String(tx), globalPosition: Number(String(pos)) };
}
