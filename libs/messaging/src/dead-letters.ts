// Events a consumer could not apply, kept with the error so that the projection can go on.
import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@minyi/event-store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whatever is known of the message: a dead letter may not even be a well-formed event. */
export type DeadLetter = Partial<Pick<RecordedEvent, 'eventId' | 'globalPosition' | 'type' | 'data'>>;

export async function recordDeadLetter(tx: PoolClient, consumer: string, letter: DeadLetter, error: unknown): Promise<void> {
  const position = Number(letter.globalPosition);
  await tx.query(
    `INSERT INTO dead_letters (consumer, event_id, global_position, type, error, payload) VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      consumer,
      typeof letter.eventId === 'string' && UUID.test(letter.eventId) ? letter.eventId : null,
      Number.isSafeInteger(position) ? position : null,
      typeof letter.type === 'string' ? letter.type : null,
      String((error as Error)?.stack ?? error),
      JSON.stringify(letter.data ?? null),
    ],
  );
}
