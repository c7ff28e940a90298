// The one command handler: read, fold, decide, append at the version read, retry on a version conflict.
import { Conflict, UnitRegistered, type Decider, type DomainEvent } from '@minyi/contracts';
import { useTestStore, type TestStore } from '@minyi/testing';
import { handleCommand, handleCommands } from './command-kit.js';

type Registered = DomainEvent<'UnitRegistered', { unitId: string; name: string; parentId: string | null; kind: string }>;
interface Add {
  name: string;
  /** Refuse when the stream already holds this many events. */
  max?: number;
}
interface State {
  names: string[];
  hashes: (string | undefined)[];
}

const decider: Decider<Add, State, Registered> = {
  initialState: () => ({ names: [], hashes: [] }),
  evolve: (s, e) => ({ names: [...s.names, e.data.name], hashes: [...s.hashes, e.requestHash] }),
  decide: (c, s) => {
    if (s.names.includes(c.name)) return [];
    if (c.max !== undefined && s.names.length >= c.max) throw new Conflict('full');
    return [{ type: UnitRegistered.type as 'UnitRegistered', data: { unitId: 'u1', name: c.name, parentId: null, kind: 'test' }, unitId: 'u1' }];
  },
};

let t: TestStore;
useTestStore((s) => (t = s));
const ctx = (requestHash?: string) => ({ actor: 'admin', correlationId: 'c-1', now: new Date('2026-12-01T02:00:00Z'), requestHash });

it('when a command decides events, then they are appended at the next version with the catalogue version and the context envelope', async () => {
  const r = await handleCommand(t.store, 'kit-a', decider, { name: 'x' }, ctx('h1'));
  expect(r.events).toHaveLength(1);
  expect(r.version).toBe(1);
  expect(r.state.names).toEqual(['x']);
  const [e] = await t.store.readStream('kit-a');
  expect(e).toMatchObject({ type: 'UnitRegistered', version: 1, streamVersion: 1, unitId: 'u1', occurredAt: new Date('2026-12-01T02:00:00Z') });
  expect(e.metadata).toEqual({ actor: 'admin', correlationId: 'c-1', causationId: null, requestHash: 'h1' });
  const second = await handleCommand(t.store, 'kit-a', decider, { name: 'y' }, ctx());
  expect(second.version).toBe(2);
  const [, e2] = await t.store.readStream('kit-a');
  expect(e2.metadata.causationId).toBe(e.eventId);
});

it('when the decider decides nothing (a retry), then nothing is appended and the state is the stream’s', async () => {
  await handleCommand(t.store, 'kit-b', decider, { name: 'x' }, ctx('h1'));
  const again = await handleCommand(t.store, 'kit-b', decider, { name: 'x' }, ctx('h1'));
  expect(again.events).toEqual([]);
  expect(again.version).toBe(1);
  expect(again.state.hashes).toEqual(['h1']);
  expect(await t.store.readStream('kit-b')).toHaveLength(1);
});

it('when 12 commands race on one stream, then each is decided again after losing and all land once, in versions 1–12', async () => {
  const names = Array.from({ length: 12 }, (_, i) => `n${i}`);
  const results = await Promise.all(names.map((name) => handleCommand(t.store, 'kit-c', decider, { name }, ctx(), { attempts: 30 })));
  expect(results.every((r) => r.events.length === 1)).toBe(true);
  const stored = await t.store.readStream('kit-c');
  expect(stored.map((e) => e.streamVersion)).toEqual(names.map((_, i) => i + 1));
  expect(new Set(stored.map((e) => (e.data as { name: string }).name))).toEqual(new Set(names));
});

it('when racing commands are refused once the decision changes, then the refusal reaches the caller and nothing extra is stored', async () => {
  const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => handleCommand(t.store, 'kit-d', decider, { name: `m${i}`, max: 2 }, ctx(), { attempts: 30 })));
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
  for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(Conflict);
  expect(await t.store.readStream('kit-d')).toHaveLength(2);
});

it('when conflicts outlast the attempts, then the caller gets a 409-kind Conflict', async () => {
  const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => handleCommand(t.store, 'kit-e', decider, { name: `k${i}` }, ctx(), { attempts: 1 })));
  const refused = results.filter((r) => r.status === 'rejected');
  expect(refused.length).toBeGreaterThan(0);
  for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(Conflict);
});

describe('handleCommands: many streams at once', () => {
  it('when commands name distinct streams, then their streams are read in one query and their events committed together, each as handleCommand would', async () => {
    await handleCommand(t.store, 'kits-b', decider, { name: 'old' }, ctx());
    const reads = jest.spyOn(t.store, 'readStreams');
    const single = jest.spyOn(t.store, 'readStream');
    try {
      const results = await handleCommands(t.store, decider, [
        { streamId: 'kits-a', command: { name: 'x' }, context: ctx('ha') },
        { streamId: 'kits-b', command: { name: 'y' }, context: ctx('hb') },
        { streamId: 'kits-c', command: { name: 'x' }, context: { ...ctx('hc'), causationId: 'cause-1' } },
      ]);
      expect(reads).toHaveBeenCalledTimes(1);
      expect(single).not.toHaveBeenCalled();
      expect(results.map((r) => [r.version, r.state.names])).toEqual([[1, ['x']], [2, ['old', 'y']], [1, ['x']]]);
    } finally {
      reads.mockRestore();
      single.mockRestore();
    }
    const [a] = await t.store.readStream('kits-a');
    const [old, b] = await t.store.readStream('kits-b');
    const [c] = await t.store.readStream('kits-c');
    expect(a.metadata).toEqual({ actor: 'admin', correlationId: 'c-1', causationId: null, requestHash: 'ha' });
    expect(b.metadata.causationId).toBe(old.eventId);
    expect(c.metadata.causationId).toBe('cause-1');
    // One commit: the three landed in one transaction.
    expect(new Set([a.transactionId, b.transactionId, c.transactionId]).size).toBe(1);
  });

  it('when a command decides nothing, then nothing of it is appended and the others land', async () => {
    await handleCommand(t.store, 'kits-d', decider, { name: 'x' }, ctx('h1'));
    const results = await handleCommands(t.store, decider, [
      { streamId: 'kits-d', command: { name: 'x' }, context: ctx('h1') },
      { streamId: 'kits-e', command: { name: 'x' }, context: ctx() },
    ]);
    expect(results.map((r) => r.events.length)).toEqual([0, 1]);
    expect(await t.store.readStream('kits-d')).toHaveLength(1);
  });

  it('when another writer moves a stream between the read and the append, or two commands name one stream, then those are decided again on their own and every command lands once, in order', async () => {
    await handleCommand(t.store, 'kits-f', decider, { name: 'a' }, ctx());
    const readStreams = t.store.readStreams.bind(t.store);
    const spy = jest.spyOn(t.store, 'readStreams').mockImplementationOnce(async (ids) => {
      const read = await readStreams(ids);
      await handleCommand(t.store, 'kits-f', decider, { name: 'meanwhile' }, ctx());
      return read;
    });
    try {
      const results = await handleCommands(t.store, decider, [
        { streamId: 'kits-f', command: { name: 'b' }, context: ctx() },
        { streamId: 'kits-g', command: { name: 'one' }, context: ctx() },
        { streamId: 'kits-g', command: { name: 'two' }, context: ctx() },
      ]);
      expect(results.map((r) => r.version)).toEqual([3, 1, 2]);
    } finally {
      spy.mockRestore();
    }
    expect((await t.store.readStream('kits-f')).map((e) => (e.data as { name: string }).name)).toEqual(['a', 'meanwhile', 'b']);
    expect((await t.store.readStream('kits-g')).map((e) => (e.data as { name: string }).name)).toEqual(['one', 'two']);
  });

  it('when a command throws, then the others still land and its error is thrown once all have settled', async () => {
    await handleCommand(t.store, 'kits-h', decider, { name: 'a' }, ctx());
    await expect(
      handleCommands(t.store, decider, [
        { streamId: 'kits-h', command: { name: 'b', max: 1 }, context: ctx() },
        { streamId: 'kits-i', command: { name: 'x' }, context: ctx() },
      ]),
    ).rejects.toThrow('full');
    expect(await t.store.readStream('kits-i')).toHaveLength(1);
  });
});
