// A consumer's place in the global log, read and moved inside the same transaction as its effects.
import type { Pool, PoolClient } from 'pg';
import { LOG_START, prepared, type LogPosition } from '@minyi/event-store';

const READ = `SELECT transaction_id::text AS transaction_id, global_position FROM consumer_checkpoints WHERE consumer = $1`;
const READ_CHECKPOINT = prepared(READ);
const LOCK_CHECKPOINT = prepared(`${READ} FOR UPDATE`);
const WRITE_CHECKPOINT = prepared(
  `UPDATE consumer_checkpoints SET transaction_id = $2::xid8, global_position = $3, updated_at = now() WHERE consumer = $1`,
);

export async function readCheckpoint(db: Pool | PoolClient, consumer: string, lock = false): Promise<LogPosition> {
  const { rows } = await db.query<{ transaction_id: string; global_position: number }>((lock ? LOCK_CHECKPOINT : READ_CHECKPOINT)([consumer]));
  return rows.length ? { transactionId: rows[0].transaction_id, globalPosition: Number(rows[0].global_position) } : LOG_START;
}

/** Inserts the checkpoint row if it is missing, so that it can be locked. */
export async function ensureCheckpoint(db: Pool | PoolClient, consumer: string): Promise<void> {
  await db.query(
    `INSERT INTO consumer_checkpoints (consumer, transaction_id, global_position) VALUES ($1, '0', 0) ON CONFLICT (consumer) DO NOTHING`,
    [consumer],
  );
}

export async function writeCheckpoint(tx: PoolClient, consumer: string, at: LogPosition): Promise<void> {
  await tx.query(WRITE_CHECKPOINT([consumer, at.transactionId, at.globalPosition]));
}
