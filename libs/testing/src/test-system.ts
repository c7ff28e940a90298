// Boots the embedded all-in-one on a fresh database and a free port, as a test's system under test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type MinyiConfig } from '@minyi/platform';
import { CONSUMERS } from '@minyi/projector';
import { startSystem, type RunningSystem } from '@minyi/minyi';
import { ApiClient } from '@minyi/platform';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestSystem extends RunningSystem {
  config: MinyiConfig;
  database: TestDatabase;
  admin: ApiClient;
  client(token?: string): ApiClient;
  /** Waits until every projection has applied everything committed so far. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestSystem(env: Record<string, string> = {}): Promise<TestSystem> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'minyi-test-data-'));
  const config = loadConfig({ DATABASE_URL: database.url, MINYI_DATA_DIR: dataDir, MINYI_ADMIN_TOKEN: TEST_ADMIN_TOKEN, PORT: '0', HOST: '127.0.0.1', ...env });
  const system = await startSystem(config, { logger: false });
  const client = (token?: string) => new ApiClient(system.url, token);
  return {
    ...system,
    config,
    database,
    admin: client(TEST_ADMIN_TOKEN),
    client,
    settled: async () => {
      const consumers = system.app.get<{ caughtUp?: () => Promise<void> }[]>(CONSUMERS);
      await Promise.all(consumers.map((c) => c.caughtUp?.()));
    },
    close: async () => {
      await system.stop();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
