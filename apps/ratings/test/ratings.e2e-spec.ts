// The ratings write side as a terminal, an administrator and an outsider meet it (API.md "Conventions"
// and "Ratings"; ARCHITECTURE.md invariants 2, 3 and 8): validation, idempotency, clock rules, batches,
// imports, voids and who may call what. Every refusal is also checked to have stored nothing.
import { randomUUID } from 'node:crypto';
import { buildOrganisation, SMALL_CITY, startTestSystem, type ApiClient, type ApiResponse, type TestSystem } from '@minyi/testing';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let sys: TestSystem;
let admin: ApiClient;
let keys: Record<string, string>;
/** Window ft-xm-w1 (unit ft-xm), which declares the service types 户籍办理 and 身份证办理. */
let term: ApiClient;
/** Window ft-xm-w2 (unit ft-xm), no service types declared. */
let term2: ApiClient;
/** Window ns-yh-w1 (unit ns-yh), another unit entirely. */
let term3: ApiClient;
let analystToken: string;
let leaderToken: string;

beforeAll(async () => {
  sys = await startTestSystem();
  admin = sys.admin;
  ({ terminalKeys: keys } = await buildOrganisation(admin, SMALL_CITY));
  term = sys.client(keys['t-ft-xm-w1']);
  term2 = sys.client(keys['t-ft-xm-w2']);
  term3 = sys.client(keys['t-ns-yh-w1']);
  const analyst = await admin.post('/v1/readers', { id: 'reader-analyst', role: 'analyst' });
  const leader = await admin.post('/v1/readers', { id: 'reader-leader-ft', role: 'leader', unitId: 'ft' });
  if (analyst.status !== 201 || leader.status !== 201) throw new Error(`readers: ${JSON.stringify([analyst.body, leader.body])}`);
  analystToken = analyst.body.token;
  leaderToken = leader.body.token;
});
afterAll(() => sys?.close());

// ---------------------------------------------------------------------------------------------
// helpers

/** An ISO 8601 time `ms` from now (negative: in the past), written with the given offset. */
function at(msFromNow: number, offset: '+08:00' | 'Z' | '-05:00' = '+08:00'): string {
  const t = Date.now() + msFromNow;
  if (offset === 'Z') return new Date(t).toISOString();
  const sign = offset[0] === '-' ? -1 : 1;
  const shift = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6))) * MINUTE;
  return new Date(t + shift).toISOString().slice(0, 19) + offset;
}

/** A rating body; `id` is a string unless a test overrides it. */
type RatingBody = { id: string; [field: string]: unknown };

function rating(overrides: Record<string, unknown> = {}): RatingBody {
  return { id: randomUUID(), score: 5, occurredAt: at(-10 * MINUTE), ...overrides } as RatingBody;
}

/** What the log holds once every consumer caught up (the follow-up reactor appends for bad ratings, a moment later). */
async function counts(): Promise<{ events: number; streams: number }> {
  await sys.settled();
  const { rows } = await sys.db.pools.owner.query<{ events: number; streams: number }>(
    `SELECT (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM streams)::int AS streams`,
  );
  return rows[0];
}

interface StoredEvent {
  type: string;
  stream_version: number;
  data: any;
  metadata: any;
  unit_id: string | null;
  occurred_at: Date;
  event_id: string;
  global_position: number;
}

async function eventsOf(ratingId: string): Promise<StoredEvent[]> {
  const { rows } = await sys.db.pools.owner.query<StoredEvent>(
    `SELECT type, stream_version::int AS stream_version, data, metadata, unit_id, occurred_at, event_id::text AS event_id, global_position::int AS global_position
       FROM events WHERE stream_id = $1 ORDER BY stream_version`,
    [`rating-${ratingId}`],
  );
  return rows;
}

async function streamExists(ratingId: string): Promise<boolean> {
  const { rows } = await sys.db.pools.owner.query(`SELECT 1 FROM streams WHERE stream_id = $1`, [`rating-${ratingId}`]);
  return rows.length > 0;
}

/** Asserts an RFC 9457 problem with this status, naming (at least) these field paths. */
function expectProblem(r: ApiResponse, status: number, paths: string[] = []): void {
  expect({ status: r.status, body: r.body }).toEqual({ status, body: expect.anything() });
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(r.body).toEqual(expect.objectContaining({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) }));
  if (paths.length > 0) {
    expect(Array.isArray(r.body.errors)).toBe(true);
    const named = (r.body.errors as { path: string; message: string }[]).map((e) => e.path);
    for (const p of paths) expect(named).toContain(p);
    for (const e of r.body.errors) expect(e).toEqual({ path: expect.any(String), message: expect.any(String) });
  }
}

/** Runs `fn`, then asserts that neither the events nor the streams table grew. */
async function expectNothingStored(fn: () => Promise<void>): Promise<void> {
  const before = await counts();
  await fn();
  expect(await counts()).toEqual(before);
}

// ---------------------------------------------------------------------------------------------
describe('POST /v1/ratings: a valid rating', () => {
  it('when a terminal posts a valid rating, then it answers 202 accepted and stores one RatingSubmitted with the window and unit of its key', async () => {
    const body = rating({ score: 4, officerId: 'o-wang', serviceType: '户籍办理', reasons: ['态度好', '效率高'], comment: '办事很快' });
    const before = await counts();
    const r = await term.post('/v1/ratings', body);
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ id: body.id, status: 'accepted' });
    expect(await counts()).toEqual({ events: before.events + 1, streams: before.streams + 1 });
    const [e, ...rest] = await eventsOf(body.id as string);
    expect(rest).toEqual([]);
    expect(e.type).toBe('RatingSubmitted');
    expect(e.data).toEqual(
      expect.objectContaining({
        ratingId: body.id,
        terminalId: 't-ft-xm-w1',
        windowId: 'ft-xm-w1',
        unitId: 'ft-xm',
        score: 4,
        officerId: 'o-wang',
        serviceType: '户籍办理',
        reasons: ['态度好', '效率高'],
        comment: '办事很快',
      }),
    );
    expect(e.unit_id).toBe('ft-xm');
    expect(e.occurred_at.getTime()).toBe(new Date(body.occurredAt as string).getTime());
  });

  it('when occurredAt is given in UTC (Z) or another offset, then it is accepted and stored as the same instant', async () => {
    for (const occurredAt of [at(-MINUTE, 'Z'), at(-MINUTE, '-05:00')]) {
      const body = rating({ occurredAt });
      const r = await term.post('/v1/ratings', body);
      expect(r.status).toBe(202);
      const [e] = await eventsOf(body.id as string);
      expect(e.occurred_at.getTime()).toBe(new Date(occurredAt).getTime());
    }
  });

  it('when the fields sit at their limits (10 reasons of 64 chars, a 500-char comment, a 64-char id, scores 1 and 5), then they are accepted', async () => {
    const reasons = Array.from({ length: 10 }, (_, i) => String(i).repeat(64));
    const cases = [
      rating({ id: 'x'.repeat(63) + '1', score: 1, reasons, comment: '好'.repeat(500) }),
      rating({ id: 'A-z_0.9:' + 'y'.repeat(56), score: 5 }),
    ];
    for (const body of cases) {
      const r = await term.post('/v1/ratings', body);
      expect({ id: body.id, status: r.status, body: r.body }).toEqual({ id: body.id, status: 202, body: { id: body.id, status: 'accepted' } });
    }
  });

  it('when a window declares no service types, then any serviceType is accepted', async () => {
    const r = await term2.post('/v1/ratings', rating({ serviceType: '任何业务' }));
    expect(r.status).toBe(202);
  });
});

// ---------------------------------------------------------------------------------------------
describe('POST /v1/ratings: invalid input is 400, refused input is 422, and nothing is stored', () => {
  const tooLong = 'z'.repeat(65);
  const cases: { name: string; body: () => Record<string, unknown>; status: number; paths: string[] }[] = [
    { name: 'score is 0', body: () => rating({ score: 0 }), status: 400, paths: ['score'] },
    { name: 'score is 6', body: () => rating({ score: 6 }), status: 400, paths: ['score'] },
    { name: 'score is not an integer (3.5)', body: () => rating({ score: 3.5 }), status: 400, paths: ['score'] },
    { name: 'score is a string ("5")', body: () => rating({ score: '5' }), status: 400, paths: ['score'] },
    { name: 'score is missing', body: () => rating({ score: undefined }), status: 400, paths: ['score'] },
    { name: 'id is missing', body: () => rating({ id: undefined }), status: 400, paths: ['id'] },
    { name: 'id holds characters outside A-Za-z0-9._:-', body: () => rating({ id: 'bad id/1' }), status: 400, paths: ['id'] },
    { name: 'id is longer than 64 characters', body: () => rating({ id: 'i'.repeat(65) }), status: 400, paths: ['id'] },
    { name: 'id is empty', body: () => rating({ id: '' }), status: 400, paths: ['id'] },
    { name: 'occurredAt is missing', body: () => rating({ occurredAt: undefined }), status: 400, paths: ['occurredAt'] },
    { name: 'occurredAt has no offset', body: () => rating({ occurredAt: at(-MINUTE, 'Z').slice(0, 19) }), status: 400, paths: ['occurredAt'] },
    { name: 'occurredAt is not a time', body: () => rating({ occurredAt: 'yesterday afternoon' }), status: 400, paths: ['occurredAt'] },
    { name: 'occurredAt is a date only', body: () => rating({ occurredAt: at(-MINUTE).slice(0, 10) }), status: 400, paths: ['occurredAt'] },
    { name: 'occurredAt is a number', body: () => rating({ occurredAt: Date.now() }), status: 400, paths: ['occurredAt'] },
    { name: 'occurredAt is more than 90 days old', body: () => rating({ occurredAt: at(-91 * DAY) }), status: 422, paths: ['occurredAt'] },
    { name: 'occurredAt is more than 5 minutes ahead', body: () => rating({ occurredAt: at(6 * MINUTE) }), status: 422, paths: ['occurredAt'] },
    { name: 'officerId names no officer', body: () => rating({ officerId: 'o-nobody' }), status: 422, paths: ['officerId'] },
    { name: 'serviceType is not one the window declares', body: () => rating({ serviceType: '出入境' }), status: 422, paths: ['serviceType'] },
    { name: 'reasons has 11 items', body: () => rating({ reasons: Array.from({ length: 11 }, (_, i) => `r${i}`) }), status: 400, paths: ['reasons'] },
    { name: 'a reason is empty', body: () => rating({ reasons: ['a', 'b', 'c', ''] }), status: 400, paths: ['reasons.3'] },
    { name: 'a reason is longer than 64 characters', body: () => rating({ reasons: ['ok', tooLong] }), status: 400, paths: ['reasons.1'] },
    { name: 'a reason is not a string', body: () => rating({ reasons: ['ok', 7] }), status: 400, paths: ['reasons.1'] },
    { name: 'reasons is not an array', body: () => rating({ reasons: '态度差' }), status: 400, paths: ['reasons'] },
    { name: 'comment is longer than 500 characters', body: () => rating({ comment: '差'.repeat(501) }), status: 400, paths: ['comment'] },
    { name: 'comment is not a string', body: () => rating({ comment: 42 }), status: 400, paths: ['comment'] },
    { name: 'an unknown field is sent', body: () => rating({ mood: 'happy' }), status: 400, paths: ['mood'] },
    { name: 'the body carries a windowId', body: () => rating({ windowId: 'ns-yh-w1' }), status: 400, paths: ['windowId'] },
    { name: 'the body carries a unitId', body: () => rating({ unitId: 'ns-yh' }), status: 400, paths: ['unitId'] },
    { name: 'the body carries a terminalId', body: () => rating({ terminalId: 't-ns-yh-w1' }), status: 400, paths: ['terminalId'] },
    {
      name: 'several fields are bad at once',
      body: () => rating({ score: 9, comment: 'c'.repeat(501), reasons: [''], extra: true }),
      status: 400,
      paths: ['score', 'comment', 'reasons.0', 'extra'],
    },
  ];

  it.each(cases)('when $name, then it answers $status naming $paths and stores nothing', async ({ body, status, paths }) => {
    const b = body();
    for (const k of Object.keys(b)) if (b[k] === undefined) delete b[k];
    await expectNothingStored(async () => {
      const r = await term.post('/v1/ratings', b);
      expectProblem(r, status, paths);
    });
    if (typeof b.id === 'string' && b.id.length > 0) expect(await streamExists(b.id)).toBe(false);
  });

  it('when a rating is refused and then sent again corrected under the same id, then the corrected one is accepted (the refusal kept nothing)', async () => {
    const id = randomUUID();
    expectProblem(await term.post('/v1/ratings', rating({ id, officerId: 'o-nobody' })), 422, ['officerId']);
    expectProblem(await term.post('/v1/ratings', rating({ id, score: 0 })), 400, ['score']);
    const r = await term.post('/v1/ratings', rating({ id, officerId: 'o-wang' }));
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ id, status: 'accepted' });
  });

  it('when the body is not valid JSON, then it answers 400 problem+json and stores nothing', async () => {
    await expectNothingStored(async () => {
      const r = await term.request('POST', '/v1/ratings', '{"id": "x", "score": 5,', { 'content-type': 'application/json' });
      expectProblem(r, 400);
    });
  });

  it('when the body is a JSON array or a bare value instead of an object, then it answers 400 and stores nothing', async () => {
    await expectNothingStored(async () => {
      expectProblem(await term.post('/v1/ratings', [rating()]), 400);
      expectProblem(await term.request('POST', '/v1/ratings', '5', { 'content-type': 'application/json' }), 400);
      expectProblem(await term.request('POST', '/v1/ratings', 'null', { 'content-type': 'application/json' }), 400);
    });
  });

  it('when occurredAt names an impossible calendar date (30 February), then it answers 400 naming occurredAt', async () => {
    await expectNothingStored(async () => {
      const year = new Date().getUTCFullYear();
      expectProblem(await term.post('/v1/ratings', rating({ occurredAt: `${year}-02-30T10:00:00+08:00` })), 400, ['occurredAt']);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// A leap second (23:59:60 in UTC) is valid RFC 3339 / ISO 8601, but JavaScript's Date cannot represent
// it; year 0000 is valid ISO 8601, but PostgreSQL has no year 0. Whatever the app decides (accept such a
// time as a real instant, or refuse it naming occurredAt), it must not answer 500, must not slip past the
// 90-day / 5-minute rules, and must not break anyone else's request.
describe('POST /v1/ratings: occurredAt values the platform cannot hold (invariant 8: bad input never breaks anything)', () => {
  const yesterday = () => new Date(Date.now() - DAY).toISOString().slice(0, 10);

  /** A leap-second item is either accepted and stored as a real time, or refused naming occurredAt. */
  async function expectHandled(r: ApiResponse | { status: string; problem?: any }, id: string, before?: { events: number; streams: number }) {
    const status = typeof r.status === 'number' ? r.status : r.status === 'accepted' ? 202 : ((r as any).problem?.status ?? 500);
    expect(status).not.toBe(500);
    expect([202, 400, 422]).toContain(status);
    if (status === 202) {
      const [e] = await eventsOf(id);
      expect(Number.isFinite(e.occurred_at.getTime())).toBe(true);
    } else {
      const problem = 'body' in r ? r.body : (r as any).problem;
      expect((problem.errors as { path: string }[]).map((x) => x.path)).toContain('occurredAt');
      expect(await streamExists(id)).toBe(false);
      if (before) expect(await counts()).toEqual(before);
    }
  }

  it('when a terminal sends occurredAt at a leap second (yesterday 23:59:60Z), then it is answered 202, 400 or 422 — not 500', async () => {
    const body = rating({ occurredAt: `${yesterday()}T23:59:60Z` });
    const before = await counts();
    const r = await term.post('/v1/ratings', body);
    await expectHandled(r, body.id as string, before);
  });

  it('when occurredAt is a leap second long ago (2016-06-30T23:59:60Z), then the 90-day rule still refuses it with 422 (or 400), not 500', async () => {
    const body = rating({ occurredAt: '2016-06-30T23:59:60Z' });
    await expectNothingStored(async () => {
      const r = await term.post('/v1/ratings', body);
      expect(r.status).not.toBe(500);
      expect([400, 422]).toContain(r.status);
      expectProblem(r, r.status, ['occurredAt']);
    });
  });

  it('when a batch holds a leap-second item between two valid ones, then the valid ones are accepted and that item answered on its own', async () => {
    const a = rating();
    const leap = rating({ occurredAt: `${yesterday()}T23:59:60Z` });
    const b = rating();
    const r = await term.post('/v1/ratings/batch', { ratings: [a, leap, b] });
    expect(r.status).toBe(200);
    expect(r.body.results[0]).toEqual({ id: a.id, status: 'accepted' });
    expect(r.body.results[2]).toEqual({ id: b.id, status: 'accepted' });
    await expectHandled(r.body.results[1], leap.id as string);
  });

  it('when an import carries the real leap second 2016-12-31T23:59:60Z, then the item is answered on its own and the others are accepted', async () => {
    const ok = { ...rating({ occurredAt: '2016-12-31T23:59:59Z' }), terminalId: 't-ft-xm-w1' };
    const leap = { ...rating({ occurredAt: '2016-12-31T23:59:60Z' }), terminalId: 't-ft-xm-w1' };
    const r = await admin.post('/v1/ratings/import', { ratings: [ok, leap] });
    expect(r.status).toBe(200);
    expect(r.body.results[0]).toEqual({ id: ok.id, status: 'accepted' });
    await expectHandled(r.body.results[1], leap.id as string);
  });

  it('when an import item is dated in year 0000 (valid ISO 8601, but before PostgreSQL’s year 1), then that item is answered on its own and the others are accepted', async () => {
    const year0 = { ...rating({ occurredAt: '0000-01-01T00:00:00Z' }), terminalId: 't-ft-xm-w1' };
    const ok = { ...rating({ occurredAt: '2001-01-01T00:00:00Z' }), terminalId: 't-ft-xm-w1' };
    const r = await admin.post('/v1/ratings/import', { ratings: [year0, ok] });
    expect(r.status).toBe(200);
    expect(r.body.results[1]).toEqual({ id: ok.id, status: 'accepted' });
    await expectHandled(r.body.results[0], year0.id as string);
  });

  it('when leap-second ratings arrive at the same time as valid ratings from other terminals, then every valid rating is still accepted', async () => {
    for (let round = 0; round < 3; round++) {
      // 40 valid ratings from two other terminals, with a leap-second one every tenth request.
      const calls = Array.from({ length: 44 }, (_, i) =>
        i % 11 === 5 ? { valid: false, send: () => term.post('/v1/ratings', rating({ occurredAt: `${yesterday()}T23:59:60Z` })) } : { valid: true, send: ((b) => () => (i % 2 ? term2 : term3).post('/v1/ratings', b))(rating()) },
      );
      const rs = await Promise.all(calls.map((c) => c.send()));
      const validStatuses = rs.filter((_, i) => calls[i].valid).map((r) => r.status);
      expect(validStatuses).toEqual(Array(40).fill(202));
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('POST /v1/ratings: idempotent intake (invariant 3)', () => {
  it('when 20 identical submissions arrive at once, then exactly one is 202 accepted, the rest 200 duplicate, and one RatingSubmitted is stored', async () => {
    const body = rating({ score: 3, reasons: ['排队久'] });
    const before = await counts();
    const rs = await Promise.all(Array.from({ length: 20 }, () => term.post('/v1/ratings', body)));
    expect(rs.map((r) => r.status).sort((a, b) => a - b)).toEqual([...Array(19).fill(200), 202]);
    expect(rs.filter((r) => r.status === 202).map((r) => r.body)).toEqual([{ id: body.id, status: 'accepted' }]);
    expect(rs.filter((r) => r.status === 200).map((r) => r.body)).toEqual(Array(19).fill({ id: body.id, status: 'duplicate' }));
    const events = await eventsOf(body.id as string);
    expect(events.map((e) => e.type)).toEqual(['RatingSubmitted']);
    expect(await counts()).toEqual({ events: before.events + 1, streams: before.streams + 1 });
  });

  it('when the same rating is sent again later, then it answers 200 duplicate and stores nothing more', async () => {
    const body = rating();
    expect((await term.post('/v1/ratings', body)).status).toBe(202);
    await expectNothingStored(async () => {
      const r = await term.post('/v1/ratings', body);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ id: body.id, status: 'duplicate' });
    });
  });

  it('when the same rating is resent with its fields in another order, then it is still a duplicate', async () => {
    const body = rating({ officerId: 'o-wang', reasons: ['a', 'b'], comment: 'ok' });
    expect((await term.post('/v1/ratings', body)).status).toBe(202);
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    await expectNothingStored(async () => {
      const r = await term.post('/v1/ratings', reordered);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ id: body.id, status: 'duplicate' });
    });
  });

  it('when the same id is sent with different content, then it answers 409 and the first rating stays unchanged', async () => {
    const body = rating({ score: 5 });
    expect((await term.post('/v1/ratings', body)).status).toBe(202);
    const [first] = await eventsOf(body.id as string);
    await expectNothingStored(async () => {
      for (const other of [{ ...body, score: 1 }, { ...body, comment: 'added later' }, { ...body, occurredAt: at(-2 * MINUTE) }]) {
        expectProblem(await term.post('/v1/ratings', other), 409);
      }
    });
    expect(await eventsOf(body.id as string)).toEqual([first]);
  });

  it('when another terminal sends the same id with the same body, then it answers 409 (a different rating) and stores nothing', async () => {
    const body = rating();
    expect((await term.post('/v1/ratings', body)).status).toBe(202);
    await expectNothingStored(async () => {
      expectProblem(await term2.post('/v1/ratings', body), 409);
      expectProblem(await term3.post('/v1/ratings', body), 409);
    });
    const events = await eventsOf(body.id as string);
    expect(events).toHaveLength(1);
    expect(events[0].data.terminalId).toBe('t-ft-xm-w1');
  });

  it('when 10 parallel submissions share an id but differ in content, then exactly one is accepted, the rest are 409, and one event is stored', async () => {
    const id = randomUUID();
    const occurredAt = at(-MINUTE);
    const rs = await Promise.all(Array.from({ length: 10 }, (_, i) => term.post('/v1/ratings', { id, score: 5, occurredAt, comment: `variant ${i}` })));
    expect(rs.filter((r) => r.status === 202)).toHaveLength(1);
    expect(rs.filter((r) => r.status === 409)).toHaveLength(9);
    const events = await eventsOf(id);
    expect(events).toHaveLength(1);
    const winner = rs.findIndex((r) => r.status === 202);
    expect(events[0].data.comment).toBe(`variant ${winner}`);
  });

  it('when an offline batch is uploaded twice, then the second upload answers all duplicates and the event count is unchanged', async () => {
    const ratings = Array.from({ length: 25 }, (_, i) => rating({ score: (i % 5) + 1, occurredAt: at(-(i + 1) * 3600_000) }));
    const before = await counts();
    const first = await term.post('/v1/ratings/batch', { ratings });
    expect(first.status).toBe(200);
    expect(first.body.results).toEqual(ratings.map((r) => ({ id: r.id, status: 'accepted' })));
    const afterFirst = await counts();
    // 25 ratings, and the follow-ups the reactor opened for the 10 of score 1 or 2.
    expect(afterFirst).toEqual({ events: before.events + 35, streams: before.streams + 35 });
    const second = await term.post('/v1/ratings/batch', { ratings });
    expect(second.status).toBe(200);
    expect(second.body.results).toEqual(ratings.map((r) => ({ id: r.id, status: 'duplicate' })));
    expect(await counts()).toEqual(afterFirst);
  });

  it('when the same offline batch is uploaded twice at the same time, then each rating is accepted exactly once', async () => {
    const ratings = Array.from({ length: 30 }, () => rating());
    const before = await counts();
    const [a, b] = await Promise.all([term.post('/v1/ratings/batch', { ratings }), term.post('/v1/ratings/batch', { ratings })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    ratings.forEach((r, i) => {
      const pair = [a.body.results[i], b.body.results[i]].map((x: { id: string; status: string }) => `${x.id}:${x.status}`).sort();
      expect(pair).toEqual([`${r.id}:accepted`, `${r.id}:duplicate`]);
    });
    expect(await counts()).toEqual({ events: before.events + 30, streams: before.streams + 30 });
  });

  it('when a rating first sent alone is sent again inside a batch, then the batch reports it as a duplicate', async () => {
    const body = rating();
    expect((await term.post('/v1/ratings', body)).status).toBe(202);
    await expectNothingStored(async () => {
      const r = await term.post('/v1/ratings/batch', { ratings: [body] });
      expect(r.body.results).toEqual([{ id: body.id, status: 'duplicate' }]);
    });
  });
});

// ---------------------------------------------------------------------------------------------
describe('POST /v1/ratings: clock rules at the edges', () => {
  it('when occurredAt is 89 days old, then it is accepted (an offline terminal catching up)', async () => {
    const body = rating({ occurredAt: at(-89 * DAY) });
    const r = await term.post('/v1/ratings', body);
    expect(r.status).toBe(202);
    expect(await eventsOf(body.id as string)).toHaveLength(1);
  });

  it('when occurredAt is 91 days old, then it answers 422 naming occurredAt and stores nothing', async () => {
    const body = rating({ occurredAt: at(-91 * DAY) });
    await expectNothingStored(async () => expectProblem(await term.post('/v1/ratings', body), 422, ['occurredAt']));
  });

  it('when occurredAt is 4 minutes ahead of the server clock, then it is accepted', async () => {
    const body = rating({ occurredAt: at(4 * MINUTE) });
    const r = await term.post('/v1/ratings', body);
    expect(r.status).toBe(202);
    expect(await eventsOf(body.id as string)).toHaveLength(1);
  });

  it('when occurredAt is 6 minutes ahead of the server clock, then it answers 422 naming occurredAt and stores nothing', async () => {
    const body = rating({ occurredAt: at(6 * MINUTE) });
    await expectNothingStored(async () => expectProblem(await term.post('/v1/ratings', body), 422, ['occurredAt']));
  });

  it('when the clock edges are crossed inside a batch, then 89 days and +4 minutes are accepted and 91 days and +6 minutes rejected with 422', async () => {
    const items = [rating({ occurredAt: at(-89 * DAY) }), rating({ occurredAt: at(-91 * DAY) }), rating({ occurredAt: at(4 * MINUTE) }), rating({ occurredAt: at(6 * MINUTE) })];
    const r = await term.post('/v1/ratings/batch', { ratings: items });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { status: string; problem?: { status: number } }) => [x.status, x.problem?.status])).toEqual([
      ['accepted', undefined],
      ['rejected', 422],
      ['accepted', undefined],
      ['rejected', 422],
    ]);
    expect(r.body.results[1].problem.errors.map((e: { path: string }) => e.path)).toContain('occurredAt');
    expect(r.body.results[3].problem.errors.map((e: { path: string }) => e.path)).toContain('occurredAt');
  });
});

// ---------------------------------------------------------------------------------------------
describe('POST /v1/ratings/batch', () => {
  it('when a batch mixes valid, invalid, too old, already stored and repeated items, then each gets its own result in request order', async () => {
    const earlier = rating();
    expect((await term.post('/v1/ratings', earlier)).status).toBe(202);
    const valid = rating({ score: 2, reasons: ['等待时间长'] });
    const badScore = rating({ score: 7 });
    const tooOld = rating({ occurredAt: at(-120 * DAY) });
    const unknownOfficer = rating({ officerId: 'o-ghost' });
    const withWindow = rating({ windowId: 'ns-yh-w1' });
    const another = rating({ score: 4 });
    const items = [valid, badScore, tooOld, earlier, unknownOfficer, withWindow, another, { ...valid }];
    const before = await counts();
    const r = await term.post('/v1/ratings/batch', { ratings: items });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const results = r.body.results as { id: string; status: string; problem?: any }[];
    expect(results.map((x) => [x.id, x.status, x.problem?.status])).toEqual([
      [valid.id, 'accepted', undefined],
      [badScore.id, 'rejected', 400],
      [tooOld.id, 'rejected', 422],
      [earlier.id, 'duplicate', undefined],
      [unknownOfficer.id, 'rejected', 422],
      [withWindow.id, 'rejected', 400],
      [another.id, 'accepted', undefined],
      [valid.id, 'duplicate', undefined],
    ]);
    const pathsOf = (i: number) => (results[i].problem.errors as { path: string }[]).map((e) => e.path);
    expect(pathsOf(1)).toContain('score');
    expect(pathsOf(2)).toContain('occurredAt');
    expect(pathsOf(4)).toContain('officerId');
    expect(pathsOf(5)).toContain('windowId');
    for (const i of [1, 2, 4, 5]) {
      expect(results[i].problem).toEqual(expect.objectContaining({ type: expect.any(String), title: expect.any(String), detail: expect.any(String) }));
    }
    // Only the two accepted ones reached the log (and the follow-up of the one of score 2).
    expect(await counts()).toEqual({ events: before.events + 3, streams: before.streams + 3 });
    for (const x of [badScore, tooOld, unknownOfficer, withWindow]) expect(await streamExists(x.id as string)).toBe(false);
    const [stored] = await eventsOf(valid.id as string);
    expect(stored.data).toEqual(expect.objectContaining({ windowId: 'ft-xm-w1', unitId: 'ft-xm', terminalId: 't-ft-xm-w1', score: 2 }));
  });

  it('when one id appears twice in a batch with different content, then the first is accepted and the second rejected with 409', async () => {
    const first = rating({ score: 5 });
    const clash = { ...first, score: 1 };
    const before = await counts();
    const r = await term.post('/v1/ratings/batch', { ratings: [first, clash] });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: any) => [x.id, x.status, x.problem?.status])).toEqual([
      [first.id, 'accepted', undefined],
      [first.id, 'rejected', 409],
    ]);
    expect(await counts()).toEqual({ events: before.events + 1, streams: before.streams + 1 });
    expect((await eventsOf(first.id as string))[0].data.score).toBe(5);
  });

  it('when a batch item reuses an id another terminal already used, then that item is rejected with 409', async () => {
    const taken = rating();
    expect((await term3.post('/v1/ratings', taken)).status).toBe(202);
    const r = await term.post('/v1/ratings/batch', { ratings: [taken] });
    expect(r.body.results).toEqual([{ id: taken.id, status: 'rejected', problem: expect.objectContaining({ status: 409 }) }]);
  });

  it('when an item has no usable id, then it is still answered in its place', async () => {
    const ok = rating();
    const r = await term.post('/v1/ratings/batch', { ratings: [{ score: 5, occurredAt: at(-MINUTE) }, ok] });
    expect(r.status).toBe(200);
    expect(r.body.results).toHaveLength(2);
    expect(r.body.results[0]).toEqual(expect.objectContaining({ status: 'rejected', problem: expect.objectContaining({ status: 400 }) }));
    expect(r.body.results[0].problem.errors.map((e: any) => e.path)).toContain('id');
    expect(r.body.results[1]).toEqual({ id: ok.id, status: 'accepted' });
  });

  it('when a batch holds 1000 ratings, then all 1000 are accepted in one call', async () => {
    const ratings = Array.from({ length: 1000 }, (_, i) => rating({ score: (i % 5) + 1, occurredAt: at(-(i + 1) * MINUTE) }));
    const before = await counts();
    const r = await term.post('/v1/ratings/batch', { ratings });
    expect(r.status).toBe(200);
    expect(r.body.results).toHaveLength(1000);
    expect(r.body.results).toEqual(ratings.map((x) => ({ id: x.id, status: 'accepted' })));
    // And the 400 follow-ups of the ratings of 1 and 2.
    expect(await counts()).toEqual({ events: before.events + 1400, streams: before.streams + 1400 });
  });

  it.each([
    ['1001 ratings', () => ({ ratings: Array.from({ length: 1001 }, () => rating()) }), ['ratings']],
    ['an empty list', () => ({ ratings: [] }), ['ratings']],
    ['ratings that is not an array', () => ({ ratings: rating() }), ['ratings']],
    ['no ratings field', () => ({}), ['ratings']],
    ['an unknown top-level field', () => ({ ratings: [rating()], terminalId: 't-ns-yh-w1' }), ['terminalId']],
  ])('when a batch is sent with %s, then it answers 400 naming the field and stores nothing', async (_name, body, paths) => {
    await expectNothingStored(async () => expectProblem(await term.post('/v1/ratings/batch', body()), 400, paths as string[]));
  });
});

// ---------------------------------------------------------------------------------------------
describe('POST /v1/ratings/import (admin)', () => {
  it('when an import mixes an old record, a future one, an unknown terminal and valid ones, then each gets its result in order', async () => {
    const old = { ...rating({ occurredAt: '2019-03-02T10:12:00+08:00', score: 2 }), terminalId: 't-ft-xm-w2' };
    const future = { ...rating({ occurredAt: at(60 * MINUTE) }), terminalId: 't-ft-xm-w2' };
    const unknownTerminal = { ...rating(), terminalId: 't-nowhere' };
    const recent = { ...rating({ occurredAt: at(-200 * DAY) }), terminalId: 't-ns-yh-w1' };
    const noTerminal = rating();
    const badScore = { ...rating({ score: 0 }), terminalId: 't-ft-xm-w2' };
    const items = [old, future, unknownTerminal, recent, noTerminal, badScore];
    const before = await counts();
    const r = await admin.post('/v1/ratings/import', { ratings: items });
    expect(r.status).toBe(200);
    const results = r.body.results as { id: string; status: string; problem?: any }[];
    expect(results.map((x) => [x.id, x.status, x.problem?.status])).toEqual([
      [old.id, 'accepted', undefined],
      [future.id, 'rejected', 422],
      [unknownTerminal.id, 'rejected', 422],
      [recent.id, 'accepted', undefined],
      [noTerminal.id, 'rejected', 400],
      [badScore.id, 'rejected', 400],
    ]);
    const pathsOf = (i: number) => (results[i].problem.errors as { path: string }[]).map((e) => e.path);
    expect(pathsOf(1)).toContain('occurredAt');
    expect(pathsOf(2)).toContain('terminalId');
    expect(pathsOf(4)).toContain('terminalId');
    expect(pathsOf(5)).toContain('score');
    expect(await counts()).toEqual({ events: before.events + 2, streams: before.streams + 2 });
    const [e] = await eventsOf(old.id as string);
    expect(e.type).toBe('RatingSubmitted');
    expect(e.data).toEqual(expect.objectContaining({ terminalId: 't-ft-xm-w2', windowId: 'ft-xm-w2', unitId: 'ft-xm', score: 2 }));
    expect(e.occurred_at.toISOString()).toBe('2019-03-02T02:12:00.000Z');
    const [e2] = await eventsOf(recent.id as string);
    expect(e2.data).toEqual(expect.objectContaining({ terminalId: 't-ns-yh-w1', windowId: 'ns-yh-w1', unitId: 'ns-yh' }));
  });

  it('when the same import is run twice, then the second run answers duplicates and stores nothing', async () => {
    const items = Array.from({ length: 5 }, (_, i) => ({ ...rating({ occurredAt: `2020-0${i + 1}-15T09:00:00+08:00` }), terminalId: 't-ft-xm-w1' }));
    const first = await admin.post('/v1/ratings/import', { ratings: items });
    expect(first.body.results).toEqual(items.map((x) => ({ id: x.id, status: 'accepted' })));
    await expectNothingStored(async () => {
      const second = await admin.post('/v1/ratings/import', { ratings: items });
      expect(second.body.results).toEqual(items.map((x) => ({ id: x.id, status: 'duplicate' })));
    });
  });

  it('when an imported item carries a windowId, then that item is rejected with 400 naming it', async () => {
    const r = await admin.post('/v1/ratings/import', { ratings: [{ ...rating(), terminalId: 't-ft-xm-w1', windowId: 'ns-yh-w1' }] });
    expect(r.status).toBe(200);
    expect(r.body.results[0]).toEqual(expect.objectContaining({ status: 'rejected', problem: expect.objectContaining({ status: 400 }) }));
    expect(r.body.results[0].problem.errors.map((e: any) => e.path)).toContain('windowId');
  });

  it('when an import holds 10000 ratings, then all 10000 are accepted in one call', async () => {
    const ratings = Array.from({ length: 10000 }, (_, i) => ({ id: `legacy-10k-${i}`, score: (i % 5) + 1, occurredAt: '2021-06-01T08:00:00+08:00', terminalId: 't-ns-yh-w1' }));
    const before = await counts();
    const r = await admin.post('/v1/ratings/import', { ratings });
    expect(r.status).toBe(200);
    expect(r.body.results).toEqual(ratings.map((x) => ({ id: x.id, status: 'accepted' })));
    expect(await counts()).toEqual({ events: before.events + 10000, streams: before.streams + 10000 });
  });

  it('when an import holds more than 10000 ratings or none, then it answers 400 and stores nothing', async () => {
    const item = { id: 'legacy-1', score: 3, occurredAt: '2020-01-01T00:00:00Z', terminalId: 't-ft-xm-w1' };
    await expectNothingStored(async () => {
      expectProblem(await admin.post('/v1/ratings/import', { ratings: Array.from({ length: 10001 }, (_, i) => ({ ...item, id: `legacy-${i}` })) }), 400, ['ratings']);
      expectProblem(await admin.post('/v1/ratings/import', { ratings: [] }), 400, ['ratings']);
    });
  });
});

// ---------------------------------------------------------------------------------------------
describe('POST /v1/ratings/{id}/void (admin)', () => {
  it('when a rating is voided, then it answers voided, again duplicate, and the log keeps the original event unchanged plus a RatingVoided with the reason', async () => {
    const body = rating({ score: 1, officerId: 'o-wang', comment: '误触' });
    expect((await term.post('/v1/ratings', body)).status).toBe(202);
    const [original] = await eventsOf(body.id as string);
    const reason = '评价器故障导致的误触，经核实作废';

    const before = await counts();
    const v = await admin.post(`/v1/ratings/${body.id}/void`, { reason });
    expect(v.status).toBe(200);
    expect(v.body).toEqual({ id: body.id, status: 'voided' });
    // The void, and its follow-up's (a rating of 1 has one).
    expect((await counts()).events).toBe(before.events + 2);

    await expectNothingStored(async () => {
      const again = await admin.post(`/v1/ratings/${body.id}/void`, { reason });
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ id: body.id, status: 'duplicate' });
    });

    const events = await eventsOf(body.id as string);
    expect(events.map((e) => e.type)).toEqual(['RatingSubmitted', 'RatingVoided']);
    expect(events[0]).toEqual(original);
    expect(events[1].data).toEqual(expect.objectContaining({ ratingId: body.id, reason }));
    expect(events[1].unit_id).toBe('ft-xm');
  });

  it('when an unknown rating is voided, then it answers 404 problem+json and stores nothing', async () => {
    await expectNothingStored(async () => {
      expectProblem(await admin.post(`/v1/ratings/${randomUUID()}/void`, { reason: 'no such rating' }), 404);
    });
  });

  it('when a void has no reason, an empty reason or an unknown field, then it answers 400 naming the field and stores nothing', async () => {
    const body = rating();
    expect((await term.post('/v1/ratings', body)).status).toBe(202);
    await expectNothingStored(async () => {
      expectProblem(await admin.post(`/v1/ratings/${body.id}/void`, {}), 400, ['reason']);
      expectProblem(await admin.post(`/v1/ratings/${body.id}/void`, { reason: '' }), 400, ['reason']);
      expectProblem(await admin.post(`/v1/ratings/${body.id}/void`, { reason: 'x', score: 1 }), 400, ['score']);
    });
    expect((await eventsOf(body.id as string)).map((e) => e.type)).toEqual(['RatingSubmitted']);
  });

  it('when a voided rating is sent again by its terminal, then it is not accepted a second time', async () => {
    const body = rating();
    expect((await term.post('/v1/ratings', body)).status).toBe(202);
    expect((await admin.post(`/v1/ratings/${body.id}/void`, { reason: 'test' })).status).toBe(200);
    await expectNothingStored(async () => {
      const same = await term.post('/v1/ratings', body);
      expect(same.status).toBe(200);
      expect(same.body).toEqual({ id: body.id, status: 'duplicate' });
      expectProblem(await term.post('/v1/ratings', { ...body, score: 3 }), 409);
    });
  });

  it('when the same rating is voided by 10 parallel requests, then one answers voided, the rest duplicate, and one RatingVoided is stored', async () => {
    const body = rating();
    expect((await term.post('/v1/ratings', body)).status).toBe(202);
    const rs = await Promise.all(Array.from({ length: 10 }, () => admin.post(`/v1/ratings/${body.id}/void`, { reason: 'parallel' })));
    expect(rs.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(rs.filter((r) => r.body.status === 'voided')).toHaveLength(1);
    expect(rs.filter((r) => r.body.status === 'duplicate')).toHaveLength(9);
    expect((await eventsOf(body.id as string)).map((e) => e.type)).toEqual(['RatingSubmitted', 'RatingVoided']);
  });
});

// ---------------------------------------------------------------------------------------------
describe('who may write what: the 401/403 matrix', () => {
  type Caller = 'none' | 'garbage' | 'basic' | 'unknownTerminalKey' | 'wrongSecretKey' | 'unknownReaderToken' | 'terminal' | 'analyst' | 'leader' | 'admin';
  const header: Record<Caller, () => Record<string, string>> = {
    none: () => ({}),
    garbage: () => ({ authorization: 'Bearer not-a-token-anybody-issued' }),
    basic: () => ({ authorization: `Basic ${Buffer.from('admin:test-admin-token-0123456789').toString('base64')}` }),
    // Well formed (mk_<hex of a terminal id>_<secret>) for a terminal nobody registered.
    unknownTerminalKey: () => ({ authorization: `Bearer mk_${Buffer.from('t-ghost').toString('hex')}_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA` }),
    // Well formed for a real terminal, but not the secret it was issued.
    wrongSecretKey: () => ({ authorization: `Bearer mk_${Buffer.from('t-ft-xm-w1').toString('hex')}_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB` }),
    unknownReaderToken: () => ({ authorization: `Bearer mr_${Buffer.from('r-ghost').toString('hex')}_CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC` }),
    terminal: () => ({ authorization: `Bearer ${keys['t-ft-xm-w1']}` }),
    analyst: () => ({ authorization: `Bearer ${analystToken}` }),
    leader: () => ({ authorization: `Bearer ${leaderToken}` }),
    admin: () => ({ authorization: `Bearer ${admin.token}` }),
  };
  const unauthenticated: Caller[] = ['none', 'garbage', 'basic', 'unknownTerminalKey', 'wrongSecretKey', 'unknownReaderToken'];

  // Valid bodies: if a caller were wrongly let through, the write would succeed and be stored.
  const routes: { route: string; allowed: Caller; body: () => unknown; path: () => string }[] = [
    { route: 'POST /v1/units', allowed: 'admin', path: () => '/v1/units', body: () => ({ id: `u-${randomUUID()}`, name: 'x', parentId: 'sz', kind: 'station' }) },
    { route: 'POST /v1/windows', allowed: 'admin', path: () => '/v1/windows', body: () => ({ id: `w-${randomUUID()}`, unitId: 'ft-xm', name: 'x' }) },
    { route: 'POST /v1/officers', allowed: 'admin', path: () => '/v1/officers', body: () => ({ id: `o-${randomUUID()}`, unitId: 'ft-xm', name: 'x' }) },
    { route: 'POST /v1/terminals', allowed: 'admin', path: () => '/v1/terminals', body: () => ({ id: `t-${randomUUID()}`, windowId: 'ft-xm-w1' }) },
    { route: 'POST /v1/readers', allowed: 'admin', path: () => '/v1/readers', body: () => ({ id: `r-${randomUUID()}`, role: 'analyst' }) },
    { route: 'POST /v1/ratings/import', allowed: 'admin', path: () => '/v1/ratings/import', body: () => ({ ratings: [{ ...rating(), terminalId: 't-ft-xm-w1' }] }) },
    { route: 'POST /v1/ratings/{id}/void', allowed: 'admin', path: () => `/v1/ratings/${voidTarget}/void`, body: () => ({ reason: 'not allowed' }) },
    { route: 'POST /v1/ratings', allowed: 'terminal', path: () => '/v1/ratings', body: () => rating() },
    { route: 'POST /v1/ratings/batch', allowed: 'terminal', path: () => '/v1/ratings/batch', body: () => ({ ratings: [rating()] }) },
  ];
  let voidTarget: string;
  beforeAll(async () => {
    const body = rating();
    const r = await term.post('/v1/ratings', body);
    if (r.status !== 202) throw new Error(`void target: ${r.status}`);
    voidTarget = body.id as string;
  });

  const table: [string, Caller, number][] = [];
  for (const r of routes) {
    for (const c of unauthenticated) table.push([r.route, c, 401]);
    const wrongKinds: Caller[] = r.allowed === 'admin' ? ['terminal', 'analyst', 'leader'] : ['admin', 'analyst', 'leader'];
    for (const c of wrongKinds) table.push([r.route, c, 403]);
  }

  it.each(table)('when %s is called with a %s token, then it answers %i problem+json and stores nothing', async (route, caller, status) => {
    const r = routes.find((x) => x.route === route)!;
    await expectNothingStored(async () => {
      const res = await sys.client().request('POST', r.path(), r.body(), header[caller]());
      expectProblem(res, status);
    });
  });

  it.each(routes.map((r) => [r.route, r.allowed] as const))('when %s is called with the %s token it is meant for, then it is let through', async (route, caller) => {
    const r = routes.find((x) => x.route === route)!;
    const res = await sys.client().request('POST', r.path(), r.body(), header[caller]());
    expect([200, 201, 202]).toContain(res.status);
  });
});
