// Boots minyi: PostgreSQL (embedded or DATABASE_URL), migrations, the event store, then the HTTP app.
import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EventStore, eventStoreMigrations, migrate, type Migration } from '@minyi/event-store';
import { messagingMigrations } from '@minyi/messaging';
import { createHttpApp, createPools, startEmbeddedPostgres, type EmbeddedPostgresHandle, type MinyiConfig, type Pools } from '@minyi/platform';
import { satisfactionMigrations } from '@minyi/projector';
import { ALL_PARTS, MinyiModule, type Part } from './minyi.module.js';

export const ALL_MIGRATIONS: Migration[] = [...eventStoreMigrations, ...messagingMigrations, ...satisfactionMigrations];

export interface Database {
  url: string;
  pools: Pools;
  embedded: EmbeddedPostgresHandle | null;
  close(): Promise<void>;
}

/** Applies every migration not yet applied, as the connecting user. */
export async function migrateDatabase(url: string): Promise<string[]> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    return await migrate(pool, ALL_MIGRATIONS);
  } finally {
    await pool.end();
  }
}

/** Connects to DATABASE_URL, or starts the embedded PostgreSQL; then applies every migration. */
export async function openDatabase(config: MinyiConfig, log = new Logger('database')): Promise<Database> {
  let embedded: EmbeddedPostgresHandle | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, log: (m) => log.warn(m) });
    url = embedded.url;
    log.log(`embedded PostgreSQL on 127.0.0.1:${config.embeddedPostgresPort}, data in ${config.dataDir}`);
  }
  const applied = await migrateDatabase(url);
  const pools = await createPools(url);
  if (applied.length) log.log(`applied migrations: ${applied.join(', ')}`);
  return {
    url,
    pools,
    embedded,
    close: async () => {
      await pools.end();
      await embedded?.stop();
    },
  };
}

export interface RunningSystem {
  app: NestFastifyApplication;
  url: string;
  db: Database;
  store: EventStore;
  stop(): Promise<void>;
}

export async function startSystem(config: MinyiConfig, options: { logger?: false; parts?: Part[] } = {}): Promise<RunningSystem> {
  const db = await openDatabase(config);
  const store = new EventStore(db.pools.app);
  // The all-in-one with KAFKA_BROKERS set runs the relay too, or nothing would feed the projector.
  const parts = options.parts ?? (config.kafkaBrokers ? [...ALL_PARTS, 'relay'] : ALL_PARTS);
  const app = await createHttpApp(MinyiModule.forRoot(config, db.pools, store, parts), {
    title: 'minyi (民意)',
    description:
      'Public feedback on police and public services — ratings, surveys, visits, complaints — kept verbatim in an ' +
      'append-only event store and turned into satisfaction indices. Errors are RFC 9457 problem+json.',
    logger: options.logger,
  });
  await app.listen({ port: config.port, host: config.host });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  let stopped = false;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    db,
    store,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await app.close();
      await db.close();
    },
  };
}
