// The phone number is in no file of the database: not in the log, the keys, the indexes or the WAL. A PostgreSQL
// of its own (the embedded one `npm start` runs, in a folder of this test), so that every file under its data
// directory can be read, and nothing of other tests is in it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { EventStore, migrate } from '@minyi/event-store';
import { migrateDatabase } from '@minyi/minyi';
import { createPools, type Pools } from '@minyi/platform';
import { freePort, scanFiles, startOwnPostgres } from '@minyi/testing';
import { fileComplaint, filedContact } from '../test/filings';
import { personalDataMigrations } from './personal-data.migrations';
import { PersonalDataVault } from './personal-data.vault';

const PHONE = '13912345678';
const NAME = '王小明';
const ERASED_PHONE = '13598765432';
const CONTROL = '13787654321';

let dataDir: string;
let pg: { url: string; stop(): Promise<void> };
let owner: Pool;
let pools: Pools;

/** The files under the data directory that hold `needle`, and how many bytes were read in all. */
const scan = (needles: Buffer[]) => scanFiles(join(dataDir, 'pg'), needles);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'minyi-pd-files-'));
  pg = await startOwnPostgres(dataDir, await freePort());
  const { appUrl } = await migrateDatabase(pg.url);
  owner = new Pool({ connectionString: pg.url, max: 2 });
  await migrate(owner, personalDataMigrations);
  pools = await createPools(appUrl);
}, 120_000);

afterAll(async () => {
  await pools?.end();
  await owner?.end();
  await pg?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('when contacts are sealed, filed, read and one number erased, then no database file holds a phone or a name in plain, while a plain write is found', async () => {
  const vault = new PersonalDataVault(pools.app, { secret: null });
  const store = new EventStore(pools.app);
  await fileComplaint(store, 'f1', await vault.seal({ name: NAME, phone: PHONE }));
  await fileComplaint(store, 'f2', await vault.seal({ phone: `+86 ${PHONE.slice(0, 3)}-${PHONE.slice(3, 7)}-${PHONE.slice(7)}` }));
  await fileComplaint(store, 'f3', await vault.seal({ name: NAME, phone: ERASED_PHONE }));
  expect((await vault.open(await filedContact(store, 'f1'))).contact).toEqual({ name: NAME, phone: PHONE });
  expect(await vault.erase(ERASED_PHONE)).toBe(1);
  // The control: the same kind of number written in plain text is found, so the scan would see one.
  await owner.query('CREATE TABLE scratch (t text)');
  await owner.query('INSERT INTO scratch VALUES ($1)', [CONTROL]);
  await owner.query('CHECKPOINT');

  const needles = {
    phone: Buffer.from(PHONE, 'utf8'),
    phoneUtf16: Buffer.from(PHONE, 'utf16le'),
    formatted: Buffer.from(`${PHONE.slice(3, 7)}-${PHONE.slice(7)}`, 'utf8'),
    erasedPhone: Buffer.from(ERASED_PHONE, 'utf8'),
    name: Buffer.from(NAME, 'utf8'),
    nameUtf16: Buffer.from(NAME, 'utf16le'),
    control: Buffer.from(CONTROL, 'utf8'),
  };
  const { found, files, bytes } = scan(Object.values(needles));
  const where = (n: Buffer) => found.get(n.toString('hex')) ?? [];
  expect(files).toBeGreaterThan(100);
  expect(bytes).toBeGreaterThan(16 * 1024 * 1024);
  expect(where(needles.control).length).toBeGreaterThan(0);
  for (const [what, needle] of Object.entries(needles)) if (what !== 'control') expect({ what, files: where(needle) }).toEqual({ what, files: [] });
}, 120_000);
