// Publishes the new figures of every cell a batch changed to `minyi.indices.changes.v1`, so that
// analytics consumers can follow the indices without polling. Keyed by cell; the topic is compacted.
import type { Producer } from 'kafkajs';
import { figuresOf, type Levels } from '@minyi/indices';
import { chunksBySize, COMPRESSION, INDEX_CHANGES_TOPIC, messageBytes } from '@minyi/messaging';
import type { CountCell } from './satisfaction.fold.js';

export interface IndexChange {
  scope: string;
  granularity: string;
  period: string;
  channel: string;
  n: number;
  levels: Record<'1' | '2' | '3' | '4' | '5', number>;
  satisfactionRate: number | null;
  satisfactionRateInterval: [number, number] | null;
  badRate: number | null;
  meanScore: number | null;
  index: number | null;
  /** Log position of the last event folded into these figures. */
  globalPosition: number;
}

export class IndexChangesPublisher {
  constructor(
    private readonly producer: Producer,
    private readonly topic = INDEX_CHANGES_TOPIC,
  ) {}

  async publish(cells: CountCell[], globalPosition: number): Promise<void> {
    if (!cells.length) return;
    const messages = cells.map((c) => {
      const change: IndexChange = { scope: c.scope, granularity: c.granularity, period: c.period, channel: c.channel, ...figuresOf(c.counts as unknown as Levels), globalPosition };
      return { key: `${c.scope}|${c.granularity}|${c.period}|${c.channel}`, value: JSON.stringify(change) };
    });
    // A batch can change thousands of cells: one send of them all would pass the broker's message size.
    for (const chunk of chunksBySize(messages, messageBytes)) await this.producer.send({ topic: this.topic, acks: -1, compression: COMPRESSION, messages: chunk });
  }
}
