// Invitation tokens as minyi issues them (the shape of its credentials): a random secret bound to its invitation's
// id, shown once and kept only as a hash. The id lets a token be checked against its invitation's hashes without
// looking at any other; the token itself is never stored.
import { randomBytes } from 'node:crypto';
import { isClientId } from '@minyi/contracts';
import { hashCredential } from '@minyi/organisation';

const PREFIX = 'mi';
// Lowercase hex only, as issued; the secret as issued (24 random bytes, base64url).
const SHAPE = /^mi_((?:[0-9a-f]{2}){1,64})_([A-Za-z0-9_-]{32})$/;
/** The longest token that can have been issued: anything longer is unknown before it is hashed. */
export const MAX_TOKEN_LENGTH = 3 + 128 + 1 + 32;

/** `mi_<hex of the invitation id>_<secret>`. */
export function issueInvitationToken(invitationId: string, secret = randomBytes(24).toString('base64url')): string {
  return `${PREFIX}_${Buffer.from(invitationId, 'utf8').toString('hex')}_${secret}`;
}

/** The invitation a token names, or null when no token of that shape can have been issued. */
export function invitationOfToken(token: string): string | null {
  if (token.length > MAX_TOKEN_LENGTH) return null;
  const m = SHAPE.exec(token);
  if (!m) return null;
  const invitationId = Buffer.from(m[1], 'hex').toString('utf8');
  return isClientId(invitationId) ? invitationId : null;
}

/** sha256, hex: the same one-shot hash as every credential minyi issues. */
export const hashInvitationToken = (token: string): string => hashCredential(token);
