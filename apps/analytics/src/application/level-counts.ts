// Reads level counts from the satisfaction read model: one row per (scope, period), never events.
import type { Pool } from 'pg';
import type { ChannelFilter } from '@minyi/contracts';
import type { Levels } from '@minyi/indices';

const EMPTY: Levels = [0, 0, 0, 0, 0];

interface Row {
  key: string;
  n1: number;
  n2: number;
  n3: number;
  n4: number;
  n5: number;
}

function toMap(rows: Row[]): Map<string, Levels> {
  return new Map(rows.map((r) => [r.key, [Number(r.n1), Number(r.n2), Number(r.n3), Number(r.n4), Number(r.n5)] as Levels]));
}

const SUMS = 'sum(n1) AS n1, sum(n2) AS n2, sum(n3) AS n3, sum(n4) AS n4, sum(n5) AS n5';

/** Counts of one scope for the given periods; `all` adds every channel (each answer is in one channel only). */
export async function countsByPeriod(pool: Pool, scope: string, granularity: string, periods: string[], channel: ChannelFilter): Promise<(p: string) => Levels> {
  const { rows } = await pool.query<Row>(
    `SELECT period AS key, ${SUMS} FROM rm_satisfaction
     WHERE scope = $1 AND granularity = $2 AND period = ANY($3::text[]) AND ($4 = 'all' OR channel = $4)
     GROUP BY period`,
    [scope, granularity, periods, channel],
  );
  const m = toMap(rows);
  return (p) => m.get(p) ?? EMPTY;
}

/** Counts of many scopes in one period; `all` adds every channel. */
export async function countsByScope(pool: Pool, scopes: string[], granularity: string, period: string, channel: ChannelFilter): Promise<(s: string) => Levels> {
  const { rows } = await pool.query<Row>(
    `SELECT scope AS key, ${SUMS} FROM rm_satisfaction
     WHERE scope = ANY($1::text[]) AND granularity = $2 AND period = $3 AND ($4 = 'all' OR channel = $4)
     GROUP BY scope`,
    [scopes, granularity, period, channel],
  );
  const m = toMap(rows);
  return (s) => m.get(s) ?? EMPTY;
}
