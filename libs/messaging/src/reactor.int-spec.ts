// A reactor on the consumer port (real PostgreSQL): each event it handles causes its command once — in log order
// per key, after a redelivery from the start, with two consumers at once, and when a batch fails half-way.
import { Conflict, type Decider, type DomainEvent } from '@minyi/contracts';
import { handleCommand, handleCommands, type RecordedEvent } from '@minyi/event-store';
import { appendTogether, appendToLog, reactorDeps, resetCheckpoint, runReactorUntilCaughtUp, useTestStore, type LogEntry, type TestStore } from '@minyi/testing';
import type { ReactorDefinition } from './manifest.js';
import { Reactor, reactorConsumer } from './reactor.js';

type Marked = DomainEvent<'UnitRegistered', { unitId: string; name: string; parentId: string | null; kind: string }>;
interface Mark {
  cause: string;
  name: string;
}

/** A stream of marks, each once per cause (its deterministic id): a mark again for the same cause is nothing new. */
const marks: Decider<Mark, string[], Marked> = {
  initialState: () => [],
  evolve: (s, e) => [...s, e.data.kind],
  decide: (c, s) => (s.includes(c.cause) ? [] : [{ type: 'UnitRegistered', data: { unitId: 'u1', name: c.name, parentId: null, kind: c.cause }, unitId: 'u1' }]),
};

let t: TestStore;
useTestStore((s) => (t = s));

/** Marks `marks-<group>` once for every rating of score 1, with the rating's id as the cause. */
function markingReactor(options: { failOnce?: (e: RecordedEvent) => boolean; seen?: string[] } = {}): ReactorDefinition {
  const failed = new Set<string>();
  return {
    name: 'marks',
    handles: ['RatingSubmitted'],
    create: (deps) =>
      new Reactor({
        name: 'reactor:marks',
        handles: ['RatingSubmitted'],
        keyOf: (e) => (e.data as { windowId: string }).windowId,
        react: async (e) => {
          const d = e.data as { ratingId: string; windowId: string; score: number };
          options.seen?.push(d.ratingId);
          if (options.failOnce?.(e) && !failed.has(e.eventId)) {
            failed.add(e.eventId);
            throw new Error(`reaction to ${d.ratingId} failed once`);
          }
          if (d.score !== 1) return;
          await handleCommand(deps.store, `marks-${d.windowId}`, marks, { cause: d.ratingId, name: d.ratingId }, { actor: 'system', correlationId: e.metadata.correlationId, now: new Date(), causationId: e.eventId });
        },
      }),
  };
}

const rating = (i: number, windowId: string, score = 1): LogEntry => ({
  streamId: `rating-r${i}`,
  type: 'RatingSubmitted',
  data: { ratingId: `r${i}`, terminalId: 't1', windowId, unitId: 'u1', score, officerId: null, serviceType: null, reasons: [], comment: null, source: 'terminal' },
  occurredAt: new Date('2026-11-30T02:00:00Z'),
  unitId: 'u1',
});

async function markedCauses(windowId: string): Promise<string[]> {
  return (await t.store.readStream(`marks-${windowId}`)).map((e) => (e.data as { kind: string }).kind);
}

it('when events are in the log, then each handled one causes its command once, in log order per key, others passing by', async () => {
  const seen: string[] = [];
  await appendToLog(t.store, [rating(1, 'w1'), rating(2, 'w2'), rating(3, 'w1', 4), rating(4, 'w1'), rating(5, 'w2'), { ...rating(6, 'w1'), type: 'RatingVoided', data: { ratingId: 'r1', reason: 'x', rating: { score: 1, occurredAt: '2026-11-30T02:00:00.000Z', windowId: 'w1', unitId: 'u1', officerId: null } } }]);
  await runReactorUntilCaughtUp(markingReactor({ seen }), reactorDeps(t));
  expect(await markedCauses('w1')).toEqual(['r1', 'r4']);
  expect(await markedCauses('w2')).toEqual(['r2', 'r5']);
  expect(seen.sort()).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
  const [mark] = await t.store.readStream('marks-w1');
  const [cause] = await t.store.readStream('rating-r1');
  expect(mark.metadata).toMatchObject({ actor: 'system', causationId: cause.eventId });
});

it('when the checkpoint is moved back to the start (a redelivery), then every command finds itself done: nothing new', async () => {
  const deps = reactorDeps(t);
  await appendToLog(t.store, [rating(1, 'w1'), rating(2, 'w1')]);
  await runReactorUntilCaughtUp(markingReactor(), deps);
  await resetCheckpoint(deps, 'reactor:marks');
  await appendToLog(t.store, [rating(3, 'w1')]);
  await runReactorUntilCaughtUp(markingReactor(), deps);
  expect(await markedCauses('w1')).toEqual(['r1', 'r2', 'r3']);
});

it('when a reaction fails half-way through a batch, then the batch is delivered again and the earlier effects are not doubled', async () => {
  const deps = reactorDeps(t);
  await appendToLog(t.store, Array.from({ length: 20 }, (_, i) => rating(i, `w${i % 3}`)));
  await runReactorUntilCaughtUp(markingReactor({ failOnce: (e) => (e.data as { ratingId: string }).ratingId === 'r13' }), deps);
  const all = [...(await markedCauses('w0')), ...(await markedCauses('w1')), ...(await markedCauses('w2'))];
  expect(all.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `r${i}`).sort());
});

it('when two consumers run the same reactor at once over a stream of events, then each command lands once and neither reports an error', async () => {
  const deps = reactorDeps(t);
  const errors: unknown[] = [];
  const consumers = [0, 1].map(() => reactorConsumer(markingReactor(), deps, { idlePollMs: 5, pacingMs: 0, batchSize: 7, onError: (err) => errors.push(err) }));
  await Promise.all(consumers.map((c) => c.start()));
  try {
    for (let k = 0; k < 10; k++) await appendToLog(t.store, Array.from({ length: 12 }, (_, i) => rating(k * 12 + i, `w${i % 4}`)));
    await Promise.all(consumers.map((c) => c.caughtUp()));
  } finally {
    await Promise.all(consumers.map((c) => c.stop()));
  }
  const all = (await Promise.all(['w0', 'w1', 'w2', 'w3'].map(markedCauses))).flat();
  expect(all).toHaveLength(120);
  expect(new Set(all).size).toBe(120);
  expect(errors).toEqual([]);
  expect(consumers.map((c) => c.status().lastError)).toEqual([null, null]);
});

it('when a reaction is refused for good, then the event is set aside as a dead letter and the reactor goes on', async () => {
  const refusing: ReactorDefinition = {
    name: 'refusing',
    handles: ['RatingSubmitted'],
    create: (deps) =>
      new Reactor({
        name: 'reactor:refusing',
        handles: ['RatingSubmitted'],
        react: async (e) => {
          const d = e.data as { ratingId: string };
          if (d.ratingId === 'r2') throw new Conflict('r2 cannot be marked');
          await handleCommand(deps.store, 'marks-all', marks, { cause: d.ratingId, name: d.ratingId }, { actor: 'system', correlationId: 'c', now: new Date() });
        },
      }),
  };
  await appendToLog(t.store, [rating(1, 'w'), rating(2, 'w'), rating(3, 'w')]);
  await expect(runReactorUntilCaughtUp(refusing, reactorDeps(t))).rejects.toThrow(/set 1 event\(s\) aside:\nRatingSubmitted: .*r2 cannot be marked/);
  expect(await markedCauses('all')).toEqual(['r1', 'r3']);
});

it('when a reaction takes the first event of each key at once, then it runs before the rest of its key, what it leaves runs as ever, and every command lands once in log order per key', async () => {
  const byFirsts: string[][] = [];
  const reacted: string[] = [];
  const batched: ReactorDefinition = {
    name: 'batched',
    handles: ['RatingSubmitted'],
    create: (deps) => {
      const mark = (e: RecordedEvent) => {
        const d = e.data as { ratingId: string; windowId: string };
        return { streamId: `marks-${d.windowId}`, command: { cause: d.ratingId, name: d.ratingId }, context: { actor: 'system', correlationId: e.metadata.correlationId, now: new Date(), causationId: e.eventId } };
      };
      return new Reactor({
        name: 'reactor:batched',
        handles: ['RatingSubmitted'],
        keyOf: (e) => (e.data as { windowId: string }).windowId,
        // Takes the firsts of score 1, all in one handleCommands; leaves the others to react.
        reactToFirsts: async (events) => {
          const taken = events.filter((e) => (e.data as { score: number }).score === 1);
          byFirsts.push(taken.map((e) => (e.data as { ratingId: string }).ratingId));
          await handleCommands(deps.store, marks, taken.map(mark));
          return events.filter((e) => !taken.includes(e));
        },
        react: async (e) => {
          reacted.push((e.data as { ratingId: string }).ratingId);
          if ((e.data as { score: number }).score === 1) await handleCommand(deps.store, mark(e).streamId, marks, mark(e).command, mark(e).context);
        },
      });
    },
  };
  // One transaction, so that the reactor takes all six in one window (committed one by one, a transaction open
  // elsewhere on the server could hold the later ones back into a window of their own, with firsts of their own).
  await appendTogether(t.store, [rating(1, 'w1'), rating(2, 'w2', 4), rating(3, 'w3'), rating(4, 'w1'), rating(5, 'w2'), rating(6, 'w1')]);
  await runReactorUntilCaughtUp(batched, reactorDeps(t));
  expect(byFirsts.flat().sort()).toEqual(['r1', 'r3']);
  expect(reacted.sort()).toEqual(['r2', 'r4', 'r5', 'r6']);
  expect(await markedCauses('w1')).toEqual(['r1', 'r4', 'r6']);
  expect(await markedCauses('w2')).toEqual(['r5']);
  expect(await markedCauses('w3')).toEqual(['r3']);
});
