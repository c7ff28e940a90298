// The decider shared by everything that is registered once under a client-made id (units, windows,
// officers, terminals, readers): the first registration wins; a retry with the same content is a
// duplicate; another content under the same id is a conflict.
import { Conflict, type Decider, type DomainEvent } from '@minyi/contracts';

export type RegistrationState<T> = { registered: false } | { registered: true; requestHash: string; data: T };

export const initialRegistration = <T>(): RegistrationState<T> => ({ registered: false });

export function evolveRegistration<T>(state: RegistrationState<T>, event: { data: unknown; requestHash?: string }): RegistrationState<T> {
  if (state.registered) return state;
  return { registered: true, requestHash: event.requestHash ?? '', data: event.data as T };
}

export type RegistrationDecision<T> = { outcome: 'created'; data: T } | { outcome: 'duplicate'; data: T };

export function decideRegistration<T>(
  state: RegistrationState<T>,
  what: string,
  id: string,
  requestHash: string,
  proposed: () => T,
): RegistrationDecision<T> {
  if (!state.registered) return { outcome: 'created', data: proposed() };
  if (state.requestHash === requestHash) return { outcome: 'duplicate', data: state.data };
  throw new Conflict(`${what} ${id} is already registered with different content`);
}

/** A registration as the command kit runs it: the event it records, and its proposal (built only when new). */
export interface Register<T> {
  type: 'Register';
  /** What is registered (`unit`, `terminal`, …), for the conflict's message. */
  what: string;
  id: string;
  eventType: string;
  /** Hash of the client's request: the same again is a duplicate, another a conflict. */
  requestHash: string;
  unitId: string | null;
  propose: () => T;
}

export type RegistrationEvent<T> = DomainEvent<string, T>;

/** The registration as a decider value: a duplicate decides nothing; the state then holds the first data. */
export function registrationDecider<T>(): Decider<Register<T>, RegistrationState<T>, RegistrationEvent<T>> {
  return {
    initialState: () => initialRegistration<T>(),
    evolve: (state, event) => evolveRegistration(state, event),
    decide(command, state) {
      const d = decideRegistration(state, command.what, command.id, command.requestHash, command.propose);
      return d.outcome === 'duplicate' ? [] : [{ type: command.eventType, data: d.data, unitId: command.unitId }];
    },
  };
}
