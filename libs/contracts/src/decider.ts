// Domain logic as a value: the types every context's decider is written in (pure; the handler is in the event store).

/** An event a decider emits: a type of the catalogue and its payload, and, where it is not the command's, when and where. */
export interface DomainEvent<T extends string = string, D = unknown> {
  readonly type: T;
  readonly data: D;
  /** When it happened (from the source: a terminal, a hotline desk); the command's `now` when absent. */
  readonly occurredAt?: Date;
  /** The unit the fact belongs to (the envelope's unit_id); null when absent. */
  readonly unitId?: string | null;
}

/** An event as `evolve` sees it: a stored one carries what the store recorded; a just-decided one only its own. */
export type Evolving<E extends DomainEvent> = E & {
  readonly occurredAt: Date;
  /** Hash of the client request that caused it (a retry is told from a clash by it). */
  readonly requestHash?: string;
  readonly recordedAt?: Date;
  readonly actor?: string;
};

/** Domain logic as a value (Emmett's Decider): no framework, no I/O, no clock — time comes in the command. */
export interface Decider<C, S, E extends DomainEvent> {
  initialState(): S;
  evolve(state: S, event: Evolving<E>): S;
  /** The events the command causes — none when there is nothing to do (a retry) — or a DomainError when refused. */
  decide(command: C, state: S): E[];
}
