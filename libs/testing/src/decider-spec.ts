// Given / when / then for deciders (after Emmett's DeciderSpecification): given the events a stream holds,
// when a command arrives, then these events follow — or none, or this refusal.
import type { Decider, DomainEvent, Evolving } from '@minyi/contracts';

type Given<E extends DomainEvent> = E & { occurredAt?: Date; requestHash?: string };

export interface DeciderThen<S, E extends DomainEvent> {
  /** The decided events equal these (compared as values: type, data, and occurredAt/unitId where given). */
  then(expected: Partial<E>[] | ((events: E[], state: S) => void)): void;
  thenNothingHappened(): void;
  /** The decision throws this kind of error (a DomainError subclass) — and, if given, with a matching message. */
  thenThrows(errorType: abstract new (...args: never[]) => Error, message?: string | RegExp): void;
}

export const DeciderSpecification = {
  for<C, S, E extends DomainEvent>(decider: Decider<C, S, E>) {
    return {
      given(events: Given<E>[] = []) {
        const state = events.reduce<S>(
          (s, e) => decider.evolve(s, { ...e, occurredAt: e.occurredAt ?? new Date(0) } as Evolving<E>),
          decider.initialState(),
        );
        return {
          /** The state the given events fold into. */
          state,
          when(command: C): DeciderThen<S, E> {
            const decide = () => decider.decide(command, state);
            return {
              then(expected) {
                const events = decide();
                if (typeof expected === 'function') return expected(events, state);
                expect(events.map((e, i) => pick(e, expected[i]))).toEqual(expected);
              },
              thenNothingHappened() {
                expect(decide()).toEqual([]);
              },
              thenThrows(errorType, message) {
                let thrown: unknown;
                try {
                  decide();
                } catch (err) {
                  thrown = err;
                }
                expect(thrown).toBeInstanceOf(errorType);
                if (message !== undefined) expect((thrown as Error).message).toMatch(message);
              },
            };
          },
        };
      },
    };
  },
};

/** The decided event with only the keys the expectation names (so an expectation may leave out occurredAt). */
function pick<E extends object>(actual: E, expected: Partial<E> | undefined): Partial<E> {
  if (!expected) return actual;
  const out: Partial<E> = {};
  for (const k of Object.keys(expected) as (keyof E)[]) out[k] = actual[k];
  return out;
}
