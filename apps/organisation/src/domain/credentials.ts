// Credentials as minyi issues them: a random secret bound to its holder's id, kept only as a hash.
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

export type CredentialKind = 'terminal' | 'reader';
const PREFIX: Record<CredentialKind, string> = { terminal: 'mk', reader: 'mr' };

/** `mk_<hex of the terminal id>_<secret>`: the id lets a key be found without scanning every hash. */
export function issueCredential(kind: CredentialKind, holderId: string, secret = randomBytes(24).toString('base64url')): string {
  return `${PREFIX[kind]}_${Buffer.from(holderId, 'utf8').toString('hex')}_${secret}`;
}

export function parseCredential(token: string): { kind: CredentialKind; holderId: string } | null {
  const m = /^(mk|mr)_([0-9a-f]+)_[A-Za-z0-9_-]{16,}$/.exec(token);
  if (!m || m[2].length % 2 !== 0) return null;
  return { kind: m[1] === 'mk' ? 'terminal' : 'reader', holderId: Buffer.from(m[2], 'hex').toString('utf8') };
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
