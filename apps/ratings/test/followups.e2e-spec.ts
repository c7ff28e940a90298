// Bad-rating follow-ups (差评整改) end to end on the all-in-one (API.md "Bad-rating follow-ups", "Cases: the shared
// rules"): a terminal's bad rating opens its follow-up within seconds, due MINYI_FOLLOWUP_DUE_DAYS working days after
// it (checked against a working-day count of this file's own on a calendar PUT here); imports and good ratings open
// none; verify, rectify, callback over HTTP; an invalid verification voids the rating; an administrator's void voids
// the follow-up; the reactor's effects land exactly once with two reactors at once and after a redelivery.
import { randomUUID } from 'node:crypto';
import { reactorConsumer } from '@minyi/messaging';
import { FOLLOWUP_REACTOR, followUpReactor } from '@minyi/ratings';
import { buildOrganisation, reactorDeps, SMALL_CITY, startTestSystem, waitFor, type ApiClient, type TestSystem } from '@minyi/testing';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const TZ_OFFSET_MS = 8 * 3600_000; // Asia/Shanghai (MINYI_TZ's default): no daylight saving

let sys: TestSystem;
let admin: ApiClient;
/** Window ft-xm-w1 (unit ft-xm; service types 户籍办理, 身份证办理). */
let term: ApiClient;
/** Window ns-yh-w1 (unit ns-yh). */
let termNs: ApiClient;
let analyst: ApiClient;
/** A client with cases:write for 福田分局 (ft) and below; one for 南山分局 (ns); one with complaints:write only. */
let deskFt: ApiClient;
let deskNs: ApiClient;
let hotline: ApiClient;
let holidays: string[];
let workdays: string[];

// ---------------------------------------------------------------------------------------------
// an independent working-day count (nothing from libs/indices)

const localDate = (ms: number) => new Date(ms + TZ_OFFSET_MS).toISOString().slice(0, 10);
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
interface Calendar {
  holidays: string[];
  workdays: string[];
}
function isWorkingDay(date: string, calendar: Calendar): boolean {
  if (calendar.workdays.includes(date)) return true;
  if (calendar.holidays.includes(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}
/** API.md: the end of the N-th working day after the local date of `at` (that date never counts), with its offset. */
function expectedDueAt(at: string, n: number, calendar: Calendar = { holidays, workdays }): string {
  let date = localDate(Date.parse(at));
  for (let found = 0; found < n; ) {
    date = addDays(date, 1);
    if (isWorkingDay(date, calendar)) found += 1;
  }
  return `${addDays(date, 1)}T00:00:00+08:00`;
}

// ---------------------------------------------------------------------------------------------
// helpers

function at(msFromNow: number): string {
  return new Date(Date.now() + msFromNow + TZ_OFFSET_MS).toISOString().slice(0, 19) + '+08:00';
}
function rating(overrides: Record<string, unknown> = {}): { id: string; score: number; occurredAt: string; [k: string]: unknown } {
  return { id: randomUUID(), score: 1, occurredAt: at(-10 * MINUTE), ...overrides } as never;
}
/** Waits until GET /v1/followups/{id} answers 200 (the reactor opened it), at most 10 s; returns the body. */
async function openedFollowUp(id: string, client = admin): Promise<any> {
  let last: { status: number; body: unknown } | null = null;
  await waitFor(`follow-up ${id} to open`, async () => {
    last = await client.get(`/v1/followups/${id}`);
    return last.status === 200;
  }, 10_000, 20).catch((err) => {
    throw new Error(`${(err as Error).message}; last answer ${JSON.stringify(last)}`);
  });
  return (last as unknown as { body: unknown }).body;
}
async function eventTypes(streamId: string): Promise<string[]> {
  const { rows } = await sys.db.pools.owner.query<{ type: string }>('SELECT type FROM events WHERE stream_id = $1 ORDER BY stream_version', [streamId]);
  return rows.map((r) => r.type);
}
async function eventsOf(streamId: string): Promise<{ type: string; data: any; metadata: any; event_id: string }[]> {
  const { rows } = await sys.db.pools.owner.query('SELECT type, data, metadata, event_id::text AS event_id FROM events WHERE stream_id = $1 ORDER BY stream_version', [streamId]);
  return rows;
}
async function logSize(): Promise<number> {
  await sys.settled();
  const { rows } = await sys.db.pools.owner.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
  return rows[0].n;
}
/** Per follow-up stream of these ratings, how many events of each type it holds. */
async function followUpEventCounts(ratingIds: string[]): Promise<Record<string, Record<string, number>>> {
  const { rows } = await sys.db.pools.owner.query<{ stream_id: string; type: string; n: number }>(
    `SELECT stream_id, type, count(*)::int AS n FROM events WHERE stream_id = ANY($1) GROUP BY stream_id, type`,
    [ratingIds.map((id) => `followup-${id}`)],
  );
  const out: Record<string, Record<string, number>> = {};
  for (const r of rows) (out[r.stream_id] ??= {})[r.type] = r.n;
  return out;
}
const step = (body: Record<string, unknown>) => ({ stepId: randomUUID(), occurredAt: at(0), ...body });

beforeAll(async () => {
  sys = await startTestSystem();
  admin = sys.admin;
  const { terminalKeys } = await buildOrganisation(admin, SMALL_CITY);
  term = sys.client(terminalKeys['t-ft-xm-w1']);
  termNs = sys.client(terminalKeys['t-ns-yh-w1']);
  const reader = await admin.post('/v1/readers', { id: 'fu-analyst', role: 'analyst' });
  const ft = await admin.post('/v1/clients', { id: 'fu-desk-ft', name: '福田分局整改台', scopes: ['cases:write'], unitId: 'ft' });
  const ns = await admin.post('/v1/clients', { id: 'fu-desk-ns', name: '南山分局整改台', scopes: ['cases:write'], unitId: 'ns' });
  const hl = await admin.post('/v1/clients', { id: 'fu-hotline', name: '12345', scopes: ['complaints:write'] });
  if ([reader, ft, ns, hl].some((r) => r.status !== 201)) throw new Error(`credentials: ${JSON.stringify([reader.body, ft.body, ns.body, hl.body])}`);
  analyst = sys.client(reader.body.token);
  deskFt = sys.client(ft.body.token);
  deskNs = sys.client(ns.body.token);
  hotline = sys.client(hl.body.token);

  // A calendar that moves the deadline: the next two weekdays after today are holidays, the next Saturday is worked
  // (each year's dates PUT under their own year).
  const today = localDate(Date.now());
  const weekday = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();
  holidays = [];
  for (let d = addDays(today, 1); holidays.length < 2; d = addDays(d, 1)) if (weekday(d) !== 0 && weekday(d) !== 6) holidays.push(d);
  let saturday = addDays(today, 1);
  while (weekday(saturday) !== 6) saturday = addDays(saturday, 1);
  workdays = [saturday];
  for (const year of new Set([...holidays, ...workdays].map((d) => d.slice(0, 4)))) {
    const r = await admin.request('PUT', `/v1/calendar/${year}`, { holidays: holidays.filter((d) => d.startsWith(year)), workdays: workdays.filter((d) => d.startsWith(year)) });
    if (r.status !== 200) throw new Error(`calendar ${year}: ${r.status} ${JSON.stringify(r.body)}`);
  }
});
afterAll(() => sys?.close());

// ---------------------------------------------------------------------------------------------
describe('a bad rating opens its follow-up', () => {
  it('when a terminal posts a rating of 1, then GET /v1/followups/{id} answers 200 within seconds: open at its unit, due 5 working days after it on the calendar', async () => {
    const r = rating({ score: 1, officerId: 'o-wang', serviceType: '户籍办理', reasons: ['态度差'] });
    expect((await term.post('/v1/ratings', r)).status).toBe(202);
    const f = await openedFollowUp(r.id);
    expect(f).toEqual({
      id: r.id,
      unitId: 'ft-xm',
      ratingId: r.id,
      windowId: 'ft-xm-w1',
      officerId: 'o-wang',
      score: 1,
      dueInWorkingDays: 5,
      category: '户籍办理',
      occurredAt: new Date(r.occurredAt).toISOString(),
      recordedAt: expect.any(String),
      state: 'open',
      responsibleUnitId: 'ft-xm',
      dueAt: expectedDueAt(r.occurredAt, 5),
      overdue: false,
      steps: [],
    });
    // The calendar mattered: Monday to Friday alone would give another day.
    expect(f.dueAt).not.toBe(expectedDueAt(r.occurredAt, 5, { holidays: [], workdays: [] }));
  });

  it('when a rating of 2 arrives in a terminal’s offline batch, then it opens a follow-up too; the 3, 4 and 5 beside it open none', async () => {
    const bad = rating({ score: 2, occurredAt: at(-3 * DAY) });
    const good = [3, 4, 5].map((score) => rating({ score }));
    const r = await term.post('/v1/ratings/batch', { ratings: [bad, ...good] });
    expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
    const f = await openedFollowUp(bad.id);
    expect(f).toMatchObject({ score: 2, state: 'open', dueAt: expect.stringMatching(/T00:00:00\+08:00$/) });
    await sys.settled();
    for (const g of good) expect((await admin.get(`/v1/followups/${g.id}`)).status).toBe(404);
    expect(await followUpEventCounts(good.map((g) => g.id))).toEqual({});
  });

  it('when an administrator imports ratings of 1 and 2, then no follow-up opens (the old system kept its own)', async () => {
    const imported = [1, 2].map((score) => ({ ...rating({ score, occurredAt: at(-200 * DAY) }), terminalId: 't-ft-xm-w1' }));
    const r = await admin.post('/v1/ratings/import', { ratings: imported });
    expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(['accepted', 'accepted']);
    await sys.settled();
    for (const i of imported) expect((await admin.get(`/v1/followups/${i.id}`)).status).toBe(404);
    expect(await followUpEventCounts(imported.map((i) => i.id))).toEqual({});
  });

  it('when no rating has the id, then GET /v1/followups/{id} answers 404 problem+json', async () => {
    const r = await admin.get(`/v1/followups/${randomUUID()}`);
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

// ---------------------------------------------------------------------------------------------
describe('the steps of a follow-up', () => {
  it('when it is verified valid, rectified and called back, then each answers done with the state after it, and GET shows every step with its actor', async () => {
    const r = rating();
    await term.post('/v1/ratings', r);
    await openedFollowUp(r.id);
    const verify = step({ valid: true });
    expect((await deskFt.post(`/v1/followups/${r.id}/verify`, verify)).body).toEqual({ id: r.id, stepId: verify.stepId, status: 'done', state: 'verified' });
    const rectify = step({ summary: '窗口增设叫号提示，已对当班民警批评教育' });
    expect((await deskFt.post(`/v1/followups/${r.id}/rectify`, rectify)).body).toEqual({ id: r.id, stepId: rectify.stepId, status: 'done', state: 'rectified' });
    const callback = step({ score: 4 });
    expect((await admin.post(`/v1/followups/${r.id}/callback`, callback)).body).toEqual({ id: r.id, stepId: callback.stepId, status: 'done', state: 'calledBack' });
    // The same step again is a duplicate (the state now); another body under its stepId, 409.
    expect((await deskFt.post(`/v1/followups/${r.id}/rectify`, rectify)).body).toEqual({ id: r.id, stepId: rectify.stepId, status: 'duplicate', state: 'calledBack' });
    expect((await deskFt.post(`/v1/followups/${r.id}/rectify`, { ...rectify, summary: '另一个' })).status).toBe(409);
    const f = (await analyst.get(`/v1/followups/${r.id}`)).body;
    expect(f.state).toBe('calledBack');
    expect(f.steps.map((s: { step: string; actor: string }) => [s.step, s.actor])).toEqual([
      ['verify', 'client:fu-desk-ft'],
      ['rectify', 'client:fu-desk-ft'],
      ['callback', 'admin'],
    ]);
    expect(f.steps[0]).toMatchObject({ stepId: verify.stepId, valid: true, reason: null });
  });

  it.each([
    ['callback', { score: 3 }, /is open; callback is allowed only from rectified/],
  ])('when %s is asked of an open follow-up, then 409 naming the state, and nothing is stored', async (name, body, detail) => {
    const r = rating();
    await term.post('/v1/ratings', r);
    await openedFollowUp(r.id);
    const before = await logSize();
    const res = await deskFt.post(`/v1/followups/${r.id}/${name}`, step(body));
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(detail);
    expect(await logSize()).toBe(before);
  });

  it('when a follow-up is verified twice, or rectified after its callback, then 409 naming the state', async () => {
    const r = rating();
    await term.post('/v1/ratings', r);
    await openedFollowUp(r.id);
    expect((await deskFt.post(`/v1/followups/${r.id}/verify`, step({ valid: true }))).status).toBe(200);
    const again = await deskFt.post(`/v1/followups/${r.id}/verify`, step({ valid: true }));
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/is verified; verify is allowed only from open/);
    await deskFt.post(`/v1/followups/${r.id}/rectify`, step({ summary: '整改' }));
    await deskFt.post(`/v1/followups/${r.id}/callback`, step({ score: 5 }));
    const late = await deskFt.post(`/v1/followups/${r.id}/rectify`, step({ summary: '再整改' }));
    expect(late.status).toBe(409);
    expect(late.body.detail).toMatch(/is calledBack; rectify is allowed only from open, verified/);
  });

  it('when void is asked over HTTP, then there is no such route (404): only the system voids a follow-up', async () => {
    const r = rating();
    await term.post('/v1/ratings', r);
    await openedFollowUp(r.id);
    expect((await admin.post(`/v1/followups/${r.id}/void`, step({ reason: 'x' }))).status).toBe(404);
  });

  it('when verify says valid: false without a reason, then 400 naming reason and nothing is stored', async () => {
    const r = rating();
    await term.post('/v1/ratings', r);
    await openedFollowUp(r.id);
    const before = await logSize();
    const res = await deskFt.post(`/v1/followups/${r.id}/verify`, step({ valid: false }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'reason' })]);
    expect(await logSize()).toBe(before);
    expect((await admin.get(`/v1/followups/${r.id}`)).body.state).toBe('open');
    // Checked with the rest of the body, before the case is read: even for a follow-up that does not exist.
    const unknown = await deskFt.post(`/v1/followups/no-such-rating/verify`, step({ valid: false }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ path: 'reason' })]);
  });

  it('when a step names an unknown field, omits stepId, or sends a score of 6, then 400 naming the field', async () => {
    const r = rating();
    await term.post('/v1/ratings', r);
    await openedFollowUp(r.id);
    const paths = async (name: string, body: Record<string, unknown>) => ((await deskFt.post(`/v1/followups/${r.id}/${name}`, body)).body.errors ?? []).map((e: { path: string }) => e.path);
    expect(await paths('verify', { ...step({ valid: true }), extra: 1 })).toContain('extra');
    expect(await paths('rectify', { occurredAt: at(0), summary: 'x' })).toContain('stepId');
    expect(await paths('callback', step({ score: 6 }))).toContain('score');
  });

  it('when a client of another branch, a reader, a terminal or a client without cases:write takes a step, then 403; no token, 401', async () => {
    const r = rating();
    await term.post('/v1/ratings', r);
    await openedFollowUp(r.id);
    const body = step({ valid: true });
    expect((await deskNs.post(`/v1/followups/${r.id}/verify`, body)).status).toBe(403);
    expect((await analyst.post(`/v1/followups/${r.id}/verify`, body)).status).toBe(403);
    expect((await term.post(`/v1/followups/${r.id}/verify`, body)).status).toBe(403);
    expect((await hotline.post(`/v1/followups/${r.id}/verify`, body)).status).toBe(403);
    expect((await sys.client().post(`/v1/followups/${r.id}/verify`, body)).status).toBe(401);
    // Reading: the covering client and readers may; the other branch's client may not.
    expect((await deskFt.get(`/v1/followups/${r.id}`)).status).toBe(200);
    expect((await deskNs.get(`/v1/followups/${r.id}`)).status).toBe(403);
    expect((await admin.get(`/v1/followups/${r.id}`)).body.state).toBe('open');
  });

  it('when a rating of 南山 opens a follow-up, then 南山’s client may take its steps and 福田’s may not', async () => {
    const r = rating();
    await termNs.post('/v1/ratings', r);
    expect((await openedFollowUp(r.id)).responsibleUnitId).toBe('ns-yh');
    expect((await deskFt.post(`/v1/followups/${r.id}/rectify`, step({ summary: 'x' }))).status).toBe(403);
    expect((await deskNs.post(`/v1/followups/${r.id}/rectify`, step({ summary: '整改' }))).body.state).toBe('rectified');
  });
});

// ---------------------------------------------------------------------------------------------
describe('what a follow-up and its rating do to each other', () => {
  async function windowN(): Promise<number> {
    await sys.settled();
    const day = localDate(Date.now() - 10 * MINUTE);
    const r = await analyst.get(`/v1/satisfaction?scope=window:ns-yh-w1&granularity=day&from=${day}&to=${day}`);
    return r.body.series[0].n as number;
  }

  it('when a follow-up is verified invalid, then it is invalid, the rating is voided with that reason (caused by the verification) and no longer counts', async () => {
    const r = rating({ occurredAt: at(-10 * MINUTE) });
    await termNs.post('/v1/ratings', r);
    await openedFollowUp(r.id);
    const before = await windowN();
    const reason = '申诉复核：经调取录像，评价人误操作';
    const res = await deskNs.post(`/v1/followups/${r.id}/verify`, step({ valid: false, reason }));
    expect(res.body).toMatchObject({ id: r.id, status: 'done', state: 'invalid' });
    await waitFor('the rating to be voided', async () => (await eventTypes(`rating-${r.id}`)).length === 2, 10_000, 20);
    const [, voided] = await eventsOf(`rating-${r.id}`);
    const verified = (await eventsOf(`followup-${r.id}`)).find((e) => e.type === 'FollowUpVerified')!;
    expect(voided).toMatchObject({ type: 'RatingVoided', data: { ratingId: r.id, reason, rating: { score: 1, windowId: 'ns-yh-w1', unitId: 'ns-yh' } }, metadata: { actor: 'client:fu-desk-ns', causationId: verified.event_id } });
    expect(await windowN()).toBe(before - 1);
    // The rating's void is not the administrator's: the follow-up stays invalid; voiding it again is a duplicate.
    expect((await admin.get(`/v1/followups/${r.id}`)).body.state).toBe('invalid');
    expect((await admin.post(`/v1/ratings/${r.id}/void`, { reason: '再次作废' })).body).toEqual({ id: r.id, status: 'duplicate' });
    await sys.settled();
    expect(await eventTypes(`followup-${r.id}`)).toEqual(['FollowUpOpened', 'FollowUpVerified']);
    expect(await eventTypes(`rating-${r.id}`)).toEqual(['RatingSubmitted', 'RatingVoided']);
  });

  it.each([
    ['open', [] as Record<string, unknown>[]],
    ['rectified and called back', [{ step: 'rectify', summary: '整改' }, { step: 'callback', score: 2 }]],
  ])('when the administrator voids a rating whose follow-up is %s, then the follow-up turns voided with a system step carrying the reason', async (_state, steps) => {
    const r = rating();
    await term.post('/v1/ratings', r);
    await openedFollowUp(r.id);
    for (const { step: name, ...body } of steps) expect((await deskFt.post(`/v1/followups/${r.id}/${name}`, step(body))).status).toBe(200);
    const reason = '评价器故障导致的误触，经核实作废';
    expect((await admin.post(`/v1/ratings/${r.id}/void`, { reason })).body).toEqual({ id: r.id, status: 'voided' });
    await waitFor('the follow-up to be voided', async () => (await admin.get(`/v1/followups/${r.id}`)).body.state === 'voided', 10_000, 20);
    const f = (await admin.get(`/v1/followups/${r.id}`)).body;
    const [, voided] = await eventsOf(`rating-${r.id}`);
    expect(f.steps.at(-1)).toMatchObject({ step: 'void', stepId: `void-${voided.event_id}`, reason, actor: 'admin' });
    // Nothing may be done to it any more (a step dated after the void: an earlier one is 422 before anything else).
    const res = await deskFt.post(`/v1/followups/${r.id}/rectify`, step({ summary: '整改', occurredAt: at(MINUTE) }));
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/is voided/);
  });
});

// ---------------------------------------------------------------------------------------------
describe('exactly once (ARCHITECTURE.md invariant 10)', () => {
  it('when a second reactor runs beside the system’s while bad ratings pour in, and then its checkpoint is moved back to the start, then every bad rating has exactly one FollowUpOpened and the redelivery adds nothing', async () => {
    const second = reactorConsumer(followUpReactor, reactorDeps({ pools: sys.db.pools, store: sys.store }), { idlePollMs: 10, pacingMs: 0, batchSize: 50 });
    await second.start();
    const ids: string[] = [];
    try {
      for (let b = 0; b < 6; b++) {
        const ratings = Array.from({ length: 100 }, (_, i) => rating({ score: (i % 4) + 1, occurredAt: at(-(b * 100 + i + 1) * MINUTE) }));
        const res = await term.post('/v1/ratings/batch', { ratings });
        expect(res.body.results.every((x: { status: string }) => x.status === 'accepted')).toBe(true);
        ids.push(...ratings.filter((x) => x.score <= 2).map((x) => x.id));
      }
      await sys.settled();
      await second.caughtUp();
    } finally {
      await second.stop();
    }
    const once = Object.fromEntries(ids.map((id) => [`followup-${id}`, { FollowUpOpened: 1 }]));
    expect(await followUpEventCounts(ids)).toEqual(once);

    // A redelivery of the whole log: the system's own reactor finds its checkpoint at the start and goes through
    // everything again.
    const before = await logSize();
    await sys.db.pools.owner.query(`UPDATE consumer_checkpoints SET transaction_id = '0', global_position = 0 WHERE consumer = $1`, [FOLLOWUP_REACTOR]);
    const trigger = rating({ score: 5 });
    await term.post('/v1/ratings', trigger);
    await sys.settled();
    const { rows } = await sys.db.pools.owner.query<{ global_position: number }>('SELECT global_position::int AS global_position FROM consumer_checkpoints WHERE consumer = $1', [FOLLOWUP_REACTOR]);
    const { rows: last } = await sys.db.pools.owner.query<{ p: number }>('SELECT max(global_position)::int AS p FROM events');
    expect(rows[0].global_position).toBe(last[0].p);
    expect(await logSize()).toBe(before + 1);
    expect(await followUpEventCounts(ids)).toEqual(once);
  });
});
