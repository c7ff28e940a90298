// A fresh, migrated PostgreSQL database per test file, on the server the global setup provides.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { appLoginRole } from '@minyi/platform';

export function adminUrl(): string {
  const url = process.env.MINYI_TEST_ADMIN_URL;
  if (!url) throw new Error('no test PostgreSQL: run the tests through jest (its global setup starts one) or set DATABASE_URL');
  return url;
}

export interface TestDatabase {
  /** As the server's superuser (the schema's owner once migrated). */
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `minyi_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const c = new Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      // Roles belong to the whole server: the database's login role goes with it.
      await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(appLoginRole(name))}`);
      await c.end();
    },
  };
}
