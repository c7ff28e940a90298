// Connection pools: the owner's (migrations, rebuild swaps) and the application's restricted role.
import { Pool, types } from 'pg';
import { APP_ROLE } from '@minyi/event-store';

// int8 counts and sums come back as strings by default; minyi's never exceed 2^53.
types.setTypeParser(types.builtins.INT8, (v) => Number(v));

export interface Pools {
  /** The connection string both pools use (LISTEN needs its own connection). */
  url: string;
  /** Acts as the application role: may append and read events, never update or delete them. */
  app: Pool;
  /** Acts as the connecting user, for schema changes only. */
  owner: Pool;
  end(): Promise<void>;
}

/**
 * Opens both pools. The application pool acts as the restricted role when the connecting user can
 * (it exists after the first migration); otherwise the trigger alone keeps the log append-only.
 */
export async function createPools(url: string, options: { max?: number } = {}): Promise<Pools> {
  const owner = new Pool({ connectionString: url, max: 3 });
  owner.on('error', () => undefined);
  const { rows } = await owner.query<{ can: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AND pg_has_role(current_user, $1, 'MEMBER') AS can`,
    [APP_ROLE],
  ).catch(() => ({ rows: [{ can: false }] }));
  const app = new Pool({ connectionString: url, max: options.max ?? 20, options: rows[0]?.can ? `-c role=${APP_ROLE}` : undefined });
  app.on('error', () => undefined);
  return {
    url,
    app,
    owner,
    end: async () => {
      await Promise.all([app.end(), owner.end()]);
    },
  };
}
