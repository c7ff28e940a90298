// Credentials as minyi issues them: a random secret bound to its holder's id, kept only as a hash.
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isClientId, streamIds } from '@minyi/contracts';

export type CredentialKind = 'terminal' | 'reader' | 'client';
const PREFIX: Record<CredentialKind, string> = { terminal: 'mk', reader: 'mr', client: 'mc' };
const KIND_OF: Record<string, CredentialKind> = { mk: 'terminal', mr: 'reader', mc: 'client' };

/**
 * The longest token minyi issues: a 3-character prefix, the hex of an id of at most 64 ASCII characters
 * (128), a separator and a secret of at most 64 characters. Anything longer is refused before it is
 * hashed or matched.
 */
export const MAX_CREDENTIAL_LENGTH = 3 + 128 + 1 + 64;
// Lowercase hex only, as issued: `mk_4A_…` is not another spelling of `mk_4a_…`.
const SHAPE = /^(mk|mr|mc)_((?:[0-9a-f]{2}){1,64})_[A-Za-z0-9_-]{16,64}$/;

/** The stream a credential lives in: its registration, then its new keys and its revocation. */
export function credentialStreamOf(kind: CredentialKind, holderId: string): string {
  return kind === 'terminal' ? streamIds.terminal(holderId) : kind === 'reader' ? streamIds.reader(holderId) : streamIds.client(holderId);
}

/** `mk_<hex of the terminal id>_<secret>`: the id lets a key be found without scanning every hash. */
export function issueCredential(kind: CredentialKind, holderId: string, secret = randomBytes(24).toString('base64url')): string {
  return `${PREFIX[kind]}_${Buffer.from(holderId, 'utf8').toString('hex')}_${secret}`;
}

/**
 * The holder a token names, or null when no token of that shape can ever have been issued: wrong prefix,
 * odd or uppercase hex, a holder id that is not a client-made id once decoded (a NUL, a lone surrogate,
 * more than 64 characters), a secret too short or too long. Nothing that returns null here costs a lookup.
 */
export function parseCredential(token: string): { kind: CredentialKind; holderId: string } | null {
  if (token.length > MAX_CREDENTIAL_LENGTH) return null;
  const m = SHAPE.exec(token);
  if (!m) return null;
  const holderId = Buffer.from(m[2], 'hex').toString('utf8');
  // Client-made ids are ASCII, so a valid one decodes byte for byte: no other hex spells the same id.
  if (!isClientId(holderId)) return null;
  return { kind: KIND_OF[m[1]], holderId };
}

/** Run on every authenticated request (the cache of known tokens is keyed by it): the one-shot hash. */
export function hashCredential(token: string): string {
  return hash('sha256', token, 'hex');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
