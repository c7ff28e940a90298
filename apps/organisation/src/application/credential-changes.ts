// Runs a change to an issued credential (a terminal's new key, a revocation): load the credential's stream,
// decide, append at the version read, and on a concurrent change decide again against what won. The process
// that recorded it then forgets what it held about the credential, so the change bites here at once (the other
// processes see it within seconds: OrganisationCredentials).
import { Injectable } from '@nestjs/common';
import { EventStore, StreamVersionConflict } from '@minyi/event-store';
import { decideCredential, foldCredential, type CredentialCommand, type Holder } from '../domain/credential.decider.js';
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
    for (let attempt = 0; ; attempt++) {
      const events = await this.store.readStream(c.streamId);
      const state = foldCredential(events);
      const decision = decideCredential(c.command, state);
      // decideCredential refuses an unknown credential, so a holder is known from here on.
      const holder = (state as { holder: Holder }).holder;
      if (decision.outcome === 'duplicate') return { status: 'duplicate', holder };
      try {
        await this.store.append(c.streamId, events.length, [
          {
            type: decision.event.type,
            version: 1,
            data: decision.event.data,
            occurredAt: c.now,
            unitId: holder.unitId,
            metadata: { actor: c.actor, correlationId: c.correlationId, causationId: events.at(-1)?.eventId ?? null },
          },
        ]);
        this.credentials.forget(c.streamId);
        return { status: 'recorded', holder };
      } catch (err) {
        // Two changes at once: the loser decides again against the winner (a second revoke is then a duplicate).
        if (!(err instanceof StreamVersionConflict) || attempt > 2) throw err;
      }
    }
  }
}
