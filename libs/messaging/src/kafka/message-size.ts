// How much goes into one produce request, and which broker refusals blame the records rather than the broker.
// kafkajs puts all of a send's messages for one partition into one RecordBatch and never splits it by size;
// the broker refuses a RecordBatch over the topic's max.message.bytes (1 MiB by default) with MESSAGE_TOO_LARGE.
import { CompressionTypes, type Message } from 'kafkajs';

/**
 * Message bytes (key, value, headers) per produce call: half the broker's default limit, so that a partition's
 * RecordBatch fits it even uncompressed and with its framing (a few dozen bytes per record).
 */
export const MAX_SEND_BYTES = 512 * 1024;
/** Messages per produce call, whatever their size. */
export const MAX_SEND_MESSAGES = 2000;
/** Built into kafkajs (no native module); a batch of typical rating envelopes shrinks to about a sixth. */
export const COMPRESSION = CompressionTypes.GZIP;

/** What a message weighs in a produce request, before compression: key, value, headers, and framing. */
export function messageBytes(m: Message): number {
  let n = 32 + byteLength(m.key) + byteLength(m.value);
  for (const [k, v] of Object.entries(m.headers ?? {})) {
    n += 8 + Buffer.byteLength(k);
    for (const x of Array.isArray(v) ? v : [v]) n += byteLength(x);
  }
  return n;
}

function byteLength(x: Buffer | string | null | undefined): number {
  if (x === null || x === undefined) return 0;
  return typeof x === 'string' ? Buffer.byteLength(x) : x.length;
}

/**
 * Consecutive runs of `items`, in order, each at most `maxBytes` (by `bytesOf`) and `maxCount` long; an item
 * heavier than `maxBytes` on its own makes a run of one.
 */
export function chunksBySize<T>(items: readonly T[], bytesOf: (item: T) => number, maxBytes = MAX_SEND_BYTES, maxCount = MAX_SEND_MESSAGES): T[][] {
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const b = bytesOf(item);
    if (chunk.length > 0 && (bytes + b > maxBytes || chunk.length >= maxCount)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(item);
    bytes += b;
  }
  if (chunk.length) chunks.push(chunk);
  return chunks;
}

/**
 * The broker's refusals that are about the records sent, not about the broker: the same records would be
 * refused again, however often they are sent. Every other Kafka error — the broker away, a leader moving,
 * KafkaJSNumberOfRetriesExceeded after an outage (non-retriable by kafkajs's flag, but caused by a retriable
 * error), a missing topic or permission — says nothing about the records and is worth retrying.
 */
const RECORD_FAULTS = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD']);

/** True when `err`, or an error it was caused by, is one of the broker's refusals of the records themselves. */
export function blamesTheRecord(err: unknown): boolean {
  for (let e = err as { type?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 8; e = e.cause as typeof e, depth++) {
    if (typeof e.type === 'string' && RECORD_FAULTS.has(e.type)) return true;
  }
  return false;
}
