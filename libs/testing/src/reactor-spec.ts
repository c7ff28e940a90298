// Given / when / then for reactors, on real PostgreSQL: given these events in the log (the reactor catches up over
// them), when these follow, then these streams hold these events — and a redelivery of the whole log from its
// start (the checkpoint reset, as after a crash before it moved) adds nothing, which every spec checks.
import type { SatisfactionSource } from '@minyi/contracts';
import type { EventStore, NewEvent, RecordedEvent } from '@minyi/event-store';
import { reactorConsumer, type ProjectionDeps, type ReactorDefinition } from '@minyi/messaging';
import { loadConfig } from '@minyi/platform';
import type { TestStore } from './test-store.js';

/** An event to put into the log: a NewEvent (metadata optional) and the stream it goes to. */
export type LogEntry = Omit<NewEvent, 'metadata' | 'version'> & { streamId: string; version?: number; metadata?: Partial<NewEvent['metadata']> };

/** What a stream should hold, oldest first: an event type, or a type with a part of its data (and envelope). */
export type ExpectedEvent = string | { type: string; data?: unknown; unitId?: string | null; metadata?: Partial<NewEvent['metadata']>; occurredAt?: Date };

export interface ReactorSpecOptions {
  /** Configuration as minyi reads it from the environment (e.g. MINYI_FOLLOWUP_DUE_DAYS). */
  env?: Record<string, string>;
  satisfactionSources?: readonly SatisfactionSource[];
}

/** The dependencies a reactor is built from in a running process, for a test store. */
export function reactorDeps(t: { pools: Pick<TestStore['pools'], 'app'>; store: EventStore }, options: ReactorSpecOptions = {}): ProjectionDeps {
  const config = loadConfig({ ...options.env });
  return { pool: t.pools.app, store: t.store, timeZone: config.timeZone, satisfactionSources: options.satisfactionSources ?? [], config: config as unknown as Record<string, unknown> };
}

/** Appends the entries, each at the end of its stream, in the order given. */
export async function appendToLog(store: EventStore, entries: readonly LogEntry[]): Promise<RecordedEvent[]> {
  const appended: RecordedEvent[] = [];
  for (const entry of entries) {
    const stored = await store.readStream(entry.streamId);
    await store.append(entry.streamId, stored.length, [newEventOf(entry)]);
    appended.push((await store.readStream(entry.streamId)).at(-1)!);
  }
  return appended;
}

/**
 * Appends entries to streams that are new, all in one transaction (one grouped commit): a gap-safe reader sees all
 * of them or none, so a consumer that starts after it takes them in one window — whatever other transactions are
 * open on the server meanwhile (appendToLog's commits can be split across windows by one).
 */
export async function appendTogether(store: EventStore, entries: readonly LogEntry[]): Promise<void> {
  await Promise.all(store.appendMany(entries.map((entry) => ({ streamId: entry.streamId, expectedVersion: 0, events: [newEventOf(entry)] }))));
  // The store groups what reaches it together; this says so rather than trusting it (a batch limit, a stream named twice).
  const transactions = new Set<string>();
  for (const { streamId } of entries) for (const e of await store.readStream(streamId)) transactions.add(e.transactionId);
  if (transactions.size > 1) throw new Error(`appendTogether's entries were committed in ${transactions.size} transactions, not one`);
}

/** The event of a log entry, with a test's envelope where it names none. */
function newEventOf({ streamId: _streamId, metadata, version, ...e }: LogEntry): NewEvent {
  return { ...e, version: version ?? 1, metadata: { actor: 'test', correlationId: 'test', causationId: null, ...metadata } };
}

/** Runs the reactor over the whole log until it has caught up (its own events included), then stops it. */
export async function runReactorUntilCaughtUp(definition: ReactorDefinition, deps: ProjectionDeps, timeoutMs = 30_000): Promise<void> {
  const consumer = reactorConsumer(definition, deps, { idlePollMs: 10, pacingMs: 0 });
  await consumer.start();
  try {
    await consumer.caughtUp(timeoutMs);
  } finally {
    await consumer.stop();
  }
  // A reaction that kept failing was set aside: the spec fails with its error instead of a missing event.
  const dead = await deps.pool.query<{ type: string; error: string }>(`SELECT type, error FROM dead_letters WHERE consumer = $1 ORDER BY id`, [consumer.status().name]);
  if (dead.rows.length > 0) throw new Error(`${consumer.status().name} set ${dead.rows.length} event(s) aside:\n${dead.rows.map((r) => `${r.type}: ${r.error}`).join('\n')}`);
}

/** Moves the reactor's checkpoint back to the start of the log: everything will be delivered again. */
export async function resetCheckpoint(deps: ProjectionDeps, consumerName: string): Promise<void> {
  await deps.pool.query(`UPDATE consumer_checkpoints SET transaction_id = '0', global_position = 0 WHERE consumer = $1`, [consumerName]);
}

async function logSize(deps: ProjectionDeps): Promise<number> {
  const { rows } = await deps.pool.query<{ n: string }>('SELECT count(*) AS n FROM events');
  return Number(rows[0].n);
}

function matches(stored: RecordedEvent, expected: ExpectedEvent): void {
  if (typeof expected === 'string') return void expect(stored.type).toBe(expected);
  expect(stored).toMatchObject(expected as Record<string, unknown>);
}

export const ReactorSpecification = {
  /** `store` is called when the spec runs (a test store made in beforeEach is there by then). */
  for(definition: ReactorDefinition, store: () => TestStore, options: ReactorSpecOptions = {}) {
    return {
      given(history: readonly LogEntry[] = []) {
        const run = async (when: readonly LogEntry[]) => {
          const t = store();
          const deps = reactorDeps(t, options);
          await appendToLog(t.store, history);
          if (when.length > 0) {
            await runReactorUntilCaughtUp(definition, deps);
            await appendToLog(t.store, when);
          }
          const before = await logSize(deps);
          await runReactorUntilCaughtUp(definition, deps);
          const after = await logSize(deps);
          // Redelivery: from the start of the log again, every reaction must find its command done.
          await resetCheckpoint(deps, definition.create(deps).name);
          await runReactorUntilCaughtUp(definition, deps);
          expect({ redeliveredFromTheStart: await logSize(deps) }).toEqual({ redeliveredFromTheStart: after });
          return { t, deps, appended: after - before };
        };
        const then = (when: readonly LogEntry[]) => ({
          /** Each named stream holds exactly these events, oldest first (given, when and the reactor's alike). */
          async then(expected: Readonly<Record<string, readonly ExpectedEvent[]>>): Promise<void> {
            const { t } = await run(when);
            for (const [streamId, events] of Object.entries(expected)) {
              const stored = await t.store.readStream(streamId);
              expect({ streamId, types: stored.map((e) => e.type) }).toEqual({ streamId, types: events.map((e) => (typeof e === 'string' ? e : e.type)) });
              stored.forEach((e, i) => matches(e, events[i]));
            }
          },
          /** The reactor appended nothing in reaction to the `when` events (to the given ones, when there are none). */
          async thenNothingHappened(): Promise<void> {
            const { appended } = await run(when);
            expect({ appendedByTheReactor: appended }).toEqual({ appendedByTheReactor: 0 });
          },
        });
        return {
          ...then([]),
          when(events: readonly LogEntry[]) {
            return then(events);
          },
        };
      },
    };
  },
};
