// The ratings write side at its edges, over HTTP (API.md "Ratings" and "Limits"): text no field may hold,
// officers of related and unrelated units, retries across the 90-day edge, the 1900 floor of imports, and the
// clock limits with margins (the server's clock moves while a request travels; the exact edges are tested at
// the decider and intake with an injected clock).
import { randomUUID } from 'node:crypto';
import { buildOrganisation, SMALL_CITY, startTestSystem, type ApiClient, type ApiResponse, type TestSystem } from '@minyi/testing';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

let sys: TestSystem;
let admin: ApiClient;
/** Window ft-xm-w1 (unit ft-xm, under ft, under sz), service types 户籍办理 and 身份证办理. */
let term: ApiClient;
/** Window ft-xm-w2 (unit ft-xm), no service types. */
let term2: ApiClient;
let analyst: ApiClient;

beforeAll(async () => {
  sys = await startTestSystem();
  admin = sys.admin;
  const { terminalKeys } = await buildOrganisation(admin, SMALL_CITY);
  term = sys.client(terminalKeys['t-ft-xm-w1']);
  term2 = sys.client(terminalKeys['t-ft-xm-w2']);
  // ft-xm's relatives: a group below it, a sibling station beside it; officers at every level.
  for (const [path, body] of [
    ['/v1/units', { id: 'ft-xm-g', name: '香蜜湖社区警务组', parentId: 'ft-xm', kind: 'group' }],
    ['/v1/units', { id: 'ft-lh', name: '莲花派出所', parentId: 'ft', kind: 'station' }],
    ['/v1/officers', { id: 'o-sz', unitId: 'sz', name: '局长' }],
    ['/v1/officers', { id: 'o-ft', unitId: 'ft', name: '分局民警' }],
    ['/v1/officers', { id: 'o-g', unitId: 'ft-xm-g', name: '社区民警' }],
    ['/v1/officers', { id: 'o-lh', unitId: 'ft-lh', name: '莲花民警' }],
    ['/v1/readers', { id: 'r-analyst', role: 'analyst' }],
  ] as const) {
    const r = await admin.post(path, body);
    if (r.status !== 201) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
    if (path === '/v1/readers') analyst = sys.client(r.body.token);
  }
});
afterAll(() => sys?.close());

/** An ISO 8601 time `ms` from now (negative: in the past), in +08:00 or Z. */
function at(msFromNow: number, offset: '+08:00' | 'Z' = '+08:00'): string {
  const t = Date.now() + msFromNow;
  return offset === 'Z' ? new Date(t).toISOString() : new Date(t + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
}

function rating(overrides: Record<string, unknown> = {}): { id: string; [k: string]: unknown } {
  return { id: randomUUID(), score: 5, occurredAt: at(-10 * MINUTE), ...overrides } as { id: string };
}

/** What the log holds once every consumer caught up (the follow-up reactor appends for bad ratings, a moment later). */
async function counts(): Promise<{ events: number; streams: number }> {
  await sys.settled();
  const { rows } = await sys.db.pools.owner.query<{ events: number; streams: number }>(
    `SELECT (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM streams)::int AS streams`,
  );
  return rows[0];
}

async function eventsOf(ratingId: string): Promise<{ type: string; data: any; metadata: any }[]> {
  const { rows } = await sys.db.pools.owner.query(`SELECT type, data, metadata FROM events WHERE stream_id = $1 ORDER BY stream_version`, [`rating-${ratingId}`]);
  return rows;
}

async function expectNothingStored(fn: () => Promise<void>): Promise<void> {
  const before = await counts();
  await fn();
  expect(await counts()).toEqual(before);
}

function expectProblem(r: ApiResponse | { status: number; body: any }, status: number, paths: string[]): void {
  expect({ status: r.status, paths: ((r.body?.errors ?? []) as { path: string }[]).map((e) => e.path) }).toEqual({ status, paths: expect.arrayContaining(paths) });
  if ('headers' in r) expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
}

const BAD_TEXT = [
  ['a NUL character', 'a\u0000b'],
  ['a lone high surrogate', 'a\ud83d'],
  ['a lone low surrogate', '\ude00b'],
] as const;

// ---------------------------------------------------------------------------------------------
describe('text no field may hold: NUL characters and lone surrogates (API.md "Limits")', () => {
  const fields: [string, (s: string) => Record<string, unknown>, string][] = [
    ['comment', (s) => ({ comment: s }), 'comment'],
    ['a reason', (s) => ({ reasons: ['态度好', '等待', s] }), 'reasons.2'],
    ['serviceType', (s) => ({ serviceType: s }), 'serviceType'],
  ];
  const cases = fields.flatMap(([field, body, path]) => BAD_TEXT.map(([what, s]) => [field, what, body(s), path] as const));

  it.each(cases)('when a single rating’s %s holds %s, then 400 naming it, and nothing is stored', async (_field, _what, extra, path) => {
    const body = rating(extra);
    await expectNothingStored(async () => expectProblem(await term2.post('/v1/ratings', body), 400, [path]));
    expect(await eventsOf(body.id)).toEqual([]);
  });

  it('when a batch is [ok, bad, ok], then 200 with the two accepted and stored and the bad one rejected with its own 400; a retry answers duplicate, duplicate, rejected', async () => {
    for (const [, s] of BAD_TEXT) {
      const items = [rating(), rating({ comment: `民警${s}` }), rating({ score: 2 })];
      const before = await counts();
      const first = await term.post('/v1/ratings/batch', { ratings: items });
      expect(first.status).toBe(200);
      expect(first.body.results.map((r: any) => [r.id, r.status, r.problem?.status])).toEqual([
        [items[0].id, 'accepted', undefined],
        [items[1].id, 'rejected', 400],
        [items[2].id, 'accepted', undefined],
      ]);
      expect(first.body.results[1].problem.errors.map((e: { path: string }) => e.path)).toEqual(['comment']);
      // The two accepted, and the follow-up of the rating of 2.
      expect(await counts()).toEqual({ events: before.events + 3, streams: before.streams + 3 });
      expect((await eventsOf(items[1].id)).length).toBe(0);
      const retry = await term.post('/v1/ratings/batch', { ratings: items });
      expect(retry.status).toBe(200);
      expect(retry.body.results.map((r: any) => [r.status, r.problem?.status])).toEqual([
        ['duplicate', undefined],
        ['rejected', 400],
        ['duplicate', undefined],
      ]);
      expect(await counts()).toEqual({ events: before.events + 3, streams: before.streams + 3 });
    }
  });

  it('when a batch item’s reason holds a lone surrogate, then its problem names reasons.<i> (the item’s own path)', async () => {
    const items = [rating(), rating(), rating(), rating({ reasons: ['ok', 'x\ud83d'] })];
    const r = await term.post('/v1/ratings/batch', { ratings: items });
    expect(r.body.results[3].problem.errors).toEqual([{ path: 'reasons.1', message: expect.stringMatching(/surrogate/) }]);
  });

  it('when an imported item holds a NUL, then that item is rejected with 400 naming the field and the others are accepted', async () => {
    const ok = { ...rating({ occurredAt: '2019-03-02T10:12:00+08:00' }), terminalId: 't-ft-xm-w2' };
    const bad = { ...rating({ occurredAt: '2019-03-02T10:13:00+08:00', serviceType: '户\u0000籍' }), terminalId: 't-ft-xm-w2' };
    const r = await admin.post('/v1/ratings/import', { ratings: [ok, bad] });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: any) => [x.status, x.problem?.status])).toEqual([
      ['accepted', undefined],
      ['rejected', 400],
    ]);
    expect(r.body.results[1].problem.errors.map((e: { path: string }) => e.path)).toEqual(['serviceType']);
  });

  it('when an import item names a terminal with a NUL, then that item is rejected and the others are accepted (never 500)', async () => {
    const ok = { ...rating({ occurredAt: '2019-03-02T10:12:00+08:00' }), terminalId: 't-ft-xm-w2' };
    const r = await admin.post('/v1/ratings/import', { ratings: [ok, { ...rating(), terminalId: 't\u0000' }] });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: any) => x.status)).toEqual(['accepted', 'rejected']);
  });

  it.each(BAD_TEXT)('when a void reason holds %s, then 400 naming reason, and the rating is not voided', async (_what, s) => {
    const body = rating();
    expect((await term.post('/v1/ratings', body)).status).toBe(202);
    await expectNothingStored(async () => expectProblem(await admin.post(`/v1/ratings/${body.id}/void`, { reason: `误触${s}` }), 400, ['reason']));
    expect((await eventsOf(body.id)).map((e) => e.type)).toEqual(['RatingSubmitted']);
  });

  it('when a field name holds a NUL, then 400 naming it', async () => {
    await expectNothingStored(async () => expectProblem(await term.post('/v1/ratings', { ...rating(), 'x\u0000': 1 }), 400, ['x\u0000']));
  });

  it('when text is well formed (emoji pairs, CJK, U+FFFD, line breaks), then it is stored exactly as sent', async () => {
    const body = rating({ comment: '民警很好 👍🏽\n\ufffd 家人👨‍👩‍👧', reasons: ['😀'] });
    expect((await term.post('/v1/ratings', body)).status).toBe(202);
    const [e] = await eventsOf(body.id);
    expect([e.data.comment, e.data.reasons]).toEqual([body.comment, body.reasons]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('the officer must belong to the window’s unit or a unit above or below it (API.md "Limits")', () => {
  it.each([
    ['of the window’s unit', 'o-wang'],
    ['of the unit above it', 'o-ft'],
    ['of the root two levels above', 'o-sz'],
    ['of a unit below it', 'o-g'],
  ])('when a rating names an officer %s, then it is accepted', async (_what, officerId) => {
    const body = rating({ officerId });
    const r = await term.post('/v1/ratings', body);
    expect([officerId, r.status]).toEqual([officerId, 202]);
    expect((await eventsOf(body.id))[0].data.officerId).toBe(officerId);
  });

  it('when a rating names an officer of another branch, or of a sibling station, then 422 on officerId with the message an unknown officer gets, and the officer’s figures do not move', async () => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const figures = async (officerId: string) => {
      await sys.settled();
      const r = await analyst.get(`/v1/satisfaction?scope=officer:${officerId}&granularity=year&from=${today}&to=${today}`);
      expect(r.status).toBe(200);
      return r.body.series[0].n;
    };
    const before = { li: await figures('o-li'), lh: await figures('o-lh') };
    const problems: unknown[] = [];
    for (const officerId of ['o-li', 'o-lh', 'o-nobody']) {
      const body = rating({ officerId });
      await expectNothingStored(async () => {
        const r = await term.post('/v1/ratings', body);
        expectProblem(r, 422, ['officerId']);
        problems.push({ detail: r.body.detail.replace(officerId, '<id>'), errors: r.body.errors });
      });
    }
    // No existence oracle: an unknown officer and another unit's officer get the same answer.
    expect(new Set(problems.map((p) => JSON.stringify(p))).size).toBe(1);
    const batch = await term.post('/v1/ratings/batch', { ratings: [rating({ officerId: 'o-li' }), rating({ officerId: 'o-wang' })] });
    expect(batch.body.results.map((x: any) => [x.status, x.problem?.status])).toEqual([
      ['rejected', 422],
      ['accepted', undefined],
    ]);
    expect({ li: await figures('o-li'), lh: await figures('o-lh') }).toEqual(before);
  });

  it('when an import names an officer of another unit than its terminal’s, then that item is rejected with 422', async () => {
    const r = await admin.post('/v1/ratings/import', { ratings: [{ ...rating({ occurredAt: '2020-05-01T10:00:00+08:00', officerId: 'o-li' }), terminalId: 't-ft-xm-w1' }] });
    expect(r.body.results.map((x: any) => [x.status, x.problem?.status, x.problem?.errors?.[0]?.path])).toEqual([['rejected', 422, 'officerId']]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('retries: the first outcome, whatever the clock and however the content is written', () => {
  it('given a rating imported 91 days old for a terminal, when the terminal posts the same id and content, then 200 duplicate; other content 409; nothing stored', async () => {
    // The request hash covers the terminal and the rating's fields, not the route: an import for terminal t
    // and t's own post of the same rating hash alike, as a terminal retrying after the edge would.
    const body = { id: randomUUID(), score: 4, occurredAt: at(-91 * DAY), reasons: ['效率高'] };
    const imported = await admin.post('/v1/ratings/import', { ratings: [{ ...body, terminalId: 't-ft-xm-w1' }] });
    expect(imported.body.results).toEqual([{ id: body.id, status: 'accepted' }]);
    await expectNothingStored(async () => {
      const again = await term.post('/v1/ratings', body);
      expect([again.status, again.body]).toEqual([200, { id: body.id, status: 'duplicate' }]);
      const batch = await term.post('/v1/ratings/batch', { ratings: [body] });
      expect(batch.body.results).toEqual([{ id: body.id, status: 'duplicate' }]);
      expectProblem(await term.post('/v1/ratings', { ...body, score: 1 }), 409, ['id']);
      // The same content from another terminal is another rating: 409, not the first one's outcome.
      expectProblem(await term2.post('/v1/ratings', body), 409, ['id']);
      // A new id of that age is still too old.
      expectProblem(await term.post('/v1/ratings', { ...body, id: randomUUID() }), 422, ['occurredAt']);
    });
  });

  it('when a retry writes the same instant in another offset, then it is a duplicate', async () => {
    const ms = Date.now() - 30 * MINUTE;
    const body = rating({ occurredAt: new Date(ms + 8 * 3_600_000).toISOString().replace('Z', '+08:00') });
    expect((await term.post('/v1/ratings', body)).status).toBe(202);
    await expectNothingStored(async () => {
      for (const occurredAt of [new Date(ms).toISOString(), new Date(ms - 5 * 3_600_000).toISOString().replace('Z', '-05:00')]) {
        const r = await term.post('/v1/ratings', { ...body, occurredAt });
        expect([occurredAt, r.status, r.body.status]).toEqual([occurredAt, 200, 'duplicate']);
      }
    });
  });

  it('when a retry sends reasons: [] where the first sent none (or the reverse), then it is a duplicate', async () => {
    const without = rating();
    const withEmpty = rating({ reasons: [] });
    expect((await term.post('/v1/ratings', without)).status).toBe(202);
    expect((await term.post('/v1/ratings', withEmpty)).status).toBe(202);
    await expectNothingStored(async () => {
      expect((await term.post('/v1/ratings', { ...without, reasons: [] })).body.status).toBe('duplicate');
      const { reasons: _r, ...none } = withEmpty;
      expect((await term.post('/v1/ratings', none)).body.status).toBe('duplicate');
    });
  });
});

// ---------------------------------------------------------------------------------------------
describe('the clock limits over HTTP, with 2-second margins', () => {
  it('when occurredAt is 90 days less 2 s old, then accepted; 90 days and 2 s, then 422 naming occurredAt', async () => {
    expect((await term.post('/v1/ratings', rating({ occurredAt: at(-90 * DAY + 2 * SECOND, 'Z') }))).status).toBe(202);
    await expectNothingStored(async () => expectProblem(await term.post('/v1/ratings', rating({ occurredAt: at(-90 * DAY - 2 * SECOND, 'Z') })), 422, ['occurredAt']));
  });

  it('when occurredAt is 5 minutes less 2 s ahead, then accepted; 5 minutes and 2 s ahead, then 422 naming occurredAt', async () => {
    expect((await term.post('/v1/ratings', rating({ occurredAt: at(5 * MINUTE - 2 * SECOND, 'Z') }))).status).toBe(202);
    await expectNothingStored(async () => expectProblem(await term.post('/v1/ratings', rating({ occurredAt: at(5 * MINUTE + 2 * SECOND, 'Z') })), 422, ['occurredAt']));
  });

  it('when an import is dated 1899-12-31T23:59:59Z, then that item is 422 on occurredAt; 1900-01-01T00:00:00Z is accepted (no age limit down to 1900)', async () => {
    const before = { ...rating({ occurredAt: '1899-12-31T23:59:59Z' }), terminalId: 't-ft-xm-w1' };
    const first = { ...rating({ occurredAt: '1900-01-01T00:00:00Z' }), terminalId: 't-ft-xm-w1' };
    const local = { ...rating({ occurredAt: '1900-01-01T07:59:59+08:00' }), terminalId: 't-ft-xm-w1' };
    const r = await admin.post('/v1/ratings/import', { ratings: [before, first, local] });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: any) => [x.status, x.problem?.status, x.problem?.errors?.[0]?.path])).toEqual([
      ['rejected', 422, 'occurredAt'],
      ['accepted', undefined, undefined],
      ['rejected', 422, 'occurredAt'],
    ]);
    expect((await eventsOf(first.id))[0].data.source).toBe('import');
  });

  it('when an import is dated 1985 (before the old 1990 floor), then it is accepted', async () => {
    const r = await admin.post('/v1/ratings/import', { ratings: [{ ...rating({ occurredAt: '1985-06-01T10:00:00+08:00' }), terminalId: 't-ft-xm-w1' }] });
    expect(r.body.results.map((x: any) => x.status)).toEqual(['accepted']);
  });
});
