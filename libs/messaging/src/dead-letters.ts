// Events a consumer could not apply, kept with the error so that the projection can go on.
import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@minyi/event-store';

export async function recordDeadLetter(tx: PoolClient, consumer: string, event: RecordedEvent, error: unknown): Promise<void> {
  await tx.query(
    `INSERT INTO dead_letters (consumer, event_id, global_position, type, error, payload) VALUES ($1, $2, $3, $4, $5, $6)`,
    [consumer, event.eventId, event.globalPosition, event.type, String((error as Error)?.stack ?? error), JSON.stringify(event.data)],
  );
}
