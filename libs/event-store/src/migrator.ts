// Versioned schema migrations, applied once each, in order, under an advisory lock, by the one step that
// migrates (a process connecting as the schema's owner, or `main.js migrate`).
import type { Pool, PoolClient } from 'pg';

export interface Migration {
  /** Sortable and unique across the whole system, e.g. `0001-event-store`. */
  id: string;
  sql: string;
}

const LOCK_KEY = 7_042_026; // any constant: serialises migrators started at the same time

export interface MigrateOptions {
  /** Runs after the migrations, still under the lock (e.g. the application's login role is set up there). */
  whileLocked?: (client: PoolClient) => Promise<void>;
}

export async function migrate(pool: Pool, migrations: Migration[], options: MigrateOptions = {}): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await client.query<{ id: string }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id));
    for (const m of [...migrations].sort((a, b) => a.id.localeCompare(b.id))) {
      if (done.has(m.id)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (id) VALUES ($1)', [m.id]);
        await client.query('COMMIT');
        applied.push(m.id);
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${m.id} failed: ${(err as Error).message}`);
      }
    }
    await options.whileLocked?.(client);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    client.release();
  }
  return applied;
}

/** The migrations of `migrations` the database has not applied yet (readable by the application role too). */
export async function pendingMigrations(db: Pool | PoolClient, migrations: Migration[]): Promise<string[]> {
  const { rows } = await db.query<{ ready: boolean }>(`SELECT to_regclass('schema_migrations') IS NOT NULL AS ready`);
  if (!rows[0]?.ready) return migrations.map((m) => m.id);
  const done = new Set((await db.query<{ id: string }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id));
  return migrations.map((m) => m.id).filter((id) => !done.has(id));
}
