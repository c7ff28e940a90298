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
  /** The append's `apart` key: committed never in one transaction with appends of another key (AppendRequest). */
  apart?: string;
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
    const newEvents = toNewEvents(decided, stored, context);
    try {
      await store.appendMany([{ streamId, expectedVersion: stored.length, events: newEvents, apart: options.apart }])[0];
    } catch (err) {
      if (!(err instanceof StreamVersionConflict)) throw err;
      if (attempt >= attempts) throw new Conflict(`${streamId} is being written by others at the same time; retry`);
      continue;
    }
    return handled(decider, before, decided, newEvents, stored.length, context);
  }
}

/** One command of a handleCommands call: its stream, and who and when. */
export interface StreamCommand<C> {
  streamId: string;
  command: C;
  context: CommandContext;
}

/**
 * Runs commands against distinct streams as handleCommand runs each, in two round trips for all of them instead of
 * two for each: their streams read in one query, every decision appended in one appendMany (which the store commits
 * together). A command whose stream another writer moved meanwhile — or whose stream a second command of the call
 * names — is then run on its own through handleCommand (read again, decide again). For a reactor that a window of the
 * log gives many independent commands (a bad rating's follow-up each). Answers in the order of `commands`; when some
 * fail, the others still land, and the first failure is thrown once all have settled.
 */
export async function handleCommands<C, S, E extends DomainEvent>(
  store: EventStore,
  decider: Decider<C, S, E>,
  commands: readonly StreamCommand<C>[],
  options: HandleOptions = {},
): Promise<Handled<S, E>[]> {
  const results: (Handled<S, E> | undefined)[] = new Array(commands.length);
  const alone: number[] = [];
  const seen = new Set<string>();
  const first: number[] = [];
  commands.forEach((c, i) => {
    if (seen.has(c.streamId)) alone.push(i);
    else {
      seen.add(c.streamId);
      first.push(i);
    }
  });
  const streams = first.length > 0 ? await store.readStreams(first.map((i) => commands[i].streamId)) : new Map<string, RecordedEvent[]>();
  const appending: { i: number; before: S; decided: E[]; newEvents: NewEvent[]; version: number }[] = [];
  const failures: unknown[] = [];
  for (const i of first) {
    const { streamId, command, context } = commands[i];
    const stored = streams.get(streamId) ?? [];
    try {
      const before = foldStream(decider, stored);
      const decided = decider.decide(command, before);
      if (decided.length === 0) results[i] = { before, state: before, events: [], version: stored.length };
      else appending.push({ i, before, decided, newEvents: toNewEvents(decided, stored, context), version: stored.length });
    } catch (err) {
      failures.push(err);
    }
  }
  if (appending.length > 0) {
    let appended: PromiseSettledResult<unknown>[] | null = null;
    try {
      appended = await Promise.allSettled(store.appendMany(appending.map((a) => ({ streamId: commands[a.i].streamId, expectedVersion: a.version, events: a.newEvents }))));
    } catch {
      // A request the store refuses outright (InvalidAppend: nothing was queued): each on its own, so that only
      // that one fails.
      alone.push(...appending.map((a) => a.i));
    }
    appended?.forEach((r, k) => {
      const a = appending[k];
      if (r.status === 'fulfilled') results[a.i] = handled(decider, a.before, a.decided, a.newEvents, a.version, commands[a.i].context);
      else if (r.reason instanceof StreamVersionConflict) alone.push(a.i);
      else failures.push(r.reason);
    });
  }
  for (const i of alone.sort((a, b) => a - b)) {
    const { streamId, command, context } = commands[i];
    try {
      results[i] = await handleCommand(store, streamId, decider, command, context, options);
    } catch (err) {
      failures.push(err);
    }
  }
  if (failures.length > 0) throw failures[0];
  return results as Handled<S, E>[];
}

/** The events to append for what was decided: the catalogue's latest version of each type, the context's envelope. */
function toNewEvents<E extends DomainEvent>(decided: readonly E[], stored: readonly RecordedEvent[], context: CommandContext): NewEvent[] {
  const causationId = context.causationId !== undefined ? context.causationId : (stored.at(-1)?.eventId ?? null);
  return decided.map((e) => {
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
}

function handled<C, S, E extends DomainEvent>(decider: Decider<C, S, E>, before: S, decided: E[], newEvents: NewEvent[], version: number, context: CommandContext): Handled<S, E> {
  let state = before;
  decided.forEach((e, i) => {
    state = decider.evolve(state, { ...e, occurredAt: newEvents[i].occurredAt, requestHash: context.requestHash, actor: context.actor } as Evolving<E>);
  });
  return { before, state, events: decided, version: version + decided.length };
}
