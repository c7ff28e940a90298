// Versioned schema migrations, applied once each, in order, under an advisory lock, by the one step that
// migrates (a process connecting as the schema's owner, or `main.js migrate`).
import type { Pool, PoolClient } from 'pg';

export interface Migration {
  /**
   * Unique across the whole system: the first ones have global numbers (`0001-event-store`), every later one is
   * prefixed by its context (`complaints-0001-…`). Never change an applied migration's id.
   */
  id: string;
  sql: string;
}

/** The ids numbered globally before contexts prefixed theirs. */
const GLOBAL_ID = /^\d{4}-/;

/**
 * The order migrations are applied in: the globally numbered ones first, by number (as they always were), then the
 * others in the order given (each context's in its own order, the contexts in the order they are composed). Not
 * alphabetical, which would put one context's migrations before another's it builds on. Refuses a repeated id.
 */
export function orderMigrations(migrations: readonly Migration[]): Migration[] {
  const seen = new Set<string>();
  for (const m of migrations) {
    if (seen.has(m.id)) throw new Error(`migration id ${m.id} is given twice`);
    seen.add(m.id);
  }
  const global = migrations.filter((m) => GLOBAL_ID.test(m.id)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return [...global, ...migrations.filter((m) => !GLOBAL_ID.test(m.id))];
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
    for (const m of orderMigrations(migrations)) {
      if (done.has(m.id)) continue;
      for (let attempt = 1; ; attempt++) {
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migrations (id) VALUES ($1)', [m.id]);
          await client.query('COMMIT');
          applied.push(m.id);
          break;
        } catch (err) {
          await client.query('ROLLBACK');
          // Roles and their grants are the whole server's: another database's migrator (the advisory lock is per
          // database) granting on the same role at the same moment makes PostgreSQL refuse one of the two.
          if (attempt < 8 && isConcurrentCatalogUpdate(err)) {
            await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 50));
            continue;
          }
          throw new Error(`migration ${m.id} failed: ${(err as Error).message}`);
        }
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

function isConcurrentCatalogUpdate(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === '40001' || code === '40P01' || /tuple concurrently (updated|deleted)/.test(String((err as Error)?.message));
}
