// A fresh, migrated database per test file (or test) with minyi's pools and an event store on it.
import { Pool } from 'pg';
import { EventStore } from '@minyi/event-store';
import { migrateDatabase } from '@minyi/minyi';
import { createPools, type Pools } from '@minyi/platform';
import { createTestDatabase } from './test-database.js';

/** minyi's pools, plus the owner's (the server's superuser), which tests use to look behind the application's back. */
export interface TestPools extends Pools {
  owner: Pool;
}

export interface TestStore {
  /** The application's connection string (its own login role), as minyi's processes get it. */
  url: string;
  /** The owner's (superuser's) connection string for the same database. */
  ownerUrl: string;
  pools: TestPools;
  store: EventStore;
  /** Ends the pools and drops the database. */
  close(): Promise<void>;
}

/** Adds an owner's pool on `ownerUrl` to minyi's pools; `end` ends both. */
export function withOwnerPool(pools: Pools, ownerUrl: string): TestPools {
  // A rebuild takes four connections at once (its writer, its reader and two aggregating the log).
  const owner = new Pool({ connectionString: ownerUrl, max: 6 });
  owner.on('error', () => undefined);
  return {
    ...pools,
    owner,
    end: async () => {
      await Promise.all([pools.end(), owner.end()]);
    },
  };
}

export async function createTestStore(): Promise<TestStore> {
  const db = await createTestDatabase();
  const { appUrl } = await migrateDatabase(db.url);
  const pools = withOwnerPool(await createPools(appUrl), db.url);
  return {
    url: appUrl,
    ownerUrl: db.url,
    pools,
    store: new EventStore(pools.app),
    close: async () => {
      await pools.end();
      await db.drop();
    },
  };
}

/**
 * Gives a suite a fresh store: before each test (or once, before all), `use` receives it; it is closed after.
 * Call at the top level of a test file.
 */
export function useTestStore(use: (t: TestStore) => void, scope: 'each' | 'all' = 'each'): void {
  let t: TestStore | null = null;
  (scope === 'each' ? beforeEach : beforeAll)(async () => {
    t = await createTestStore();
    use(t);
  });
  (scope === 'each' ? afterEach : afterAll)(async () => {
    await t?.close();
    t = null;
  });
}
