// POST /v1/personal-data/erase over HTTP, on a minimal app: the organisation (credentials) and PersonalDataModule,
// with the logs captured, as the complaints context will compose it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EventStore, migrate } from '@minyi/event-store';
import { MinyiModule, migrateDatabase } from '@minyi/minyi';
import { ApiClient, createHttpApp, createPools, installLogging, loadConfig, type Pools } from '@minyi/platform';
import { createTestDatabase, TEST_ADMIN_TOKEN, withOwnerPool, type TestDatabase, type TestPools } from '@minyi/testing';
import { fileComplaint, filedContact } from '../../test/filings';
import { personalDataMigrations } from '../personal-data.migrations';
import { PersonalDataModule } from '../personal-data.module';
import { PersonalDataVault } from '../personal-data.vault';

const PHONE = '13912345678';
const NAME = '王小明';
const logLines: string[] = [];

let database: TestDatabase;
let dataDir: string;
let pools: TestPools;
let app: NestFastifyApplication;
let admin: ApiClient;
let anonymous: ApiClient;
let store: EventStore;
let vault: PersonalDataVault;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'minyi-test-data-'));
  const config = loadConfig({ DATABASE_URL: database.url, MINYI_DATA_DIR: dataDir, MINYI_ADMIN_TOKEN: TEST_ADMIN_TOKEN, PORT: '0', HOST: '127.0.0.1' });
  const { appUrl } = await migrateDatabase(database.url);
  const appPools: Pools = await createPools(appUrl);
  pools = withOwnerPool(appPools, database.url);
  await migrate(pools.owner, personalDataMigrations);
  store = new EventStore(pools.app);
  const logger = installLogging('debug', { write: (line: string) => void logLines.push(line) });

  @Module({ imports: [MinyiModule.forRoot(config, pools, store, ['organisation']), PersonalDataModule] })
  class PersonalDataTestApp {}

  app = await createHttpApp(PersonalDataTestApp, { title: 'personal data', description: 'test', logger });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  admin = new ApiClient(url, TEST_ADMIN_TOKEN);
  anonymous = new ApiClient(url);
  vault = app.get(PersonalDataVault);
});

afterAll(async () => {
  await app?.close();
  await pools?.end();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('POST /v1/personal-data/erase', () => {
  it('when the admin erases a phone number, then 200 { erased: its cases }, the contacts read as erased, and again { erased: 0 }', async () => {
    await fileComplaint(store, 'h1', await vault.seal({ name: NAME, phone: PHONE }));
    await fileComplaint(store, 'h2', await vault.seal({ phone: '+86 139 1234 5678' }));
    await fileComplaint(store, 'h3', await vault.seal({ name: '小红', phone: '13800138000' }));

    const first = await admin.post('/v1/personal-data/erase', { phone: '139-1234-5678' });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ erased: 2 });
    expect(await vault.open(await filedContact(store, 'h1'))).toEqual({ contact: null, erased: true });
    expect(await vault.open(await filedContact(store, 'h2'))).toEqual({ contact: null, erased: true });
    expect((await vault.open(await filedContact(store, 'h3'))).contact).toEqual({ name: '小红', phone: '13800138000' });

    const again = await admin.post('/v1/personal-data/erase', { phone: PHONE });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ erased: 0 });
  });

  it.each([
    [{}, 'phone'],
    [{ phone: '' }, 'phone'],
    [{ phone: '1'.repeat(33) }, 'phone'],
    [{ phone: '无' }, 'phone'],
    [{ phone: 13912345678 }, 'phone'],
    [{ phone: PHONE, name: NAME }, 'name'],
  ])('when the body is %j, then 400 naming %s, and the answer never repeats what was sent', async (body, path) => {
    const r = await admin.post('/v1/personal-data/erase', body);
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(JSON.stringify(r.body)).not.toContain(NAME);
    expect(JSON.stringify(r.body)).not.toContain('13912345678');
  });

  it('when the caller is not the admin, then 401 without a token and 403 for a reader, and nothing is erased', async () => {
    await fileComplaint(store, 'a1', await vault.seal({ phone: '13700000001' }));
    expect((await anonymous.post('/v1/personal-data/erase', { phone: '13700000001' })).status).toBe(401);
    const reader = await admin.post('/v1/readers', { id: 'analyst-1', role: 'analyst' });
    expect(reader.status).toBe(201);
    expect((await anonymous.withToken(reader.body.token).post('/v1/personal-data/erase', { phone: '13700000001' })).status).toBe(403);
    expect((await vault.open(await filedContact(store, 'a1'))).erased).toBe(false);
  });

  it('when the body is larger than 1 KiB, then 413', async () => {
    const r = await admin.request('POST', '/v1/personal-data/erase', JSON.stringify({ phone: PHONE, pad: 'x'.repeat(2000) }), { 'content-type': 'application/json' });
    expect(r.status).toBe(413);
  });

  it('when /docs-json is read, then it documents the route, its body and its body limit', async () => {
    const doc = (await anonymous.get('/docs-json')).body;
    const op = doc.paths['/v1/personal-data/erase'].post;
    expect(op.requestBody.content['application/json'].schema.required).toEqual(['phone']);
    expect(op.responses['200']).toBeDefined();
    expect(JSON.stringify(op)).toMatch(/1 KiB/);
  });

  afterAll(() => {
    // Nothing sent or sealed shows in the logs: not the phone in any spelling, not a name.
    const logged = logLines.join('\n');
    expect(logLines.length).toBeGreaterThan(0);
    for (const plain of [PHONE, '1391234', '139-1234-5678', '139 1234 5678', NAME, '小红', '13800138000', '13700000001']) expect(logged).not.toContain(plain);
  });
});
