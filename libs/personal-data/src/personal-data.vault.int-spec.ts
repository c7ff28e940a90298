import { createHash } from 'node:crypto';
import { migrate } from '@minyi/event-store';
import { useTestStore, type TestStore } from '@minyi/testing';
import { fileComplaint, filedContact } from '../test/filings';
import { personalDataMigrations } from './personal-data.migrations';
import { blindIndex, deriveKeys } from './sealing';
import { CASES_SEALED_UNDER, PersonalDataKeyMismatch, PersonalDataVault, type VaultLog } from './personal-data.vault';

const PHONE = '13912345678';
const NAME = '王小明';
const lines: string[] = [];
const log: VaultLog = { log: (m) => void lines.push(m), warn: (m) => void lines.push(m) };

let t: TestStore;
useTestStore((s) => (t = s));
beforeEach(async () => {
  // The composition of every context's migrations is the lead's; until it holds these, the test applies them.
  await migrate(t.pools.owner, personalDataMigrations);
});
afterAll(() => {
  // Nothing any test sealed appears in what the vault logged.
  const logged = lines.join('\n');
  for (const plain of [PHONE, NAME, '13800138000', '0013-8000', '小红', '🐉']) expect(logged).not.toContain(plain);
});

const vault = (secret: string | null = null) => new PersonalDataVault(t.pools.app, { secret, log });

async function keyRows(): Promise<{ key_id: string; subject: string | null }[]> {
  return (await t.pools.owner.query('SELECT key_id::text, subject FROM pd_keys ORDER BY created_at, key_id')).rows;
}

describe('PersonalDataVault: sealing', () => {
  it('when a contact is sealed and opened, then it comes back exactly, emoji and a 32-character phone included, and the sealed form holds neither', async () => {
    const v = vault();
    const contact = { name: '张三 👩‍👩‍👧 🐉 Zhāng', phone: '+86 (138) 0013-8000 转 1234567890' };
    expect(contact.phone.length).toBe(32);
    const sealed = await v.seal(contact);
    expect(sealed.keyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sealed.sealed).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const bytes = Buffer.from(sealed.sealed, 'base64');
    expect(bytes.length).toBe(12 + 16 + Buffer.byteLength(JSON.stringify(contact)));
    expect(bytes.includes(Buffer.from('13800138000'))).toBe(false);
    expect(JSON.stringify(sealed)).not.toContain('0013-8000');
    expect(await v.open(sealed)).toEqual({ contact, erased: false });
  });

  it('when only a name or only a phone is given, then only that comes back; a sealed null opens as no contact, not erased', async () => {
    const v = vault();
    expect(await v.open(await v.seal({ name: NAME }))).toEqual({ contact: { name: NAME }, erased: false });
    expect(await v.open(await v.seal({ phone: PHONE }))).toEqual({ contact: { phone: PHONE }, erased: false });
    expect(await v.open(null)).toEqual({ contact: null, erased: false });
  });

  it('when two contacts have one phone number in two spellings, then they share the subject and the key; the event holds no blind index', async () => {
    const v = vault();
    const a = await v.seal({ name: NAME, phone: '+86 139-1234-5678' });
    const b = await v.seal({ name: '小红', phone: PHONE });
    expect(b.keyId).toBe(a.keyId);
    expect(b.sealed).not.toBe(a.sealed);
    expect(a.subject).toBeNull();
    expect(b.subject).toBeNull();
    const subject = await v.blindIndexOf(PHONE);
    expect(subject).toMatch(/^[0-9a-f]{64}$/);
    expect(await keyRows()).toEqual([{ key_id: a.keyId, subject }]);
    expect((await v.open(a)).contact).toEqual({ name: NAME, phone: '+86 139-1234-5678' });
    expect((await v.open(b)).contact).toEqual({ name: '小红', phone: PHONE });
  });

  it('when a contact has no phone number (or one without a digit), then each gets a key of its own without a subject', async () => {
    const v = vault();
    const a = await v.seal({ name: NAME });
    const b = await v.seal({ name: NAME });
    const c = await v.seal({ name: NAME, phone: '无' });
    expect(new Set([a.keyId, b.keyId, c.keyId]).size).toBe(3);
    expect((await keyRows()).map((r) => r.subject)).toEqual([null, null, null]);
    expect((await v.open(c)).contact).toEqual({ name: NAME, phone: '无' });
  });

  it('when 20 contacts of a new phone number are sealed at once, then they all get its one key', async () => {
    const v = vault();
    const sealed = await Promise.all(Array.from({ length: 20 }, (_, i) => v.seal({ name: `n${i}`, phone: PHONE })));
    expect(new Set(sealed.map((s) => s.keyId)).size).toBe(1);
    expect(await keyRows()).toHaveLength(1);
  });

  it('when a contact is too long for the event (more than 1472 bytes as JSON), then seal refuses it before making a key, without showing it', async () => {
    const v = vault();
    const fits = { name: 'x'.repeat(1472 - JSON.stringify({ name: '' }).length) };
    expect((await v.seal(fits)).sealed).toHaveLength(2000);
    const before = (await keyRows()).length;
    const err = await v.seal({ name: `${NAME}${'x'.repeat(1500)}` }).catch((e: Error) => e);
    expect(String(err)).toMatch(/too long to seal/);
    expect(String(err)).not.toContain(NAME);
    expect(await keyRows()).toHaveLength(before);
  });

  it('when a sealed contact was altered or moved under another key, then opening it fails without showing it', async () => {
    const v = vault();
    const a = await v.seal({ name: NAME, phone: PHONE });
    const other = await v.seal({ name: '小红' });
    const bytes = Buffer.from(a.sealed, 'base64');
    bytes[bytes.length - 1] ^= 1;
    await expect(v.open({ ...a, sealed: bytes.toString('base64') })).rejects.toThrow(/does not open/);
    await expect(v.open({ ...a, keyId: other.keyId })).rejects.toThrow(/does not open/);
    const err = await v.open({ ...a, keyId: other.keyId }).catch((e: Error) => e);
    expect(String(err)).not.toContain(PHONE);
    await expect(v.open({ keyId: 'not-a-key', subject: null, sealed: a.sealed })).rejects.toThrow(/not a sealed contact/);
  });
});

describe('PersonalDataVault: erasure', () => {
  it('when a phone number is erased, then its cases become unreadable, others stay readable, the count is right, and again → 0', async () => {
    const v = vault();
    await fileComplaint(t.store, 'c1', await v.seal({ name: NAME, phone: PHONE }));
    await fileComplaint(t.store, 'c2', await v.seal({ phone: '+86 139 1234 5678' }));
    await fileComplaint(t.store, 'c3', await v.seal({ name: '小红', phone: '13800138000' }));
    await fileComplaint(t.store, 'c4', await v.seal({ name: '匿名' }));
    await fileComplaint(t.store, 'c5', null);
    const before = (await t.pools.owner.query('SELECT count(*)::int AS n FROM events')).rows[0].n;

    expect(await v.erase('139-1234-5678')).toBe(2);

    expect(await v.open(await filedContact(t.store, 'c1'))).toEqual({ contact: null, erased: true });
    expect(await v.open(await filedContact(t.store, 'c2'))).toEqual({ contact: null, erased: true });
    expect(await v.open(await filedContact(t.store, 'c3'))).toEqual({ contact: { name: '小红', phone: '13800138000' }, erased: false });
    expect(await v.open(await filedContact(t.store, 'c4'))).toEqual({ contact: { name: '匿名' }, erased: false });
    expect(await v.open(await filedContact(t.store, 'c5'))).toEqual({ contact: null, erased: false });
    // The log is as it was: nothing rewritten, nothing added.
    expect((await t.pools.owner.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(before);

    expect(await v.erase(PHONE)).toBe(0);
    // Another process (a vault that never saw the erasure) cannot open them either: the key is gone, not hidden.
    expect(await vault().open(await filedContact(t.store, 'c1'))).toEqual({ contact: null, erased: true });
  });

  it('when the phone number files again after its erasure, then the new contact gets a new key, which a later erasure counts', async () => {
    const v = vault();
    const old = await v.seal({ name: NAME, phone: PHONE });
    await fileComplaint(t.store, 'old', old);
    expect(await v.erase(PHONE)).toBe(1);

    const renewed = await v.seal({ name: NAME, phone: PHONE });
    expect(renewed.keyId).not.toBe(old.keyId);
    await fileComplaint(t.store, 'new-1', renewed);
    await fileComplaint(t.store, 'new-2', await v.seal({ phone: PHONE }));
    expect(await v.open(await filedContact(t.store, 'new-1'))).toEqual({ contact: { name: NAME, phone: PHONE }, erased: false });
    expect(await v.open(old)).toEqual({ contact: null, erased: true });

    expect(await v.erase(PHONE)).toBe(2);
    expect(await v.open(renewed)).toEqual({ contact: null, erased: true });
    expect(await v.erase(PHONE)).toBe(0);
  });

  it('when a key was sealed but never filed, or the phone has no digit, then erasure counts no case', async () => {
    const v = vault();
    await v.seal({ phone: PHONE });
    expect(await v.erase(PHONE)).toBe(0);
    expect(await keyRows()).toEqual([]);
    expect(await v.erase('无')).toBe(0);
  });

  it('when erasure counts the cases, then it reads the contact-key index, not the log', async () => {
    const v = vault();
    const sealed = await v.seal({ phone: PHONE });
    await fileComplaint(t.store, 'c1', sealed);
    const c = await t.pools.app.connect();
    try {
      await c.query('BEGIN');
      // With sequential scans priced out, a query the index cannot serve still scans the log: the plan tells.
      await c.query('SET LOCAL enable_seqscan = off');
      const plan = (await c.query(`EXPLAIN ${CASES_SEALED_UNDER}`, [[sealed.keyId]])).rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toContain('events_contact_key');
      expect(plan).not.toMatch(/Seq Scan on events/);
      await c.query('ROLLBACK');
    } finally {
      c.release();
    }
  });

  it('when the application erases, then it may vacuum the key table (MAINTAIN), and it may never update a key', async () => {
    const v = vault();
    await v.seal({ phone: PHONE });
    const { rows } = await t.pools.app.query(`SELECT has_table_privilege('pd_keys', 'MAINTAIN') AS maintain, has_table_privilege('pd_keys', 'UPDATE') AS update`);
    expect(rows[0]).toEqual({ maintain: true, update: false });
    await expect(t.pools.app.query(`UPDATE pd_keys SET created_at = now()`)).rejects.toMatchObject({ code: '42501' });
    await expect(t.pools.app.query(`UPDATE pd_secret SET fingerprint = fingerprint`)).rejects.toMatchObject({ code: '42501' });
    expect(lines.filter((l) => l.includes('cannot VACUUM'))).toEqual([]);
    await v.erase(PHONE);
    expect(lines.filter((l) => /VACUUM/.test(l))).toEqual([]);
  });
});

describe('PersonalDataVault: the digest a request hash holds instead of the contact', () => {
  it('when one contact is digested twice, then the digest is the same; another name, phone spelling or contact differs; none is the unkeyed hash', async () => {
    const v = vault();
    const d = await v.digestOf({ name: NAME, phone: PHONE });
    expect(d).toMatch(/^[0-9a-f]{64}$/);
    expect(await v.digestOf({ name: NAME, phone: PHONE })).toBe(d);
    expect(await vault().digestOf({ name: NAME, phone: PHONE })).toBe(d);
    expect(await v.digestOf({ name: '小红', phone: PHONE })).not.toBe(d);
    expect(await v.digestOf({ name: NAME, phone: '+86 139-1234-5678' })).not.toBe(d);
    expect(await v.digestOf({ phone: PHONE })).not.toBe(d);
    expect(await v.digestOf({ name: NAME })).toBe(await v.digestOf({ name: NAME }));
    expect(await v.digestOf({ name: NAME })).not.toBe(createHash('sha256').update(JSON.stringify({ name: NAME })).digest('hex'));
    // Digesting before sealing makes the subject's key; the seal then uses it.
    const sealed = await v.seal({ name: NAME, phone: PHONE });
    expect(await keyRows()).toEqual([{ key_id: sealed.keyId, subject: await v.blindIndexOf(PHONE) }]);
  });

  it('when the phone number is erased, then its contacts\' digests can no longer be computed: the same contact digests differently', async () => {
    const v = vault();
    const before = await v.digestOf({ name: NAME, phone: PHONE });
    await fileComplaint(t.store, 'd1', await v.seal({ name: NAME, phone: PHONE }));
    expect(await v.erase(PHONE)).toBe(1);
    expect(await v.digestOf({ name: NAME, phone: PHONE })).not.toBe(before);
  });
});

describe('PersonalDataVault: the secret', () => {
  const KEY = 'k'.repeat(40);

  it('when no MINYI_PERSONAL_DATA_KEY is set, then a secret is generated once, kept in the database, and every process uses it', async () => {
    const a = vault();
    const sealed = await a.seal({ name: NAME, phone: PHONE });
    const { rows } = await t.pools.owner.query('SELECT secret, fingerprint FROM pd_secret');
    expect(rows).toHaveLength(1);
    expect(rows[0].secret).toHaveLength(32);
    // A second process (and the app role, which may read the table) opens and finds the same subject.
    const b = vault();
    expect((await b.open(sealed)).contact).toEqual({ name: NAME, phone: PHONE });
    expect(await b.blindIndexOf(PHONE)).toBe(await a.blindIndexOf(PHONE));
  });

  it('when MINYI_PERSONAL_DATA_KEY is set, then the database keeps only its fingerprint, and a database reader cannot unwrap the keys', async () => {
    const a = vault(KEY);
    const sealed = await a.seal({ name: NAME, phone: PHONE });
    const { rows } = await t.pools.owner.query('SELECT secret, fingerprint FROM pd_secret');
    expect(rows).toEqual([{ secret: null, fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/) }]);
    expect((await vault(KEY).open(sealed)).contact).toEqual({ name: NAME, phone: PHONE });
    // The subject is keyed by the secret: the database's own generated secret would give another.
    const subject = (await keyRows())[0].subject;
    expect(subject).toBe(await a.blindIndexOf(PHONE));
    expect(subject).not.toBe(blindIndex(deriveKeys(Buffer.from('x'.repeat(40))).index, PHONE));
  });

  it('when the secret changes while keys exist, then the vault refuses to start, saying which secret the data needs', async () => {
    await vault(KEY).seal({ phone: PHONE });
    await expect(vault('z'.repeat(40)).ready()).rejects.toThrow(PersonalDataKeyMismatch);
    await expect(vault('z'.repeat(40)).ready()).rejects.toThrow(/is not the key the personal data in this database is sealed under/);
    await expect(vault(null).ready()).rejects.toThrow(/sealed under MINYI_PERSONAL_DATA_KEY \(fingerprint [0-9a-f]{32}\), which is not set/);
    const err = await vault('z'.repeat(40)).ready().catch((e: Error) => e.message);
    expect(err).not.toContain('z'.repeat(32));
    expect(err).not.toContain(KEY);
  });

  it('when a generated secret is in use and MINYI_PERSONAL_DATA_KEY is then set, then the vault refuses; with no key yet, the new secret replaces it', async () => {
    const generated = vault();
    await generated.ready();
    // No key exists yet: the configured key takes over, and the generated secret leaves the database.
    await vault(KEY).ready();
    expect((await t.pools.owner.query('SELECT secret FROM pd_secret')).rows).toEqual([{ secret: null }]);
    await vault(KEY).seal({ phone: PHONE });
    await t.pools.owner.query('DELETE FROM pd_keys');
    await vault(null).ready();
    await vault(null).seal({ phone: PHONE });
    await expect(vault(KEY).ready()).rejects.toThrow(/the secret minyi generated and keeps in pd_secret: unset MINYI_PERSONAL_DATA_KEY/);
  });
});
