// Resolves a bearer token to the administrator, a terminal or a reader, by comparing hashes.
import { Injectable } from '@nestjs/common';
import type { CredentialResolver, Principal } from '@minyi/platform';
import { hashCredential, parseCredential, sameHash } from '../domain/credentials.js';
import { AdministratorToken } from './administrator-token.js';
import { OrganisationDirectory } from './organisation.directory.js';

@Injectable()
export class OrganisationCredentials implements CredentialResolver {
  /** Hash → principal for tokens already seen, so a terminal's every request is not a stream read. */
  private readonly known = new Map<string, Principal>();

  constructor(
    private readonly admin: AdministratorToken,
    private readonly directory: OrganisationDirectory,
  ) {}

  async resolve(token: string): Promise<Principal | null> {
    if (token.length > 512) return null;
    const hash = hashCredential(token);
    const cached = this.known.get(hash);
    if (cached) return cached;
    const principal = await this.lookup(token, hash);
    if (principal && principal.kind !== 'admin') this.known.set(hash, principal);
    return principal;
  }

  private async lookup(token: string, hash: string): Promise<Principal | null> {
    const parsed = parseCredential(token);
    if (parsed?.kind === 'terminal') {
      const t = await this.directory.terminal(parsed.holderId);
      if (!t || !sameHash(t.keyHash, hash)) return null;
      return { kind: 'terminal', terminalId: t.terminalId, windowId: t.windowId, unitId: t.unitId };
    }
    if (parsed?.kind === 'reader') {
      const r = await this.directory.reader(parsed.holderId);
      if (!r || !sameHash(r.tokenHash, hash)) return null;
      return { kind: 'reader', readerId: r.readerId, role: r.role, unitId: r.unitId };
    }
    return sameHash(this.admin.hash, hash) ? { kind: 'admin' } : null;
  }
}
