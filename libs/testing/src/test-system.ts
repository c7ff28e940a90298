// Boots the embedded all-in-one on a fresh database and a free port, as a test's system under test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type MinyiConfig } from '@minyi/platform';
import { CONSUMERS } from '@minyi/projector';
import { partsOf, startSystem, type Database, type RunningSystem } from '@minyi/minyi';
import { ApiClient } from '@minyi/platform';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { testKafkaBrokers, testTopicPrefix } from './test-kafka.js';
import { withOwnerPool, type TestPools } from './test-store.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestSystem extends Omit<RunningSystem, 'db'> {
  /** minyi's database, with an owner's pool beside the application's (for tests that look behind its back). */
  db: Database & { pools: TestPools };
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
  const pools = withOwnerPool(system.db.pools, database.url);
  return {
    ...system,
    db: { ...system.db, pools },
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
      await pools.owner.end();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface DistributedTestSystem {
  database: TestDatabase;
  /** What every process was started with (to start another, e.g. a projector stopped by the test). */
  config: MinyiConfig;
  brokers: string;
  topicPrefix: string;
  /** The write side (organisation, ratings, complaints): where the administrator, the terminals and clients post. */
  intake: RunningSystem;
  relay: RunningSystem;
  projector: RunningSystem;
  analytics: RunningSystem;
  admin: ApiClient;
  intakeClient(token?: string): ApiClient;
  analyticsClient(token?: string): ApiClient;
  close(): Promise<void>;
}

/**
 * The distributed mode in one test process: four systems, each running only its parts, on one
 * PostgreSQL database and a real Kafka broker with a private topic prefix.
 */
export async function startDistributedTestSystem(): Promise<DistributedTestSystem> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'minyi-test-data-'));
  const brokers = testKafkaBrokers();
  const topicPrefix = testTopicPrefix();
  const config = loadConfig({
    DATABASE_URL: database.url,
    MINYI_DATA_DIR: dataDir,
    MINYI_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    PORT: '0',
    HOST: '127.0.0.1',
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_PREFIX: topicPrefix,
  });
  const intake = await startSystem(config, { logger: false, parts: partsOf('intake') });
  const relay = await startSystem(config, { logger: false, parts: partsOf('relay') });
  const projector = await startSystem(config, { logger: false, parts: partsOf('projector') });
  const analytics = await startSystem(config, { logger: false, parts: partsOf('analytics') });
  return {
    database,
    config,
    brokers,
    topicPrefix,
    intake,
    relay,
    projector,
    analytics,
    admin: new ApiClient(intake.url, TEST_ADMIN_TOKEN),
    intakeClient: (token) => new ApiClient(intake.url, token),
    analyticsClient: (token) => new ApiClient(analytics.url, token),
    close: async () => {
      for (const s of [intake, relay, projector, analytics]) await s.stop();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
