// How a recorded event travels on Kafka: keyed by stream id, the envelope as JSON, the essentials as headers.
import type { IHeaders, Message } from 'kafkajs';
import type { RecordedEvent } from '@minyi/event-store';

export function toMessage(e: RecordedEvent): Message {
  return {
    key: e.streamId,
    value: JSON.stringify(e),
    headers: {
      'event-id': e.eventId,
      'event-type': e.type,
      'event-version': String(e.version),
      'global-position': String(e.globalPosition),
      'transaction-id': e.transactionId,
      'correlation-id': e.metadata.correlationId,
    },
  };
}

export function fromMessage(value: Buffer | null): RecordedEvent {
  if (!value) throw new Error('empty message');
  const raw = JSON.parse(value.toString('utf8')) as RecordedEvent & { occurredAt: string; recordedAt: string };
  return { ...raw, occurredAt: new Date(raw.occurredAt), recordedAt: new Date(raw.recordedAt) };
}

export function header(headers: IHeaders | undefined, name: string): string | undefined {
  const v = headers?.[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? String(v[0]) : String(v);
}
