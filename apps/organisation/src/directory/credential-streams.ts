// Reads credentials' streams for the resolver: one stream, several at once, and which of many have moved on
// since the versions it holds (the check every process makes each second for the credentials in use).
import { Inject, Injectable } from '@nestjs/common';
import { EventStore, type RecordedEvent } from '@minyi/event-store';
import { POOLS, type Pools } from '@minyi/platform';

/**
 * Streams are appended at consecutive versions, so a stream has moved on from version v exactly when it holds
 * v + 1: one probe of the (stream_id, stream_version) key per stream, and only the streams that moved come back.
 * Measured on 1,000 terminal streams: ~3 ms (1.5 ms of node), against ~23 ms to read them all and ~110 ms to
 * read them one by one.
 */
const CHANGED_SINCE = `SELECT k.stream_id FROM unnest($1::text[], $2::bigint[]) AS k(stream_id, version)
  WHERE EXISTS (SELECT 1 FROM events e WHERE e.stream_id = k.stream_id AND e.stream_version = k.version + 1)`;

@Injectable()
export class CredentialStreams {
  constructor(
    private readonly store: EventStore,
    @Inject(POOLS) private readonly pools: Pools,
  ) {}

  read(streamId: string): Promise<RecordedEvent[]> {
    return this.store.readStream(streamId);
  }

  readMany(streamIds: string[]): Promise<Map<string, RecordedEvent[]>> {
    return this.store.readStreams(streamIds);
  }

  /** The ids of the streams that hold more events than the version given for each. */
  async changedSince(known: { streamId: string; version: number }[]): Promise<string[]> {
    if (known.length === 0) return [];
    const { rows } = await this.pools.app.query<{ stream_id: string }>(CHANGED_SINCE, [known.map((k) => k.streamId), known.map((k) => k.version)]);
    return rows.map((r) => r.stream_id);
  }
}
