// minyi's configuration: read once from the environment at boot, checked, and refused with a readable message.
import * as path from 'node:path';

export interface MinyiConfig {
  port: number;
  host: string;
  databaseUrl: string | null;
  /** MINYI_DB_APP_PASSWORD: the password the migrating step gives the application's login role (else generated and kept). */
  databaseAppPassword: string | null;
  /** MINYI_OWNER_DATABASE_URL: the schema owner's URL, for the rebuild (else DATABASE_URL, else the embedded server). */
  ownerDatabaseUrl: string | null;
  dataDir: string;
  adminToken: string | null;
  /** MINYI_PERSONAL_DATA_KEY: the secret of the contacts' blind index and key wrapping (else generated and kept in the database). */
  personalDataKey: string | null;
  timeZone: string;
  kafkaBrokers: string[] | null;
  /** Prepended to every topic and consumer group, so installations (or test runs) can share a cluster. */
  kafkaTopicPrefix: string;
  embeddedPostgresPort: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** MINYI_FOLLOWUP_DUE_DAYS: working days a bad rating's follow-up has (1–60). */
  followUpDueDays: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`minyi cannot start; fix its configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function port(name: string, raw: string | undefined, fallback: number, problems: string[]): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) problems.push(`${name} must be a port number (0–65535), got "${raw}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): MinyiConfig {
  const problems: string[] = [];
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL');
  const ownerDatabaseUrl = env.MINYI_OWNER_DATABASE_URL?.trim() || null;
  if (ownerDatabaseUrl && !/^postgres(ql)?:\/\//.test(ownerDatabaseUrl)) problems.push('MINYI_OWNER_DATABASE_URL must be a postgres:// or postgresql:// URL');
  const databaseAppPassword = env.MINYI_DB_APP_PASSWORD?.trim() || null;
  if (databaseAppPassword !== null && !/^[A-Za-z0-9._~-]{16,200}$/.test(databaseAppPassword)) {
    problems.push('MINYI_DB_APP_PASSWORD must be 16–200 characters of A-Za-z0-9._~- (it goes into a URL; e.g. `openssl rand -hex 32`)');
  }
  const timeZone = env.MINYI_TZ?.trim() || 'Asia/Shanghai';
  if (!validTimeZone(timeZone)) problems.push(`MINYI_TZ must be an IANA time zone such as Asia/Shanghai, got "${timeZone}"`);
  const adminToken = env.MINYI_ADMIN_TOKEN?.trim() || null;
  if (adminToken !== null && adminToken.length < 16) problems.push('MINYI_ADMIN_TOKEN must be at least 16 characters');
  const personalDataKey = env.MINYI_PERSONAL_DATA_KEY?.trim() || null;
  if (personalDataKey !== null && personalDataKey.length < 32) problems.push('MINYI_PERSONAL_DATA_KEY must be at least 32 characters (e.g. `openssl rand -hex 32`)');
  const brokers = env.KAFKA_BROKERS?.trim()
    ? env.KAFKA_BROKERS.split(',').map((b) => b.trim()).filter(Boolean)
    : null;
  if (brokers) for (const b of brokers) if (!/^[^:\s]+:\d+$/.test(b)) problems.push(`KAFKA_BROKERS entries must be host:port, got "${b}"`);
  if (env.KAFKA_TOPIC_PREFIX && !/^[A-Za-z0-9._-]{0,100}$/.test(env.KAFKA_TOPIC_PREFIX.trim())) problems.push('KAFKA_TOPIC_PREFIX may hold only A-Za-z0-9._-');
  const logLevel = (env.MINYI_LOG_LEVEL?.trim() || 'info') as MinyiConfig['logLevel'];
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) problems.push('MINYI_LOG_LEVEL must be debug, info, warn or error');
  const followUpDueDays = env.MINYI_FOLLOWUP_DUE_DAYS?.trim() ? Number(env.MINYI_FOLLOWUP_DUE_DAYS.trim()) : 5;
  if (!Number.isInteger(followUpDueDays) || followUpDueDays < 1 || followUpDueDays > 60) {
    problems.push(`MINYI_FOLLOWUP_DUE_DAYS must be a whole number of working days from 1 to 60, got "${env.MINYI_FOLLOWUP_DUE_DAYS}"`);
  }
  const config: MinyiConfig = {
    port: port('PORT', env.PORT, 3000, problems),
    host: env.HOST?.trim() || '0.0.0.0',
    databaseUrl,
    databaseAppPassword,
    ownerDatabaseUrl,
    dataDir: path.resolve(env.MINYI_DATA_DIR?.trim() || './.minyi'),
    adminToken,
    personalDataKey,
    timeZone,
    kafkaBrokers: brokers,
    kafkaTopicPrefix: env.KAFKA_TOPIC_PREFIX?.trim() ?? '',
    embeddedPostgresPort: port('MINYI_PG_PORT', env.MINYI_PG_PORT, 54329, problems),
    logLevel,
    followUpDueDays,
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
