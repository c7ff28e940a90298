// The cryptography of personal data: AES-256-GCM boxes (nonce | tag | ciphertext), and the keys derived from the
// one secret (MINYI_PERSONAL_DATA_KEY, or the one generated and kept in the database): the blind index's HMAC key,
// the key that wraps every subject's key in pd_keys, and a fingerprint that tells which secret a database was
// sealed under without revealing it.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

/** base64 of these bytes is what SealedContactV1.sealed holds; also the form of a wrapped key. */
export function sealBox(key: Buffer, plain: Buffer, aad: Buffer): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), ciphertext]);
}

/** The plain bytes of a box, or null when it is not one sealed under `key` with `aad` (wrong key, altered bytes). */
export function openBox(key: Buffer, box: Buffer, aad: Buffer): Buffer | null {
  if (box.length < NONCE_BYTES + TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, box.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(box.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(box.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    return null;
  }
}

export function newKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** What the one secret gives: each purpose its own key (HKDF-SHA256), so that none of them reveals another. */
export interface DerivedKeys {
  /** HMAC-SHA256 key of the blind index. */
  index: Buffer;
  /** AES-256-GCM key that wraps each subject's key in pd_keys. */
  wrap: Buffer;
  /** HMAC-SHA256 key of the digest of a contact without a phone number (PersonalDataVault.digestOf). */
  digest: Buffer;
  /** Names the secret (kept in pd_secret, shown in errors); reveals nothing of it. */
  fingerprint: string;
}

const SALT = Buffer.from('minyi personal-data v1');

function derive(secret: Buffer, purpose: string, bytes: number): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, SALT, purpose, bytes));
}

export function deriveKeys(secret: Buffer): DerivedKeys {
  return {
    index: derive(secret, 'blind-index', KEY_BYTES),
    wrap: derive(secret, 'key-wrap', KEY_BYTES),
    digest: derive(secret, 'contact-digest', KEY_BYTES),
    fingerprint: derive(secret, 'fingerprint', 16).toString('hex'),
  };
}

/** The digest key of a subject's key: its own, so that no key serves two algorithms. */
export function digestKeyOf(subjectKey: Buffer): Buffer {
  return derive(subjectKey, 'contact-digest', KEY_BYTES);
}

/** A keyed digest of a contact's plain bytes: 64 hex characters. */
export function contactDigest(key: Buffer, plain: Buffer): string {
  return createHmac('sha256', key).update('contact:').update(plain).digest('hex');
}

/** The blind index of a normalised phone number: 64 hex characters. */
export function blindIndex(indexKey: Buffer, normalisedPhone: string): string {
  return createHmac('sha256', indexKey).update(`phone:${normalisedPhone}`, 'utf8').digest('hex');
}
