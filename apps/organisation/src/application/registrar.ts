// Runs a registration use case: load the stream, decide, append at the version read, and on a
// concurrent first registration decide again against what won.
import { Injectable } from '@nestjs/common';
import { contentHash } from '@minyi/contracts';
import { EventStore, StreamVersionConflict, type EventMetadata } from '@minyi/event-store';
import {
  decideRegistration,
  evolveRegistration,
  initialRegistration,
  type RegistrationState,
} from '../domain/registration.decider.js';

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
    for (let attempt = 0; ; attempt++) {
      const events = await this.store.readStream(r.streamId);
      const state = events.reduce<RegistrationState<T>>(
        (s, e) => evolveRegistration(s, { data: e.data, requestHash: e.metadata.requestHash }),
        initialRegistration<T>(),
      );
      const decision = decideRegistration(state, r.what, r.id, requestHash, r.propose);
      if (decision.outcome === 'duplicate') return { status: 'duplicate', data: decision.data };
      const metadata: EventMetadata = { actor: r.actor, correlationId: r.correlationId, causationId: null, requestHash };
      try {
        await this.store.append(r.streamId, events.length, [
          { type: r.eventType, version: 1, data: decision.data, occurredAt: r.now, unitId: r.unitId, metadata },
        ]);
        return { status: 'created', data: decision.data };
      } catch (err) {
        if (!(err instanceof StreamVersionConflict) || attempt > 0) throw err;
      }
    }
  }
}
