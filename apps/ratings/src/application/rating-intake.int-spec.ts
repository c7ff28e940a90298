// The rating intake on a real PostgreSQL with an injected clock: retries across the 90-day and 5-minute edges,
// officers of related and unrelated units, and appends the database refuses, each answered on its own.
import { randomUUID } from 'node:crypto';
import { OrganisationDirectory } from '@minyi/organisation';
import { Metrics, RequestSchema } from '@minyi/platform';
import { events, useTestStore, type TestStore } from '@minyi/testing';
import { RatingIntake, type ItemResult, type Submitter } from './rating-intake.js';
import { importedRatingSchema, ratingSchema } from './rating.schema.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-22T08:00:00Z');

let t: TestStore;
let clock = T0;
const metrics = new Metrics();
/** A fresh directory (nothing cached) and intake, on the injected clock. */
const intake = () => new RatingIntake(t.store, new OrganisationDirectory(t.store), metrics, () => clock);

// sz ─┬─ ft ─── ft-xm (window w1) ─── ft-xm-g
//     └─ ns ─── ns-yh (window w2)
const term: Submitter = { terminalId: 't1', windowId: 'w1', unitId: 'ft-xm' };
useTestStore((x) => (t = x), 'all');
beforeAll(async () => {
  const org = [
    ['unit-sz', events.unit('sz', null)],
    ['unit-ft', events.unit('ft', 'sz')],
    ['unit-ns', events.unit('ns', 'sz')],
    ['unit-ft-xm', events.unit('ft-xm', 'ft')],
    ['unit-ft-xm-g', events.unit('ft-xm-g', 'ft-xm')],
    ['unit-ns-yh', events.unit('ns-yh', 'ns')],
    ['window-w1', events.window('w1', 'ft-xm')],
    ['window-w2', events.window('w2', 'ns-yh')],
    ...[
      ['o-own', 'ft-xm'],
      ['o-up', 'ft'],
      ['o-root', 'sz'],
      ['o-down', 'ft-xm-g'],
      ['o-uncle', 'ns'],
      ['o-cousin', 'ns-yh'],
    ].map(([o, u]) => [`officer-${o}`, events.officer(o, u)] as const),
  ] as const;
  for (const [stream, e] of org) await t.store.append(stream, 0, [e]);
});

const iso = (ms: number) => new Date(ms).toISOString();
const take = (bodies: unknown[], i = intake()) =>
  i.take(
    bodies.map((body) => ({ body, terminal: term })),
    ratingSchema,
    bodies.length === 1 ? 'terminal' : 'batch',
    'terminal:t1',
    'c1',
  );
const outcome = (r: ItemResult) => (r.status === 'rejected' ? `rejected ${r.problem.status} ${(r.problem.errors ?? []).map((e) => e.path).join()}` : r.status);

async function eventCount(): Promise<number> {
  const { rows } = await t.pools.owner.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
  return rows[0].n;
}

describe('the clock edges, exactly (tests.md §5)', () => {
  beforeEach(() => (clock = T0));

  it('when occurredAt is exactly 5:00 ahead, then it is accepted; 5:00.001 ahead, refused naming occurredAt', async () => {
    const [a, b] = await take([
      { id: randomUUID(), score: 4, occurredAt: iso(T0 + 300_000) },
      { id: randomUUID(), score: 4, occurredAt: iso(T0 + 300_001) },
    ]);
    expect([outcome(a), outcome(b)]).toEqual(['accepted', 'rejected 422 occurredAt']);
  });

  it('when occurredAt is exactly 90 days old, then it is accepted; 90 days and 1 ms, refused naming occurredAt', async () => {
    const [a, b] = await take([
      { id: randomUUID(), score: 4, occurredAt: iso(T0 - 90 * DAY) },
      { id: randomUUID(), score: 4, occurredAt: iso(T0 - 90 * DAY - 1) },
    ]);
    expect([outcome(a), outcome(b)]).toEqual(['accepted', 'rejected 422 occurredAt']);
  });
});

describe('a retry across the 90-day edge (review C4)', () => {
  it('given a rating accepted at exactly 90 days, when it is retried after the edge, then the same content is a duplicate, other content 409, and a new id at that age 422', async () => {
    clock = T0;
    const body = { id: randomUUID(), score: 5, occurredAt: iso(T0 - 90 * DAY), reasons: ['态度好'] };
    expect((await take([body])).map(outcome)).toEqual(['accepted']);
    clock = T0 + 60_000;
    const before = await eventCount();
    expect((await take([body])).map(outcome)).toEqual(['duplicate']);
    // The same instant in another offset, and the reasons in another order of fields, are the same content.
    const sameInShanghai = { reasons: ['态度好'], occurredAt: new Date(T0 - 90 * DAY + 8 * 3_600_000).toISOString().replace('Z', '+08:00'), score: 5, id: body.id };
    expect((await take([sameInShanghai])).map(outcome)).toEqual(['duplicate']);
    expect((await take([{ ...body, score: 1 }])).map(outcome)).toEqual(['rejected 409 id']);
    expect((await take([{ ...body, id: randomUUID() }])).map(outcome)).toEqual(['rejected 422 occurredAt']);
    expect(await eventCount()).toBe(before);
  });

  it('given ratings accepted near the edge, when a batch retries them after it with a new one too old, then duplicate, duplicate, 409, 422 — the refused ones read in one query', async () => {
    clock = T0;
    const a = { id: randomUUID(), score: 4, occurredAt: iso(T0 - 90 * DAY + 30_000) };
    const b = { id: randomUUID(), score: 2, occurredAt: iso(T0 - 90 * DAY + 45_000), comment: '排队久' };
    const c = { id: randomUUID(), score: 3, occurredAt: iso(T0 - 90 * DAY + 50_000) };
    expect((await take([a, b, c])).map(outcome)).toEqual(['accepted', 'accepted', 'accepted']);
    clock = T0 + 3_600_000;
    const fresh = intake();
    const reads = jest.spyOn(t.store, 'readStreams');
    try {
      const results = await take([a, b, { ...c, score: 5 }, { id: randomUUID(), score: 4, occurredAt: iso(T0 - 91 * DAY) }], fresh);
      expect(results.map(outcome)).toEqual(['duplicate', 'duplicate', 'rejected 409 id', 'rejected 422 occurredAt']);
      expect(reads).toHaveBeenCalledTimes(1);
      expect(reads.mock.calls[0][0]).toHaveLength(4);
    } finally {
      reads.mockRestore();
    }
  });

  it('when a rating is refused by the clock and nothing is stored under its id, then no stream is read for an accepted batch', async () => {
    clock = T0;
    const reads = jest.spyOn(t.store, 'readStreams');
    try {
      expect((await take([{ id: randomUUID(), score: 4, occurredAt: iso(T0 - DAY) }, { id: randomUUID(), score: 4, occurredAt: iso(T0) }])).map(outcome)).toEqual(['accepted', 'accepted']);
      expect(reads).not.toHaveBeenCalled();
    } finally {
      reads.mockRestore();
    }
  });

  it('given an imported rating 91 days old, when its terminal sends the same content, then it is a duplicate (the import hashes the terminal in, as the terminal does)', async () => {
    clock = T0;
    const body = { id: randomUUID(), score: 3, occurredAt: iso(T0 - 91 * DAY) };
    const imported = await intake().take([{ body: { ...body, terminalId: 't1' }, terminal: term }], importedRatingSchema, 'import', 'admin', 'c1');
    expect(imported.map(outcome)).toEqual(['accepted']);
    expect((await take([body])).map(outcome)).toEqual(['duplicate']);
  });
});

describe('the officer must belong to the window’s unit or a unit above or below it', () => {
  beforeEach(() => (clock = T0));

  it.each([false, true])('when officers of the own unit, above, the root and below are named (directory cached: %s), then accepted; an uncle’s, a cousin’s or an unknown one, 422 with one message', async (cached) => {
    const i = intake();
    if (cached) await take([{ id: randomUUID(), score: 5, occurredAt: iso(T0), officerId: 'o-own' }, { id: randomUUID(), score: 5, occurredAt: iso(T0), officerId: 'o-cousin' }], i);
    const officers = ['o-own', 'o-up', 'o-root', 'o-down', 'o-uncle', 'o-cousin', 'o-nobody'];
    const results = await take(
      officers.map((officerId) => ({ id: randomUUID(), score: 4, occurredAt: iso(T0), officerId })),
      i,
    );
    expect(results.map(outcome)).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'rejected 422 officerId', 'rejected 422 officerId', 'rejected 422 officerId']);
    const messages = results.slice(4).map((r) => (r.status === 'rejected' ? r.problem.errors : null));
    expect(new Set(messages.map((m) => JSON.stringify(m))).size).toBe(1);
  });
});

describe('an append the database refuses is its item’s answer, never the request’s', () => {
  // Stands for a data error the checks before the commit could not foresee: a real PostgreSQL error, raised
  // inside the grouped commit by a trigger of this test's database.
  beforeAll(async () => {
    await t.pools.owner.query(`
      CREATE FUNCTION test_poison() RETURNS trigger LANGUAGE plpgsql AS $f$
      BEGIN
        IF NEW.data->>'comment' = 'poison-22' THEN RAISE EXCEPTION 'test: a value the database refuses' USING ERRCODE = '22023'; END IF;
        IF NEW.data->>'comment' = 'poison-other' THEN RAISE EXCEPTION 'test: an unforeseen failure'; END IF;
        RETURN NEW;
      END $f$;
      CREATE TRIGGER test_poison BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION test_poison();`);
  });
  afterAll(async () => {
    await t.pools.owner.query('DROP TRIGGER test_poison ON events; DROP FUNCTION test_poison();');
  });
  beforeEach(() => (clock = T0));

  it('when a batch holds [ok, a data error, ok], then the two are accepted and stored once, the bad one rejected with 400; a retry answers duplicate, duplicate, rejected', async () => {
    const items = [
      { id: randomUUID(), score: 5, occurredAt: iso(T0) },
      { id: randomUUID(), score: 1, occurredAt: iso(T0), comment: 'poison-22' },
      { id: randomUUID(), score: 3, occurredAt: iso(T0) },
    ];
    const before = await eventCount();
    expect((await take(items)).map(outcome)).toEqual(['accepted', 'rejected 400 ', 'accepted']);
    expect(await eventCount()).toBe(before + 2);
    expect((await take(items)).map(outcome)).toEqual(['duplicate', 'rejected 400 ', 'duplicate']);
    expect(await eventCount()).toBe(before + 2);
  });

  it('when a single rating meets a data error, then it is rejected with 400, and a good rating sent at the same time is accepted', async () => {
    const [bad, good] = await Promise.all([take([{ id: randomUUID(), score: 1, occurredAt: iso(T0), comment: 'poison-22' }]), take([{ id: randomUUID(), score: 4, occurredAt: iso(T0) }])]);
    expect([outcome(bad[0]), outcome(good[0])]).toEqual(['rejected 400 ', 'accepted']);
  });

  it('when an append fails for a reason that is neither a clash, nor an outage, nor the data, then only its item is rejected (with a 500 problem)', async () => {
    const results = await take([
      { id: randomUUID(), score: 5, occurredAt: iso(T0) },
      { id: randomUUID(), score: 1, occurredAt: iso(T0), comment: 'poison-other' },
    ]);
    expect(results.map(outcome)).toEqual(['accepted', 'rejected 500 ']);
  });
});

describe('text the store refuses, with a schema that lets it through', () => {
  it('when the request schema does not look into the item, then the store still refuses its NUL, as that item’s 400 naming the field, and the others are accepted', async () => {
    clock = T0;
    const lax = new RequestSchema<never>({ type: 'object', required: ['id', 'score', 'occurredAt'] });
    const results = await intake().take(
      [{ id: randomUUID(), score: 5, occurredAt: iso(T0) }, { id: randomUUID(), score: 5, occurredAt: iso(T0), comment: 'a\u0000b' }, { id: randomUUID(), score: 2, occurredAt: iso(T0) }].map((body) => ({ body, terminal: term })),
      lax,
      'batch',
      'terminal:t1',
      'c1',
    );
    expect(results.map(outcome)).toEqual(['accepted', 'rejected 400 comment', 'accepted']);
  });
});
