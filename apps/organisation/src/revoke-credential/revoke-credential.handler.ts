// Revokes a terminal, a reader or a client: its secret is refused from then on, here at once and in every
// process within seconds. A revocation is final; revoking again is a duplicate.
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CredentialChanges } from '../application/credential-changes.js';
import { credentialStreamOf, type CredentialKind } from '../domain/credentials.js';

export class RevokeCredential {
  constructor(
    readonly kind: CredentialKind,
    readonly holderId: string,
    readonly actor: string,
    readonly correlationId: string,
  ) {}
}

export type Revocation = 'revoked' | 'duplicate';

@CommandHandler(RevokeCredential)
export class RevokeCredentialHandler implements ICommandHandler<RevokeCredential, Revocation> {
  constructor(private readonly changes: CredentialChanges) {}

  async execute({ kind, holderId, actor, correlationId }: RevokeCredential): Promise<Revocation> {
    const r = await this.changes.record({
      streamId: credentialStreamOf(kind, holderId),
      command: { type: 'RevokeCredential', kind, holderId },
      actor,
      correlationId,
      now: new Date(),
    });
    return r.status === 'recorded' ? 'revoked' : 'duplicate';
  }
}
