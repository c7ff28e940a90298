// Boots minyi: PostgreSQL (embedded or DATABASE_URL), migrations (as the owner) or waiting for them (as the
// application), the event store on the application's own login role, then the HTTP app.
import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { APP_ROLE, EventStore, migrate } from '@minyi/event-store';
import {
  connectionRole,
  createHttpApp,
  createPools,
  ensureAppLogin,
  startEmbeddedPostgres,
  waitForMigrations,
  withLogin,
  type AppLogin,
  type EmbeddedPostgresHandle,
  type MinyiConfig,
  type Pools,
} from '@minyi/platform';
import { ALL_MIGRATIONS, ALL_PARTS, KAFKA_PARTS, type Part } from './composition.js';
import { MinyiModule } from './minyi.module.js';

export interface Database {
  /** The application's connection string (its own login role). */
  url: string;
  pools: Pools;
  embedded: EmbeddedPostgresHandle | null;
  close(): Promise<void>;
}

export interface Migrated {
  applied: string[];
  /** `url` as the application's login role (same server, socket, port and database). */
  appUrl: string;
}

/**
 * The one step that migrates: as the connecting user (the schema's owner or a superuser), under the migrations'
 * advisory lock, applies every migration not yet applied and sets up the application's login role (its password:
 * `appPassword`, else the one kept in the database, else a new one). The owner's connection is closed after.
 */
export async function migrateDatabase(url: string, options: { appPassword?: string | null } = {}): Promise<Migrated> {
  const pool = new Pool({ connectionString: url, max: 1 });
  pool.on('error', () => undefined);
  try {
    const set: { login?: AppLogin } = {};
    const applied = await migrate(pool, ALL_MIGRATIONS, { whileLocked: async (c) => void (set.login = await ensureAppLogin(c, options.appPassword ?? null)) });
    if (!set.login) throw new Error('the application login role was not set up');
    return { applied, appUrl: withLogin(url, set.login.user, set.login.password) };
  } finally {
    await pool.end();
  }
}

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL. As the schema's owner (the embedded server, a
 * developer's, the tests'), this process migrates, then logs in as the application's role; as the application's
 * role already (docker compose's services), it does not migrate: it waits until the schema is migrated.
 */
export async function openDatabase(
  config: MinyiConfig,
  log = new Logger('database'),
  options: { migrationTimeoutMs?: number } = {},
): Promise<Database> {
  let embedded: EmbeddedPostgresHandle | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, log: (m) => log.warn(m) });
    url = embedded.url;
    log.log(`embedded PostgreSQL on 127.0.0.1:${config.embeddedPostgresPort}, data in ${config.dataDir}`);
  }
  try {
    const role = await connectionRole(url);
    let appUrl: string;
    if (role.owner) {
      const migrated = await migrateDatabase(url, { appPassword: config.databaseAppPassword });
      if (migrated.applied.length) log.log(`applied migrations: ${migrated.applied.join(', ')}`);
      appUrl = migrated.appUrl;
    } else if (role.app) {
      await waitForMigrations(url, ALL_MIGRATIONS, { timeoutMs: options.migrationTimeoutMs, log: (m) => log.warn(m) });
      appUrl = url;
    } else {
      throw new Error(
        `DATABASE_URL logs in as "${role.user}", which neither owns minyi's schema (to migrate it) nor is a member of ${APP_ROLE} ` +
          `(the application's role; its login role is ${APP_ROLE}_<database>, set up by \`main.js migrate\`)`,
      );
    }
    const pools = await createPools(appUrl);
    return {
      url: appUrl,
      pools,
      embedded,
      close: async () => {
        await pools.end();
        await embedded?.stop();
      },
    };
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
}

/**
 * `main.js migrate`: applies the migrations and sets up the application's login role as DATABASE_URL's user
 * (the schema's owner or a superuser; the embedded server when unset), then closes everything.
 */
export async function migrateOnly(config: MinyiConfig, log = new Logger('migrate')): Promise<string[]> {
  let embedded: EmbeddedPostgresHandle | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, log: (m) => log.warn(m) });
    url = embedded.url;
  }
  try {
    const role = await connectionRole(url);
    if (!role.owner) {
      throw new Error(`migrate needs DATABASE_URL of the schema's owner or a superuser; "${role.user}" is neither (the application's role never migrates)`);
    }
    const { applied, appUrl } = await migrateDatabase(url, { appPassword: config.databaseAppPassword });
    log.log(`${applied.length ? `applied migrations: ${applied.join(', ')}` : 'the schema is up to date'}; the application logs in as ${new URL(appUrl).username}`);
    return applied;
  } finally {
    await embedded?.stop();
  }
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
  // The all-in-one with KAFKA_BROKERS set runs the Kafka-only parts too (the relay), or nothing would feed the projector.
  const parts = options.parts ?? (config.kafkaBrokers ? [...ALL_PARTS, ...KAFKA_PARTS.filter((p) => !ALL_PARTS.includes(p))] : ALL_PARTS);
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
