// The vault of personal data (API.md "Personal data", ARCHITECTURE.md invariant 9): a contact is sealed under its
// subject's key before any event holds it; the keys live in pd_keys, outside the log; erasing a phone number
// deletes its keys, and with them every contact sealed under them, without touching a single event.
//
// Nothing plain leaves this class: no contact, phone or name in a log line, an error, or a statement's text.
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { SealedContactV1 } from '@minyi/contracts';
import { KEYS_TABLE, SECRET_TABLE } from './personal-data.migrations.js';
import { normalisePhone } from './phone-number.js';
import { blindIndex, contactDigest, deriveKeys, digestKeyOf, newKey, openBox, sealBox, type DerivedKeys } from './sealing.js';

export interface Contact {
  name?: string;
  phone?: string;
}

export interface OpenedContact {
  contact: Contact | null;
  /** The key is gone for good: the contact was erased. */
  erased: boolean;
}

export interface VaultLog {
  log(message: string): void;
  warn(message: string): void;
}

export interface VaultOptions {
  /** MINYI_PERSONAL_DATA_KEY (≥ 32 characters), or null: a secret generated once and kept in the database. */
  secret: string | null;
  log?: VaultLog;
}

/** The largest `sealed` the event's schema admits (sealedContactSchema). */
const MAX_SEALED = 2000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SEALED = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The cases (streams) whose filing — the first event of its stream — holds a contact sealed under one of the keys
 * $1. The same expression and predicate as the index events_contact_key, so that it reads the index, not the log.
 */
export const CASES_SEALED_UNDER = `
  SELECT count(DISTINCT stream_id)::int AS n FROM events
  WHERE stream_version = 1 AND (data -> 'fields' -> 'contact' ->> 'keyId') IS NOT NULL
    AND (data -> 'fields' -> 'contact' ->> 'keyId') = ANY($1::text[])`;

/** Binds a sealed contact to its key id, so that a box cannot be passed off under another key. */
function contactAad(keyId: string): Buffer {
  return Buffer.from(`minyi/contact/v1/${keyId}`, 'utf8');
}

function wrapAad(keyId: string): Buffer {
  return Buffer.from(`minyi/key/v1/${keyId}`, 'utf8');
}

/** The configuration problem that keeps personal data from being sealed or opened (shown at boot). */
export class PersonalDataKeyMismatch extends Error {}

export class PersonalDataVault {
  private keys: Promise<DerivedKeys> | null = null;
  private vacuum: Promise<boolean> | null = null;
  private readonly log: VaultLog;

  constructor(
    private readonly pool: Pool,
    private readonly options: VaultOptions,
  ) {
    if (options.secret !== null && options.secret.length < 32) throw new Error('the personal data key must be at least 32 characters');
    this.log = options.log ?? { log: () => undefined, warn: () => undefined };
  }

  /**
   * Loads the secret (recording it the first time) and checks that it is the one this database's keys were
   * wrapped under; throws PersonalDataKeyMismatch, saying what to do, when it is not. Called at boot; every
   * other method waits for it.
   */
  ready(): Promise<DerivedKeys> {
    this.keys ??= this.loadKeys().catch((err: unknown) => {
      this.keys = null; // a database that was unreachable may be reachable next time
      throw err;
    });
    return this.keys;
  }

  /** The blind index of a phone number (pd_keys.subject), or null when it holds no digit. */
  async blindIndexOf(phone: string): Promise<string | null> {
    const normalised = normalisePhone(phone);
    return normalised === null ? null : blindIndex((await this.ready()).index, normalised);
  }

  /**
   * Encrypts under the subject's key (one key per phone number, created on first use; a contact without a phone
   * gets a key of its own), returns what the event may hold. Never stores the plain contact anywhere.
   */
  async seal(contact: Contact): Promise<SealedContactV1> {
    const plain = plainOf(contact);
    // base64 of nonce, tag and ciphertext (as long as the plain bytes), checked before any key is made for it.
    if (Math.ceil((12 + 16 + plain.length) / 3) * 4 > MAX_SEALED) throw new Error(`the contact is too long to seal (${plain.length} bytes as JSON)`);
    const keys = await this.ready();
    const subject = contact.phone === undefined ? null : await this.blindIndexOf(contact.phone);
    const { keyId, key } = subject === null ? await this.addKey(keys, null) : await this.subjectKey(keys, subject);
    const sealed = sealBox(key, plain, contactAad(keyId)).toString('base64');
    // The blind index stays in pd_keys, which erasure empties, never in the event: the log keeps what it is
    // given for good, and a keyed hash of a phone number is found again by hashing guessed numbers.
    return { keyId, subject: null, sealed };
  }

  /**
   * What a request's hash (telling a retry from a clash) holds in place of the contact: HMAC-SHA256 of the contact
   * under its subject's key — which erasure deletes, after which nothing computes it again — or, for a contact
   * without a phone number, under a key derived from the secret. Never hash a contact unkeyed into anything
   * stored: the other fields of the request are in the event, and an unkeyed hash of a phone number is reversed
   * by hashing every number. The same contact (same name, same phone as typed) gives the same digest until its
   * phone number is erased.
   */
  async digestOf(contact: Contact): Promise<string> {
    const plain = plainOf(contact);
    const keys = await this.ready();
    const subject = contact.phone === undefined ? null : await this.blindIndexOf(contact.phone);
    return contactDigest(subject === null ? keys.digest : digestKeyOf((await this.subjectKey(keys, subject)).key), plain);
  }

  /** Decrypts, or { contact: null, erased: true } once the key was erased; sealed null → { contact: null, erased: false }. */
  async open(sealed: SealedContactV1 | null): Promise<OpenedContact> {
    if (sealed === null) return { contact: null, erased: false };
    if (!UUID.test(sealed.keyId) || !SEALED.test(sealed.sealed)) throw new Error('this is not a sealed contact');
    const keys = await this.ready();
    const { rows } = await this.pool.query<{ key: Buffer }>(`SELECT key FROM ${KEYS_TABLE} WHERE key_id = $1`, [sealed.keyId]);
    if (rows.length === 0) return { contact: null, erased: true };
    const key = this.unwrap(keys, sealed.keyId, rows[0].key);
    const plain = openBox(key, Buffer.from(sealed.sealed, 'base64'), contactAad(sealed.keyId));
    if (plain === null) throw new Error(`the contact sealed under key ${sealed.keyId} does not open: it was altered, or sealed under another key`);
    return { contact: contactOf(plain), erased: false };
  }

  /**
   * Deletes every key of this phone number for good; returns how many cases (distinct event streams whose filing
   * event holds a contact under one of those keys, at data.fields.contact.keyId) became unreadable; again → 0.
   */
  async erase(phone: string): Promise<number> {
    const subject = await this.blindIndexOf(phone);
    if (subject === null) return 0;
    const erased = await this.inTransaction(async (c) => {
      const deleted = await c.query<{ key_id: string }>(`DELETE FROM ${KEYS_TABLE} WHERE subject = $1 RETURNING key_id::text AS key_id`, [subject]);
      const keyIds = deleted.rows.map((r) => r.key_id);
      if (keyIds.length === 0) return 0;
      const counted = await c.query<{ n: number }>(CASES_SEALED_UNDER, [keyIds]);
      return counted.rows[0].n;
    });
    await this.vacuumKeys();
    return erased;
  }

  /**
   * Removes the deleted keys from the table's pages and its indexes now (INDEX_CLEANUP ON: the subject's blind
   * index leaves the unique index too), instead of when autovacuum comes by. It needs PostgreSQL 17's MAINTAIN
   * privilege; without it, or when an older transaction still sees the rows, they stay until a later vacuum.
   */
  private async vacuumKeys(): Promise<void> {
    this.vacuum ??= this.pool
      .query<{ ok: boolean }>(`SELECT has_table_privilege('${KEYS_TABLE}', 'MAINTAIN') AS ok`)
      .then((r) => r.rows[0].ok)
      .catch(() => false) // before PostgreSQL 17 there is no MAINTAIN privilege to ask about
      .then((ok) => {
        if (!ok) this.log.warn(`cannot VACUUM ${KEYS_TABLE} (it needs PostgreSQL 17 or later and the MAINTAIN privilege): erased keys leave its pages when autovacuum runs`);
        return ok;
      });
    if (!(await this.vacuum)) return;
    try {
      await this.pool.query(`VACUUM (INDEX_CLEANUP ON) ${KEYS_TABLE}`);
    } catch (err) {
      this.log.warn(`VACUUM ${KEYS_TABLE} after an erasure failed (${(err as Error).message}); autovacuum will remove the erased keys later`);
    }
  }

  /** The subject's key: the existing one, or a new one (two sealing at once get the same). */
  private async subjectKey(keys: DerivedKeys, subject: string): Promise<{ keyId: string; key: Buffer }> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const { rows } = await this.pool.query<{ key_id: string; key: Buffer }>(`SELECT key_id::text AS key_id, key FROM ${KEYS_TABLE} WHERE subject = $1`, [subject]);
      if (rows.length > 0) return { keyId: rows[0].key_id, key: this.unwrap(keys, rows[0].key_id, rows[0].key) };
      const added = await this.addKey(keys, subject);
      if (added.keyId !== '') return added;
      // Another process added this subject's key meanwhile: read it.
    }
    throw new Error('could not find or add the subject’s key');
  }

  /** A new key for `subject` (or for one contact, with null); keyId '' when the subject has one already. */
  private async addKey(keys: DerivedKeys, subject: string | null): Promise<{ keyId: string; key: Buffer }> {
    const keyId = randomUUID();
    const key = newKey();
    const wrapped = sealBox(keys.wrap, key, wrapAad(keyId));
    const { rowCount } = await this.pool.query(`INSERT INTO ${KEYS_TABLE} (key_id, subject, key) VALUES ($1, $2, $3) ON CONFLICT (subject) DO NOTHING`, [keyId, subject, wrapped]);
    return rowCount === 1 ? { keyId, key } : { keyId: '', key };
  }

  private unwrap(keys: DerivedKeys, keyId: string, wrapped: Buffer): Buffer {
    const key = openBox(keys.wrap, wrapped, wrapAad(keyId));
    if (key === null) throw new Error(`key ${keyId} does not unwrap under the personal data key (fingerprint ${keys.fingerprint})`);
    return key;
  }

  private async loadKeys(): Promise<DerivedKeys> {
    const given = this.options.secret === null ? null : Buffer.from(this.options.secret, 'utf8');
    for (let attempt = 0; attempt < 5; attempt++) {
      const { rows } = await this.pool.query<{ secret: Buffer | null; fingerprint: string }>(`SELECT secret, fingerprint FROM ${SECRET_TABLE} WHERE id = 1`);
      if (rows.length === 0) {
        const generated = given === null ? newKey() : null;
        const fingerprint = deriveKeys(given ?? generated!).fingerprint;
        const { rowCount } = await this.pool.query(`INSERT INTO ${SECRET_TABLE} (id, secret, fingerprint) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING`, [generated, fingerprint]);
        if (rowCount === 1) {
          this.log.log(
            given === null
              ? 'personal data: no MINYI_PERSONAL_DATA_KEY, so a secret was generated and is kept in the database (whoever reads the database can open the contacts)'
              : `personal data: sealed under MINYI_PERSONAL_DATA_KEY (fingerprint ${fingerprint})`,
          );
        }
        continue;
      }
      const stored = rows[0];
      const secret = given ?? stored.secret;
      const keys = secret === null ? null : deriveKeys(secret);
      if (keys !== null && keys.fingerprint === stored.fingerprint) return keys;
      // Another secret than the one this database's keys are wrapped under. Harmless while there is no key.
      const anyKey = await this.pool.query(`SELECT 1 FROM ${KEYS_TABLE} LIMIT 1`);
      if (anyKey.rowCount === 0) {
        await this.pool.query(`DELETE FROM ${SECRET_TABLE} WHERE id = 1 AND fingerprint = $1`, [stored.fingerprint]);
        this.log.warn(`personal data: the database held no key under its earlier secret (fingerprint ${stored.fingerprint}); it is replaced by ${given === null ? 'a generated one' : 'MINYI_PERSONAL_DATA_KEY'}`);
        continue;
      }
      throw new PersonalDataKeyMismatch(mismatch(stored, keys?.fingerprint ?? null, given !== null));
    }
    throw new Error('could not record the personal data secret');
  }

  private async inTransaction<T>(work: (c: PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const result = await work(c);
      await c.query('COMMIT');
      return result;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }
}

/** What to do when the configured secret is not the one the database's keys are wrapped under. */
function mismatch(stored: { secret: Buffer | null; fingerprint: string }, configured: string | null, given: boolean): string {
  const sealedUnder = `the personal data in this database is sealed under`;
  if (stored.secret !== null && !given) return `the secret kept in ${SECRET_TABLE} does not match its fingerprint (${stored.fingerprint}): the table was altered`;
  if (stored.secret !== null) return `MINYI_PERSONAL_DATA_KEY (fingerprint ${configured}) is set, but ${sealedUnder} the secret minyi generated and keeps in ${SECRET_TABLE}: unset MINYI_PERSONAL_DATA_KEY`;
  if (!given) return `${sealedUnder} MINYI_PERSONAL_DATA_KEY (fingerprint ${stored.fingerprint}), which is not set: set it`;
  return `MINYI_PERSONAL_DATA_KEY (fingerprint ${configured}) is not the key ${sealedUnder} (fingerprint ${stored.fingerprint}): set that one`;
}

/** The contact as sealed: its own fields only, as given (the phone as typed, not normalised). */
function plainOf(contact: Contact): Buffer {
  if (contact === null || typeof contact !== 'object') throw new TypeError('a contact is an object { name?, phone? }');
  const own: Contact = {};
  for (const field of ['name', 'phone'] as const) {
    const value = contact[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new TypeError(`a contact's ${field} is a string`);
    own[field] = value;
  }
  return Buffer.from(JSON.stringify(own), 'utf8');
}

function contactOf(plain: Buffer): Contact {
  const parsed = JSON.parse(plain.toString('utf8')) as Contact;
  const contact: Contact = {};
  if (typeof parsed.name === 'string') contact.name = parsed.name;
  if (typeof parsed.phone === 'string') contact.phone = parsed.phone;
  return contact;
}
