// Runs a change to an issued credential (a terminal's new key, a revocation) through the command kit: load the
// credential's stream, decide, append at the version read, and on a concurrent change decide again against what
// won (a second revoke is then a duplicate). The process that recorded it then forgets what it held about the
// credential, so the change bites here at once (the other processes see it within seconds: OrganisationCredentials).
import { Injectable } from '@nestjs/common';
import { EventStore, handleCommand } from '@minyi/event-store';
import { credentialDecider, type CredentialCommand, type Holder } from '../domain/credential.decider.js';
import { OrganisationCredentials } from '../directory/credential-resolver.js';

export interface CredentialChange {
  streamId: string;
  command: CredentialCommand;
  actor: string;
  correlationId: string;
  now: Date;
}

export interface CredentialChanged {
  status: 'recorded' | 'duplicate';
  holder: Holder;
}

@Injectable()
export class CredentialChanges {
  constructor(
    private readonly store: EventStore,
    private readonly credentials: OrganisationCredentials,
  ) {}

  async record(c: CredentialChange): Promise<CredentialChanged> {
    const handled = await handleCommand(this.store, c.streamId, credentialDecider, c.command, { actor: c.actor, correlationId: c.correlationId, now: c.now });
    // The decider refuses an unknown credential, so a holder is known here.
    const holder = (handled.before as { holder: Holder }).holder;
    if (handled.events.length === 0) return { status: 'duplicate', holder };
    this.credentials.forget(c.streamId);
    return { status: 'recorded', holder };
  }
}
