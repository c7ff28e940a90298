// The decider shared by everything that is registered once under a client-made id (units, windows,
// officers, terminals, readers): the first registration wins; a retry with the same content is a
// duplicate; another content under the same id is a conflict.
import { Conflict } from '@minyi/contracts';

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
