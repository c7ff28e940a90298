// Where a rebuild's bulk step stops: the events of every transaction older than any still running, a set that
// can no longer grow; the rest of the log is applied event by event after it.
import type { PoolClient } from 'pg';
import { LOG_START, type LogPosition } from '@minyi/event-store';

/** The events a rebuild takes in bulk: those of transactions older than any still running. */
export interface LogCut {
  /** pg_snapshot_xmin at the cut: every transaction below it has ended, so the set below it is fixed. */
  xmin: string;
  /** The last event below the cut in log order: where the live tail is read from afterwards. */
  last: LogPosition;
}

export async function cutLog(client: PoolClient): Promise<LogCut> {
  const { rows } = await client.query<{ xmin: string; transaction_id: string | null; global_position: string | null }>(
    `SELECT c.xmin::text AS xmin, e.transaction_id::text AS transaction_id, e.global_position::text AS global_position
     FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin) c
     LEFT JOIN LATERAL (
       SELECT transaction_id, global_position FROM events WHERE transaction_id < c.xmin
       ORDER BY transaction_id DESC, global_position DESC LIMIT 1
     ) e ON true`,
  );
  const r = rows[0];
  return {
    xmin: r.xmin,
    last: r.transaction_id === null ? LOG_START : { transactionId: r.transaction_id, globalPosition: Number(r.global_position) },
  };
}
