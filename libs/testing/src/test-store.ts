// A fresh, migrated database per test file (or test) with minyi's pools and an event store on it.
import { EventStore } from '@minyi/event-store';
import { migrateDatabase } from '@minyi/minyi';
import { createPools, type Pools } from '@minyi/platform';
import { createTestDatabase } from './test-database.js';

export interface TestStore {
  url: string;
  pools: Pools;
  store: EventStore;
  /** Ends the pools and drops the database. */
  close(): Promise<void>;
}

export async function createTestStore(): Promise<TestStore> {
  const db = await createTestDatabase();
  await migrateDatabase(db.url);
  const pools = await createPools(db.url);
  return {
    url: db.url,
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
