// Stops the PostgreSQL that global-setup started (a DATABASE_URL server is left alone).
import { rmSync } from 'node:fs';

export default async function globalTeardown() {
  const held = globalThis.__MINYI_PG__;
  if (!held) return;
  await held.pg.stop();
  rmSync(held.dir, { recursive: true, force: true });
}
