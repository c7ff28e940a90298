// The command kit: a decider as a value, and the one command handler every use case runs through — read the
// stream, fold it with `evolve`, `decide`, append at the version read, and on a version conflict do it again.
import { Conflict, eventCatalog, type Decider, type DomainEvent, type Evolving } from '@minyi/contracts';
import { StreamVersionConflict, type EventStore } from './event-store.js';
import type { NewEvent, RecordedEvent } from './types.js';

export type { Decider, DomainEvent, Evolving };

/** Who and when: what the envelope of every event a command appends is made of. */
export interface CommandContext {
  actor: string;
  correlationId: string;
  /** When the command is handled; an event without its own `occurredAt` happened now. */
  now: Date;
  /** Stored with each event, so that a later retry of the same request is recognised. */
  requestHash?: string;
  /** The event that caused this command (a reactor's trigger); by default the stream's last event. */
  causationId?: string | null;
}

export interface Handled<S, E extends DomainEvent> {
  /** The state before and after the command (equal when nothing was appended). */
  before: S;
  state: S;
  /** What was appended; empty when the decider decided nothing (a duplicate). */
  events: E[];
  /** The stream's version after the command. */
  version: number;
}

export interface HandleOptions {
  /** Attempts when another writer appended first (each re-reads and decides anew). Default 5. */
  attempts?: number;
}

/** Folds stored events into a state through the decider. */
export function foldStream<C, S, E extends DomainEvent>(decider: Decider<C, S, E>, events: readonly RecordedEvent[]): S {
  let state = decider.initialState();
  for (const e of events) state = decider.evolve(state, evolvingOf<E>(e));
  return state;
}

export function evolvingOf<E extends DomainEvent>(e: RecordedEvent): Evolving<E> {
  return {
    type: e.type,
    data: e.data,
    occurredAt: e.occurredAt,
    unitId: e.unitId,
    requestHash: e.metadata?.requestHash,
    recordedAt: e.recordedAt,
    actor: e.metadata?.actor,
  } as unknown as Evolving<E>;
}

/**
 * Runs one command against one stream. Each appended event takes the latest version of its type from the
 * catalogue (an unknown type is a programming error), the envelope from the context.
 */
export async function handleCommand<C, S, E extends DomainEvent>(
  store: EventStore,
  streamId: string,
  decider: Decider<C, S, E>,
  command: C,
  context: CommandContext,
  options: HandleOptions = {},
): Promise<Handled<S, E>> {
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    const stored = await store.readStream(streamId);
    const before = foldStream(decider, stored);
    const decided = decider.decide(command, before);
    if (decided.length === 0) return { before, state: before, events: [], version: stored.length };
    const causationId = context.causationId !== undefined ? context.causationId : (stored.at(-1)?.eventId ?? null);
    const newEvents: NewEvent[] = decided.map((e) => {
      const version = eventCatalog.latestVersion(e.type);
      if (version === undefined) throw new Error(`${e.type} is not in the event catalogue`);
      return {
        type: e.type,
        version,
        data: e.data,
        occurredAt: e.occurredAt ?? context.now,
        unitId: e.unitId ?? null,
        metadata: { actor: context.actor, correlationId: context.correlationId, causationId, requestHash: context.requestHash },
      };
    });
    try {
      await store.append(streamId, stored.length, newEvents);
    } catch (err) {
      if (!(err instanceof StreamVersionConflict)) throw err;
      if (attempt >= attempts) throw new Conflict(`${streamId} is being written by others at the same time; retry`);
      continue;
    }
    let state = before;
    decided.forEach((e, i) => {
      state = decider.evolve(state, { ...e, occurredAt: newEvents[i].occurredAt, requestHash: context.requestHash, actor: context.actor } as Evolving<E>);
    });
    return { before, state, events: decided, version: stored.length + decided.length };
  }
}
