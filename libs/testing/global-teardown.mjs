// Stops the PostgreSQL that global-setup started (a DATABASE_URL server is left alone).
import { rmSync } from 'node:fs';
import { stopKafkaIfStarted } from './kafka-broker.mjs';

export default async function globalTeardown() {
  await stopKafkaIfStarted({ log: () => undefined });
  const held = globalThis.__MINYI_PG__;
  if (!held) return;
  await held.pg.stop();
  rmSync(held.dir, { recursive: true, force: true });
}
