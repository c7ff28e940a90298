// What the event store refuses before it queues an append (text jsonb cannot hold, instants PostgreSQL cannot
// read, malformed ids), and how a grouped commit that fails anyway leaves every other append committed once.
import { randomUUID } from 'node:crypto';
import { useTestStore, type TestStore } from '@minyi/testing';
import { EventStore, InvalidAppend } from './event-store.js';
import type { AppendRequest, NewEvent } from './types.js';

let t: TestStore;
useTestStore((x) => (t = x), 'all');

const rating = (id: string, over: Partial<Record<string, unknown>> = {}, envelope: Partial<NewEvent> = {}): AppendRequest => ({
  streamId: `rating-${id}`,
  expectedVersion: 0,
  events: [
    {
      type: 'RatingSubmitted',
      version: 1,
      data: { ratingId: id, terminalId: 't1', windowId: 'w1', unitId: 'u1', score: 4, officerId: null, serviceType: null, reasons: [], comment: null, source: 'terminal', ...over },
      occurredAt: new Date('2026-10-21T01:00:00Z'),
      unitId: 'u1',
      metadata: { actor: 'terminal:t1', correlationId: 'c1', causationId: null },
      ...envelope,
    },
  ],
});

async function eventCount(): Promise<number> {
  const { rows } = await t.pools.owner.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
  return rows[0].n;
}

describe('appends refused before they are queued', () => {
  it.each<[string, (id: string) => AppendRequest, string]>([
    ['a NUL character in a text field', (id) => rating(id, { comment: 'a\u0000b' }), 'comment'],
    ['a lone high surrogate in a list item', (id) => rating(id, { reasons: ['ok', 'a\ud83d'] }), 'reasons.1'],
    ['a lone low surrogate', (id) => rating(id, { serviceType: '\udc00x' }), 'serviceType'],
    ['a NUL character in the metadata', (id) => rating(id, {}, { metadata: { actor: 'terminal:t1', correlationId: 'c\u0000', causationId: null } }), 'metadata.correlationId'],
    ['an instant in year 0 (PostgreSQL has none)', (id) => rating(id, {}, { occurredAt: new Date('0000-06-01T00:00:00Z') }), 'occurredAt'],
    ['an invalid instant', (id) => rating(id, {}, { occurredAt: new Date(Number.NaN) }), 'occurredAt'],
    ['an event id that is no uuid', (id) => rating(id, {}, { eventId: 'not-a-uuid' }), 'eventId'],
    ['a unit id with a NUL character', (id) => rating(id, {}, { unitId: 'u\u0000' }), 'unitId'],
  ])('when request 2 of 3 holds %s, then appendMany throws InvalidAppend naming it and queues none of the three', async (_what, bad, path) => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const before = { events: await eventCount(), commits: t.store.stats.commits };
    let thrown: unknown;
    try {
      t.store.appendMany([rating(ids[0]), bad(ids[1]), rating(ids[2])]);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InvalidAppend);
    expect((thrown as InvalidAppend).requestIndex).toBe(1);
    expect((thrown as InvalidAppend).errors.map((e) => e.path)).toEqual([path]);
    // Nothing was queued: a later append commits alone, and the three streams stay empty.
    await t.store.append(`rating-${randomUUID()}`, 0, rating('later').events);
    expect((await t.store.readStreams(ids.map((id) => `rating-${id}`))).size).toBe(0);
    expect({ events: await eventCount(), commits: t.store.stats.commits }).toEqual({ events: before.events + 1, commits: before.commits + 1 });
  });

  it('when a payload breaks its schema at request 3, then no request is queued (none is left orphaned) and the error names the field', async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    expect(() => t.store.appendMany([rating(ids[0]), rating(ids[1]), rating(ids[2], { score: 9 })])).toThrow(InvalidAppend);
    await t.store.append(`rating-${randomUUID()}`, 0, rating('later').events);
    expect((await t.store.readStreams(ids.map((id) => `rating-${id}`))).size).toBe(0);
  });

  it('when text is well formed — emoji pairs, CJK, a line break, a U+FFFD — then it is recorded exactly', async () => {
    const id = randomUUID();
    const comment = '民警很好 👍\n\ufffd "引号" \\';
    await t.store.append(`rating-${id}`, 0, rating(id, { comment, reasons: ['👨‍👩‍👧'] }).events);
    const [e] = await t.store.readStream(`rating-${id}`);
    expect(e.data).toEqual(expect.objectContaining({ comment, reasons: ['👨‍👩‍👧'] }));
  });
});

describe('a grouped commit that fails anyway', () => {
  it('when one append of a group of 33 fails in PostgreSQL (an event id another stream holds), then it alone fails, the 32 others are committed exactly once, in a few commits', async () => {
    const taken = randomUUID();
    await t.store.append(`rating-${randomUUID()}`, 0, rating('first', {}, { eventId: taken }).events);
    // A store of its own, so that nothing else shares its commits; all 33 are queued at once and go as one group.
    const store = new EventStore(t.pools.app);
    const ids = Array.from({ length: 33 }, () => randomUUID());
    const before = await eventCount();
    const settled = await Promise.allSettled(store.appendMany(ids.map((id, i) => (i === 10 ? rating(id, {}, { eventId: taken }) : rating(id)))));
    expect(settled.map((s) => s.status)).toEqual(ids.map((_, i) => (i === 10 ? 'rejected' : 'fulfilled')));
    expect(((settled[10] as PromiseRejectedResult).reason as { code?: string }).code).toBe('23505');
    const stored = await store.readStreams(ids.map((id) => `rating-${id}`));
    expect(ids.map((id) => stored.get(`rating-${id}`)?.length ?? 0)).toEqual(ids.map((_, i) => (i === 10 ? 0 : 1)));
    expect(await eventCount()).toBe(before + 32);
    // Halving down to the failing append: about 2·log2(33) ≈ 10 more commits; one by one would be 32.
    expect(store.stats.commits).toBeLessThanOrEqual(12);
  });
});
