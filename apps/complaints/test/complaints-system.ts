// The all-in-one with the complaints part, on a fresh database, until the context manifests compose it into
// startTestSystem (then this file goes): the personal-data migrations applied first; only the parts these tests
// read (no read model is asked here: GET /v1/complaints/{id} reads the case's own stream).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { migrate } from '@minyi/event-store';
import { migrateDatabase, startSystem, type RunningSystem } from '@minyi/minyi';
import { personalDataMigrations } from '@minyi/personal-data';
import { loadConfig } from '@minyi/platform';
import { ApiClient, createTestDatabase, TEST_ADMIN_TOKEN } from '@minyi/testing';

export interface ComplaintsSystem {
  system: RunningSystem;
  admin: ApiClient;
  client(token?: string): ApiClient;
  /** The database's owner, to look behind minyi's back. */
  owner: Pool;
  close(): Promise<void>;
}

export async function startComplaintsSystem(): Promise<ComplaintsSystem> {
  const database = await createTestDatabase();
  await migrateDatabase(database.url);
  const owner = new Pool({ connectionString: database.url, max: 3 });
  owner.on('error', () => undefined);
  await migrate(owner, personalDataMigrations);
  const dataDir = mkdtempSync(join(tmpdir(), 'minyi-test-data-'));
  const config = loadConfig({ DATABASE_URL: database.url, MINYI_DATA_DIR: dataDir, MINYI_ADMIN_TOKEN: TEST_ADMIN_TOKEN, PORT: '0', HOST: '127.0.0.1' });
  const system = await startSystem(config, { logger: false, parts: ['organisation', 'complaints'] });
  return {
    system,
    admin: new ApiClient(system.url, TEST_ADMIN_TOKEN),
    client: (token) => new ApiClient(system.url, token),
    owner,
    close: async () => {
      await system.stop();
      await owner.end();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
