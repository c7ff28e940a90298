// Runs a registration use case through the command kit: the first registration under an id wins, the same
// content again is a duplicate carrying the first data, other content a 409 (a concurrent first registration
// is decided again against the one that won).
import { Injectable } from '@nestjs/common';
import { contentHash } from '@minyi/contracts';
import { EventStore, handleCommand } from '@minyi/event-store';
import { registrationDecider, type RegistrationState } from '../domain/registration.decider.js';

export interface Registration<T> {
  what: string;
  id: string;
  streamId: string;
  eventType: string;
  /** The client's request as sent; its hash tells a retry from a clash. */
  request: unknown;
  unitId: string | null;
  actor: string;
  correlationId: string;
  /** Builds the event payload; runs only when the registration is new. */
  propose: () => T;
  now: Date;
}

export interface Registered<T> {
  status: 'created' | 'duplicate';
  data: T;
}

@Injectable()
export class Registrar {
  constructor(private readonly store: EventStore) {}

  async register<T>(r: Registration<T>): Promise<Registered<T>> {
    const requestHash = contentHash(r.request);
    const handled = await handleCommand(
      this.store,
      r.streamId,
      registrationDecider<T>(),
      { type: 'Register', what: r.what, id: r.id, eventType: r.eventType, requestHash, unitId: r.unitId, propose: r.propose },
      { actor: r.actor, correlationId: r.correlationId, now: r.now, requestHash, causationId: null },
    );
    if (handled.events.length > 0) return { status: 'created', data: handled.events[0].data };
    return { status: 'duplicate', data: (handled.state as Extract<RegistrationState<T>, { registered: true }>).data };
  }
}
