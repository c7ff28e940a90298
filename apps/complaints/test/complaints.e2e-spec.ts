// Complaints over HTTP (API.md "Complaints", "Cases: the shared rules", "Personal data", "Limits"): filing and its
// validation, who may file, step and read, every step with deadlines from the calendar, stepId idempotency under
// parallel retries, the 404/409/422 rules, and the case read back with every step answered before.
import { randomUUID } from 'node:crypto';
import { contentHash } from '@minyi/contracts';
import type { ApiClient, ApiResponse } from '@minyi/testing';
import { startComplaintsSystem, type ComplaintsSystem } from './complaints-system';

let sys: ComplaintsSystem;
let admin: ApiClient;
const tokens: Record<string, string> = {};
const as = (who: string) => sys.client(tokens[who]);

const UNITS = [
  { id: 'sz', name: '深圳市公安局', parentId: null, kind: 'bureau' },
  { id: 'ft', name: '福田分局', parentId: 'sz', kind: 'branch' },
  { id: 'ft-xm', name: '香蜜湖派出所', parentId: 'ft', kind: 'station' },
  { id: 'ns', name: '南山分局', parentId: 'sz', kind: 'branch' },
  { id: 'ns-yh', name: '粤海派出所', parentId: 'ns', kind: 'station' },
];

beforeAll(async () => {
  sys = await startComplaintsSystem();
  admin = sys.admin;
  for (const u of UNITS) await ok(admin.post('/v1/units', u));
  await ok(admin.post('/v1/windows', { id: 'w1', unitId: 'ft-xm', name: '户政1号窗口' }));
  tokens.terminal = (await ok(admin.post('/v1/terminals', { id: 't1', windowId: 'w1' }))).apiKey;
  tokens.analyst = (await ok(admin.post('/v1/readers', { id: 'r-analyst', role: 'analyst' }))).token;
  tokens.leaderFt = (await ok(admin.post('/v1/readers', { id: 'r-ft', role: 'leader', unitId: 'ft' }))).token;
  tokens.leaderNs = (await ok(admin.post('/v1/readers', { id: 'r-ns', role: 'leader', unitId: 'ns' }))).token;
  const clients: [string, string[], string | undefined][] = [
    ['hotline', ['complaints:write'], undefined],
    ['hotlineFt', ['complaints:write'], 'ft'],
    ['hotlineNs', ['complaints:write'], 'ns'],
    ['desk', ['cases:write'], undefined],
    ['deskFt', ['cases:write'], 'ft'],
    ['deskFtXm', ['cases:write'], 'ft-xm'],
    ['deskNs', ['cases:write'], 'ns'],
    ['visits', ['visits:write'], undefined],
  ];
  for (const [name, scopes, unitId] of clients) tokens[name] = (await ok(admin.post('/v1/clients', { id: `c-${name}`, name, scopes, unitId }))).token;
});
afterAll(() => sys?.close());

// ---------------------------------------------------------------------------------------------
// helpers

async function ok(p: Promise<ApiResponse>): Promise<any> {
  const r = await p;
  if (r.status >= 300) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
const uid = (p = 'cmp') => `${p}-${randomUUID()}`;
/** An instant `ms` before now, as Shanghai local time with its offset (the offset must be accepted as sent). */
const ago = (ms: number) => shanghai(Date.now() - ms);
function shanghai(ms: number): string {
  const local = new Date(ms + 8 * 3_600_000).toISOString();
  return `${local.slice(0, 23)}+08:00`;
}

function complaint(over: Record<string, unknown> = {}): Record<string, any> {
  return {
    id: uid(),
    unitId: 'ft-xm',
    channel: 'hotline',
    category: '噪音扰民',
    text: '楼下烧烤店每晚营业到凌晨两点，油烟和噪音扰民。',
    occurredAt: ago(30 * DAY),
    contact: { name: '张女士', phone: '13800138000' },
    ...over,
  };
}

async function file(over: Record<string, unknown> = {}, by: ApiClient = admin): Promise<Record<string, any>> {
  const body = complaint(over);
  const r = await by.post('/v1/complaints', body);
  if (r.status !== 202) throw new Error(`filing: ${r.status} ${JSON.stringify(r.body)}`);
  return body;
}

/** Takes a step one minute after `at` (the previous step's instant, as epoch ms); returns the response. */
const step = (id: string, name: string, body: Record<string, unknown>, by: ApiClient = admin) => by.post(`/v1/complaints/${id}/${name}`, { stepId: uid('s'), ...body });

async function eventsOf(id: string): Promise<{ type: string; data: any; metadata: any; unit_id: string | null }[]> {
  const { rows } = await sys.owner.query(`SELECT type, data, metadata, unit_id FROM events WHERE stream_id = $1 ORDER BY stream_version`, [`complaint-${id}`]);
  return rows;
}

async function eventCount(): Promise<number> {
  return (await sys.owner.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0].n;
}

function expectProblem(r: ApiResponse, status: number, paths: string[] = []): void {
  expect({ status: r.status, type: r.headers.get('content-type') }).toEqual({ status, type: expect.stringMatching(/^application\/problem\+json/) });
  const named = ((r.body?.errors ?? []) as { path: string }[]).map((e) => e.path);
  for (const p of paths) expect(named).toContain(p);
}

async function expectNothingStored(fn: () => Promise<void>): Promise<void> {
  const before = await eventCount();
  await fn();
  expect(await eventCount()).toBe(before);
}

// An independent reading of API.md's deadline rule (no minyi code): Shanghai is UTC+8 all year; from the step's
// local date D, count the working days after it; dueAt is 00:00 of the day after the N-th, with its offset.
const dateOf = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday
function expectedDueAt(occurredAt: string, n: number, holidays: Set<string>, workdays: Set<string>): string {
  let day = dateOf(Date.parse(occurredAt));
  for (let found = 0; found < n; ) {
    day = addDays(day, 1);
    const working = workdays.has(day) || (!holidays.has(day) && weekday(day) >= 1 && weekday(day) <= 5);
    if (working) found++;
  }
  return `${addDays(day, 1)}T00:00:00+08:00`;
}

/** PUTs the calendars of the years the dates fall in (each year's lists whole). */
async function setCalendars(holidays: string[], workdays: string[]): Promise<void> {
  const years = new Set([...holidays, ...workdays].map((d) => d.slice(0, 4)));
  for (const y of years) {
    const r = await admin.request('PUT', `/v1/calendar/${y}`, { holidays: holidays.filter((d) => d.startsWith(y)), workdays: workdays.filter((d) => d.startsWith(y)) });
    if (r.status !== 200) throw new Error(`calendar ${y}: ${r.status} ${JSON.stringify(r.body)}`);
  }
}

// ---------------------------------------------------------------------------------------------
describe('filing a complaint', () => {
  it('when a complaint is filed, then 202 accepted, stored once with its text as sent and its contact sealed; again 200 duplicate; other content 409', async () => {
    const body = complaint();
    const r = await admin.post('/v1/complaints', body);
    expect({ status: r.status, body: r.body }).toEqual({ status: 202, body: { id: body.id, status: 'accepted' } });
    const again = await admin.post('/v1/complaints', body);
    expect({ status: again.status, body: again.body }).toEqual({ status: 200, body: { id: body.id, status: 'duplicate' } });
    // The same instant written in another offset is the same filing.
    const utc = new Date(Date.parse(body.occurredAt)).toISOString();
    expect((await admin.post('/v1/complaints', { ...body, occurredAt: utc })).status).toBe(200);
    for (const other of [{ text: `${body.text} ` }, { contact: { name: '张女士', phone: '13800138001' } }, { contact: undefined }, { category: '其他' }, { unitId: 'ft' }]) {
      expectProblem(await admin.post('/v1/complaints', { ...body, ...other }), 409);
    }
    const events = await eventsOf(body.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'ComplaintFiled',
      unit_id: 'ft-xm',
      data: {
        caseId: body.id,
        filedUnitId: 'ft-xm',
        category: '噪音扰民',
        filedAt: new Date(Date.parse(body.occurredAt)).toISOString(),
        status: { state: 'filed', responsibleUnitId: 'ft-xm', dueAt: null, accepted: false },
        fields: { channel: 'hotline', text: body.text, contact: { keyId: expect.stringMatching(/^[0-9a-f-]{36}$/), sealed: expect.any(String) } },
      },
      metadata: { actor: 'admin', requestHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    const stored = JSON.stringify(events);
    for (const plain of ['13800138000', '张女士']) expect(stored).not.toContain(plain);
    // The request hash gives nothing away either: it is not a plain hash of the body, which anyone could
    // recompute from the event's other fields and a guessed phone number.
    const { contact, ...rest } = body;
    for (const guess of [{ ...rest, contact }, { ...rest, contact, occurredAt: new Date(Date.parse(body.occurredAt)).toISOString() }]) {
      expect(events[0].metadata.requestHash).not.toBe(contentHash(guess));
    }
  });

  it('when a filing is a duplicate, a clash or refused, then no contact is sealed for it (no key is made)', async () => {
    const keys = async () => (await sys.owner.query<{ n: number }>('SELECT count(*)::int AS n FROM pd_keys')).rows[0].n;
    // A contact without a phone gets a key of its own each time it is sealed.
    const body = complaint({ contact: { name: '匿名市民' } });
    const before = await keys();
    expect((await admin.post('/v1/complaints', body)).status).toBe(202);
    expect(await keys()).toBe(before + 1);
    for (let i = 0; i < 3; i++) expect((await admin.post('/v1/complaints', body)).status).toBe(200);
    expectProblem(await admin.post('/v1/complaints', { ...body, text: '另一件事' }), 409);
    expectProblem(await admin.post('/v1/complaints', complaint({ contact: { name: '匿名市民' }, occurredAt: ago(400 * DAY) })), 422, ['occurredAt']);
    expectProblem(await admin.post('/v1/complaints', complaint({ contact: { name: '匿名市民' }, unitId: 'nowhere' })), 422, ['unitId']);
    expect(await keys()).toBe(before + 1);
  });

  it('when a complaint without a contact is filed, then it is stored with contact null and the admin reads contact null', async () => {
    const body = await file({ contact: undefined });
    expect((await eventsOf(body.id))[0].data.fields.contact).toBeNull();
    const r = await admin.get(`/v1/complaints/${body.id}`);
    expect(r.body).toMatchObject({ contact: null, contactErased: false });
    // null is the same as absent.
    expect((await admin.post('/v1/complaints', { ...body, contact: null })).status).toBe(200);
  });

  it('when the text holds spaces, line breaks, combining marks, emoji and other Unicode, then it is stored and read back exactly as sent', async () => {
    const texts = [
      '  前后有空格  ',
      'line one\r\nline two\n\tindented\u2028separator\u2029',
      'cafe\u0301 / café (NFD and NFC)',
      '👩‍👩‍👧 🐉 \u200b zero width \ufeff BOM \u00a0 nbsp',
      '"quotes" \\ backslash </script> \u001f control',
      '\u0301',
    ];
    for (const text of texts) {
      const category = ` ${Array.from(text).slice(0, 10).join('')} `;
      const body = await file({ text, category });
      const r = await admin.get(`/v1/complaints/${body.id}`);
      expect({ text: r.body.text, category: r.body.category }).toEqual({ text, category });
      expect((await eventsOf(body.id))[0].data.fields.text).toBe(text);
    }
  });

  it('when the body is as large as a complaint can be, every character escaped, then it is accepted; larger than 64 KiB, 413', async () => {
    const astral = (n: number) => '🐉'.repeat(n);
    const body = complaint({ text: astral(5000), category: astral(64), contact: { name: astral(64), phone: '1'.repeat(32) } });
    const escaped = JSON.stringify(body).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    expect(escaped.length).toBeGreaterThan(60_000);
    const r = await admin.post('/v1/complaints', escaped);
    expect(r.status).toBe(202);
    expect((await admin.get(`/v1/complaints/${body.id}`)).body.text).toBe(body.text);
    const tooLarge = await admin.post('/v1/complaints', { ...complaint(), pad: 'x'.repeat(64 * 1024) });
    expect(tooLarge.status).toBe(413);
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['no id', { id: undefined }, 'id'],
    ['an id with a slash', { id: 'a/b' }, 'id'],
    ['an id of 65 characters', { id: 'x'.repeat(65) }, 'id'],
    ['no unitId', { unitId: undefined }, 'unitId'],
    ['a unitId with a space', { unitId: 'ft xm' }, 'unitId'],
    ['no channel', { channel: undefined }, 'channel'],
    ['an unknown channel', { channel: 'fax' }, 'channel'],
    ['no category', { category: undefined }, 'category'],
    ['an empty category', { category: '' }, 'category'],
    ['a category of 65 characters', { category: '类'.repeat(65) }, 'category'],
    ['a category with a NUL', { category: 'a\u0000b' }, 'category'],
    ['a category with a lone surrogate', { category: 'a\ud800b' }, 'category'],
    ['no text', { text: undefined }, 'text'],
    ['an empty text', { text: '' }, 'text'],
    ['a text of 5001 characters', { text: '字'.repeat(5001) }, 'text'],
    ['a text of 5001 astral characters', { text: '🐉'.repeat(5001) }, 'text'],
    ['a text with a NUL', { text: 'before\u0000after' }, 'text'],
    ['a text with a lone high surrogate', { text: 'before\ud83dafter' }, 'text'],
    ['a text with a lone low surrogate', { text: '\udc00' }, 'text'],
    ['a text that is a number', { text: 42 }, 'text'],
    ['no occurredAt', { occurredAt: undefined }, 'occurredAt'],
    ['an occurredAt without an offset', { occurredAt: '2026-10-21T09:30:00' }, 'occurredAt'],
    ['an occurredAt that is a date', { occurredAt: '2026-10-21' }, 'occurredAt'],
    ['an occurredAt on 30 February', { occurredAt: '2026-02-30T09:30:00+08:00' }, 'occurredAt'],
    ['a contact that is a string', { contact: '13800138000' }, 'contact'],
    ['an empty contact', { contact: {} }, 'contact'],
    ['a contact with an unknown field', { contact: { phone: '1', email: 'a@b.c' } }, 'contact.email'],
    ['a contact name of 65 characters', { contact: { name: '名'.repeat(65) } }, 'contact.name'],
    ['a contact phone of 33 characters', { contact: { phone: '1'.repeat(33) } }, 'contact.phone'],
    ['a contact name with a lone surrogate', { contact: { name: '\ud800' } }, 'contact.name'],
    ['a contact phone with a NUL', { contact: { phone: '138\u000000138000' } }, 'contact.phone'],
    ['an unknown field', { status: 'accepted' }, 'status'],
    ['a field name with a NUL', { 'x\u0000': 1 }, 'x\u0000'],
  ];
  it.each(invalid)('when the filing has %s, then 400 naming it and nothing stored', async (_what, over, path) => {
    await expectNothingStored(async () => expectProblem(await admin.post('/v1/complaints', complaint(over)), 400, [path]));
  });

  it('when the body is not a JSON object, then 400 and nothing stored', async () => {
    await expectNothingStored(async () => {
      for (const body of ['[]', '"text"', 'null', '{"id": ']) expectProblem(await admin.post('/v1/complaints', body), 400);
    });
  });

  it('when the unit does not exist, or occurredAt is more than 365 days old, 5 minutes ahead or before 1900, then 422 naming it', async () => {
    await expectNothingStored(async () => {
      expectProblem(await admin.post('/v1/complaints', complaint({ unitId: 'nowhere' })), 422, ['unitId']);
      expectProblem(await admin.post('/v1/complaints', complaint({ occurredAt: ago(366 * DAY) })), 422, ['occurredAt']);
      expectProblem(await admin.post('/v1/complaints', complaint({ occurredAt: ago(-6 * MINUTE) })), 422, ['occurredAt']);
      expectProblem(await admin.post('/v1/complaints', complaint({ occurredAt: '1899-12-31T23:59:59Z' })), 422, ['occurredAt']);
    });
    expect((await admin.post('/v1/complaints', complaint({ occurredAt: ago(364 * DAY) }))).status).toBe(202);
    expect((await admin.post('/v1/complaints', complaint({ occurredAt: ago(-4 * MINUTE) }))).status).toBe(202);
  });

  it('when filed without a token, by a terminal, a reader, a client without complaints:write or a client of another unit, then 401 / 403 and nothing stored', async () => {
    await expectNothingStored(async () => {
      expectProblem(await sys.client().post('/v1/complaints', complaint()), 401);
      for (const who of ['terminal', 'analyst', 'leaderFt', 'desk', 'visits', 'hotlineNs']) expectProblem(await as(who).post('/v1/complaints', complaint()), 403);
      // A client bound to a unit files for that unit and those below it only.
      expectProblem(await as('hotlineFt').post('/v1/complaints', complaint({ unitId: 'sz' })), 403);
      expectProblem(await as('hotlineFt').post('/v1/complaints', complaint({ unitId: 'ns-yh' })), 403);
    });
    for (const [who, unitId] of [['hotline', 'ns-yh'], ['hotlineFt', 'ft'], ['hotlineFt', 'ft-xm'], ['hotlineNs', 'ns-yh']]) {
      const body = complaint({ unitId });
      const r = await as(who).post('/v1/complaints', body);
      expect({ who, unitId, status: r.status }).toEqual({ who, unitId, status: 202 });
      expect((await eventsOf(body.id))[0].metadata.actor).toBe(`client:c-${who}`);
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('the steps of a complaint', () => {
  it('when every step is taken over HTTP, then each answers done with the state after it, and GET shows every step answered before it', async () => {
    const body = await file({ occurredAt: ago(20 * DAY) });
    const id = body.id;
    let at = Date.parse(body.occurredAt);
    const path: [string, Record<string, unknown>, string][] = [
      ['accept', {}, 'accepted'],
      ['escalate', { unitId: 'ns-yh', reason: '跨辖区，转南山分局粤海派出所', dueInWorkingDays: 10 }, 'accepted'],
      ['handle', { summary: '已约谈店主，限期整改' }, 'handled'],
      ['reply', { text: '已处理，请您监督', via: 'phone' }, 'replied'],
      ['callback', { score: 2 }, 'calledBack'],
      ['reopen', { reason: '问题复发' }, 'reopened'],
      ['accept', { unitId: 'ns', dueInWorkingDays: 5 }, 'accepted'],
      ['handle', { summary: '再次整改并回访' }, 'handled'],
      ['close', {}, 'closed'],
      ['reopen', { reason: '群众再次反映' }, 'reopened'],
      ['escalate', { unitId: 'sz', reason: '上报市局' }, 'accepted'],
      ['handle', { summary: '市局督办完成' }, 'handled'],
      ['reply', { text: '已答复', via: 'letter' }, 'replied'],
      ['callback', { score: 5 }, 'calledBack'],
      ['close', { final: true }, 'closed'],
    ];
    const taken: { stepId: string; step: string; occurredAt: string; fields: Record<string, unknown> }[] = [];
    for (const [name, fields, state] of path) {
      at += 60 * MINUTE;
      const stepId = uid('s');
      const occurredAt = shanghai(at);
      const r = await admin.post(`/v1/complaints/${id}/${name}`, { stepId, occurredAt, ...fields });
      expect({ name, status: r.status, body: r.body }).toEqual({ name, status: 200, body: { id, stepId, status: 'done', state } });
      taken.push({ stepId, step: name, occurredAt, fields });
      // Read your writes: the answer above is in the case at once.
      const g = await admin.get(`/v1/complaints/${id}`);
      expect({ state: g.body.state, steps: g.body.steps.map((s: any) => s.stepId) }).toEqual({ state, steps: taken.map((t) => t.stepId) });
    }
    const g = await admin.get(`/v1/complaints/${id}`);
    expect(g.status).toBe(200);
    expect(g.body).toMatchObject({
      id,
      unitId: 'ft-xm',
      channel: 'hotline',
      category: body.category,
      text: body.text,
      contact: body.contact,
      contactErased: false,
      occurredAt: new Date(Date.parse(body.occurredAt)).toISOString(),
      state: 'closed',
      responsibleUnitId: 'sz',
      overdue: false,
    });
    expect(g.body.dueAt).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\+08:00$/);
    expect(g.body.steps).toHaveLength(path.length);
    g.body.steps.forEach((s: any, i: number) => {
      const t = taken[i];
      expect(s).toMatchObject({ stepId: t.stepId, step: t.step, occurredAt: new Date(Date.parse(t.occurredAt)).toISOString(), actor: 'admin', recordedAt: expect.any(String) });
      expect(Date.parse(s.recordedAt)).toBeGreaterThan(Date.now() - 5 * MINUTE);
    });
    // Defaults filled in: accept's unit (the responsible unit as it was) and 15 working days; close's final.
    expect(g.body.steps[0]).toMatchObject({ unitId: 'ft-xm', dueInWorkingDays: 15, dueAt: expect.any(String) });
    expect(g.body.steps[1]).toMatchObject({ unitId: 'ns-yh', reason: '跨辖区，转南山分局粤海派出所', dueInWorkingDays: 10 });
    expect(g.body.steps[8]).toMatchObject({ step: 'close', final: false });
    expect(g.body.steps[10]).toMatchObject({ unitId: 'sz', dueInWorkingDays: 15 });
    expect(g.body.steps[14]).toMatchObject({ step: 'close', final: true });
    // The events carry the status after each step; the unit of each is its responsible unit then.
    const events = await eventsOf(id);
    expect(events.map((e) => [e.type, e.unit_id, e.data.status.responsibleUnitId])).toEqual([
      ['ComplaintFiled', 'ft-xm', 'ft-xm'],
      ['ComplaintAccepted', 'ft-xm', 'ft-xm'],
      ['ComplaintEscalated', 'ns-yh', 'ns-yh'],
      ['ComplaintHandled', 'ns-yh', 'ns-yh'],
      ['ComplaintReplied', 'ns-yh', 'ns-yh'],
      ['ComplaintCalledBack', 'ns-yh', 'ns-yh'],
      ['ComplaintReopened', 'ns-yh', 'ns-yh'],
      ['ComplaintAccepted', 'ns', 'ns'],
      ['ComplaintHandled', 'ns', 'ns'],
      ['ComplaintClosed', 'ns', 'ns'],
      ['ComplaintReopened', 'ns', 'ns'],
      ['ComplaintEscalated', 'sz', 'sz'],
      ['ComplaintHandled', 'sz', 'sz'],
      ['ComplaintReplied', 'sz', 'sz'],
      ['ComplaintCalledBack', 'sz', 'sz'],
      ['ComplaintClosed', 'sz', 'sz'],
    ]);
    expect(events.at(-1)!.data.status).toMatchObject({ closed: true, final: true, calledBack: true, score: 5, handled: true, onTime: true, accepted: true });

    // Closed for good (停访息诉): never reopened.
    const reopen = await step(id, 'reopen', { occurredAt: shanghai(at + MINUTE), reason: '再议' });
    expectProblem(reopen, 409);
    expect(reopen.body.detail).toMatch(/closed for good/);
    expect(await eventsOf(id)).toHaveLength(events.length);
  });

  it('when a step sets a deadline across holidays and a make-up working day, then dueAt is where an independent count puts it, and a later calendar change does not move it', async () => {
    const acceptedAt = ago(25 * DAY);
    const d = dateOf(Date.parse(acceptedAt));
    // Holidays: the first three weekdays after D; a make-up working day: the first Saturday after them.
    const following = Array.from({ length: 30 }, (_, i) => addDays(d, i + 1));
    const holidays = following.filter((x) => weekday(x) >= 1 && weekday(x) <= 5).slice(0, 3);
    const workdays = [following.find((x) => weekday(x) === 6 && x > holidays[2])!];
    await setCalendars(holidays, workdays);
    const expected = expectedDueAt(acceptedAt, 15, new Set(holidays), new Set(workdays));
    expect(expected).not.toBe(expectedDueAt(acceptedAt, 15, new Set(), new Set()));

    const body = await file({ occurredAt: ago(26 * DAY) });
    const r = await step(body.id, 'accept', { occurredAt: acceptedAt });
    expect(r.status).toBe(200);
    const g = await admin.get(`/v1/complaints/${body.id}`);
    expect({ dueAt: g.body.dueAt, stepDueAt: g.body.steps[0].dueAt }).toEqual({ dueAt: expected, stepDueAt: expected });
    expect((await eventsOf(body.id))[1].data.status.dueAt).toBe(expected);

    // The calendar changes: the deadline set before stays; a step taken now counts with the new lists.
    await setCalendars([...holidays, ...following.filter((x) => weekday(x) >= 1 && weekday(x) <= 5).slice(3, 6)], workdays);
    expect((await admin.get(`/v1/complaints/${body.id}`)).body.dueAt).toBe(expected);
    const escalatedAt = shanghai(Date.parse(acceptedAt) + MINUTE);
    expect((await step(body.id, 'escalate', { occurredAt: escalatedAt, unitId: 'ft', reason: '升级' })).status).toBe(200);
    const later = following.filter((x) => weekday(x) >= 1 && weekday(x) <= 5).slice(0, 6);
    const after = (await admin.get(`/v1/complaints/${body.id}`)).body;
    expect(after.dueAt).toBe(expectedDueAt(escalatedAt, 15, new Set(later), new Set(workdays)));
    expect(after.steps[0].dueAt).toBe(expected);
    // Its deadline has passed and it is not handled: overdue; handled late: on time no more, overdue no more.
    expect(after.overdue).toBe(Date.now() > Date.parse(after.dueAt));
    await setCalendars([], []);
  });

  it('when 20 identical steps arrive at once, then one is done, 19 are duplicates, and one event is stored', async () => {
    const body = await file();
    const request = { stepId: uid('s'), occurredAt: ago(DAY), unitId: 'ft', dueInWorkingDays: 7 };
    const answers = await Promise.all(Array.from({ length: 20 }, () => as('desk').post(`/v1/complaints/${body.id}/accept`, request)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const statuses = answers.map((a) => a.body.status).sort();
    expect(statuses).toEqual(['done', ...Array(19).fill('duplicate')]);
    for (const a of answers) expect(a.body).toEqual({ id: body.id, stepId: request.stepId, status: a.body.status, state: 'accepted' });
    const events = await eventsOf(body.id);
    expect(events.map((e) => e.type)).toEqual(['ComplaintFiled', 'ComplaintAccepted']);
    expect(events[1].data.stepId).toBe(request.stepId);

    // The same stepId with another body, or for another step: 409, nothing stored.
    await expectNothingStored(async () => {
      expectProblem(await admin.post(`/v1/complaints/${body.id}/accept`, { ...request, dueInWorkingDays: 8 }), 409, ['stepId']);
      expectProblem(await admin.post(`/v1/complaints/${body.id}/accept`, { ...request, unitId: undefined }), 409, ['stepId']);
      expectProblem(await admin.post(`/v1/complaints/${body.id}/handle`, { stepId: request.stepId, occurredAt: request.occurredAt, summary: '办结' }), 409, ['stepId']);
    });
    // The same again later (after other steps) is still a duplicate, answering the state now.
    expect((await step(body.id, 'handle', { occurredAt: ago(DAY - MINUTE), summary: '办结' })).status).toBe(200);
    const again = await admin.post(`/v1/complaints/${body.id}/accept`, { ...request, occurredAt: new Date(Date.parse(request.occurredAt)).toISOString() });
    expect(again.body).toEqual({ id: body.id, stepId: request.stepId, status: 'duplicate', state: 'handled' });
  });

  it('when a step the state does not allow is taken, then 409 naming the state, nothing stored', async () => {
    const body = await file();
    await expectNothingStored(async () => {
      for (const [name, fields] of [
        ['handle', { summary: 's' }],
        ['reply', { text: 't', via: 'sms' }],
        ['callback', { score: 3 }],
        ['reopen', { reason: 'r' }],
        ['close', { final: false }],
      ] as const) {
        const r = await step(body.id, name, { occurredAt: ago(DAY), ...fields });
        expectProblem(r, 409);
        expect(r.body.detail).toMatch(/is filed; .* is allowed only from/);
      }
    });
    expect((await step(body.id, 'accept', { occurredAt: ago(DAY) })).status).toBe(200);
    const r = await step(body.id, 'accept', { occurredAt: ago(DAY - MINUTE) });
    expectProblem(r, 409);
    expect(r.body.detail).toMatch(/is accepted; accept is allowed only from filed, reopened/);
  });

  it('when the case is unknown, or the step is not a complaint’s, then 404', async () => {
    const body = await file();
    await expectNothingStored(async () => {
      expectProblem(await step('no-such-complaint', 'accept', { occurredAt: ago(DAY) }), 404);
      expectProblem(await admin.get('/v1/complaints/no-such-complaint'), 404);
      expectProblem(await as('deskFt').post('/v1/complaints/no-such-complaint/accept', { stepId: 's1', occurredAt: ago(DAY) }), 404);
      // Steps of other kinds, or taken only by the system, have no route.
      for (const name of ['void', 'verify', 'rectify', 'assign', 'file']) expect((await step(body.id, name, { occurredAt: ago(DAY) })).status).toBe(404);
    });
  });

  it('when a step is earlier than the previous one or more than 5 minutes ahead, then 422 naming occurredAt; at the same instant it is taken', async () => {
    const body = await file({ occurredAt: ago(10 * DAY) });
    await expectNothingStored(async () => {
      expectProblem(await step(body.id, 'accept', { occurredAt: ago(11 * DAY) }), 422, ['occurredAt']);
      expectProblem(await step(body.id, 'accept', { occurredAt: ago(-6 * MINUTE) }), 422, ['occurredAt']);
      expectProblem(await step(body.id, 'accept', { occurredAt: '1899-12-31T16:00:00-08:00' }), 422, ['occurredAt']);
    });
    const acceptedAt = ago(5 * DAY);
    expect((await step(body.id, 'accept', { occurredAt: acceptedAt })).status).toBe(200);
    expectProblem(await step(body.id, 'handle', { occurredAt: shanghai(Date.parse(acceptedAt) - 1), summary: 's' }), 422, ['occurredAt']);
    expect((await step(body.id, 'handle', { occurredAt: acceptedAt, summary: 's' })).status).toBe(200);
  });

  const badSteps: [string, string, Record<string, unknown>, string][] = [
    ['no stepId', 'accept', { stepId: undefined }, 'stepId'],
    ['a stepId with a space', 'accept', { stepId: 'a b' }, 'stepId'],
    ['no occurredAt', 'accept', { occurredAt: undefined }, 'occurredAt'],
    ['an occurredAt without an offset', 'accept', { occurredAt: '2026-10-21T09:30:00' }, 'occurredAt'],
    ['an unknown field', 'accept', { note: 'x' }, 'note'],
    ['a unitId that is not an id', 'accept', { unitId: '' }, 'unitId'],
    ['0 working days', 'accept', { dueInWorkingDays: 0 }, 'dueInWorkingDays'],
    ['61 working days', 'accept', { dueInWorkingDays: 61 }, 'dueInWorkingDays'],
    ['1.5 working days', 'accept', { dueInWorkingDays: 1.5 }, 'dueInWorkingDays'],
    ['an escalation without a unit', 'escalate', { unitId: undefined }, 'unitId'],
    ['an escalation without a reason', 'escalate', { reason: undefined }, 'reason'],
    ['an escalation reason with a lone surrogate', 'escalate', { unitId: 'ft', reason: '\ud800' }, 'reason'],
    ['a handling without a summary', 'handle', { summary: undefined }, 'summary'],
    ['a summary of 5001 characters', 'handle', { summary: '字'.repeat(5001) }, 'summary'],
    ['a summary with a NUL', 'handle', { summary: 'a\u0000' }, 'summary'],
    ['a reply by fax', 'reply', { text: 't', via: 'fax' }, 'via'],
    ['a reply without text', 'reply', { text: undefined }, 'text'],
    ['a score of 6', 'callback', { score: 6 }, 'score'],
    ['a score of "5"', 'callback', { score: '5' }, 'score'],
    ['a reopen without a reason', 'reopen', { reason: undefined }, 'reason'],
    ['a close with final "yes"', 'close', { final: 'yes' }, 'final'],
  ];
  it.each(badSteps)('when a step has %s, then 400 naming it, nothing stored', async (_what, name, over, path) => {
    const body = await file();
    await expectNothingStored(async () => {
      const fields: Record<string, unknown> = { accept: {}, escalate: { unitId: 'ft', reason: 'r' }, handle: { summary: 's' }, reply: { text: 't', via: 'sms' }, callback: { score: 3 }, reopen: { reason: 'r' }, close: {} }[name]!;
      expectProblem(await admin.post(`/v1/complaints/${body.id}/${name}`, { stepId: uid('s'), occurredAt: ago(DAY), ...fields, ...over }), 400, [path]);
    });
  });

  it('when a step names a unit that does not exist, then 422 naming unitId; a malformed case id, 400', async () => {
    const body = await file();
    await expectNothingStored(async () => {
      expectProblem(await step(body.id, 'accept', { occurredAt: ago(DAY), unitId: 'nowhere' }), 422, ['unitId']);
      expectProblem(await step(body.id, 'escalate', { occurredAt: ago(DAY), unitId: 'nowhere', reason: 'r' }), 422, ['unitId']);
      expectProblem(await step('a%20b', 'accept', { occurredAt: ago(DAY) }), 400, ['id']);
      expectProblem(await admin.get('/v1/complaints/a%20b'), 400, ['id']);
    });
  });

  it('when a step comes without a token, from a terminal or reader, a client without cases:write, or a client outside the responsible unit, then 401 / 403; after an escalation the unit left behind may step no more', async () => {
    const body = await file({ unitId: 'ft-xm', occurredAt: ago(10 * DAY) });
    const accept = { stepId: uid('s'), occurredAt: ago(9 * DAY) };
    await expectNothingStored(async () => {
      expectProblem(await sys.client().post(`/v1/complaints/${body.id}/accept`, accept), 401);
      for (const who of ['terminal', 'analyst', 'leaderFt']) expectProblem(await as(who).post(`/v1/complaints/${body.id}/accept`, accept), 403);
      for (const who of ['hotline', 'hotlineFt', 'visits', 'deskNs']) expectProblem(await as(who).post(`/v1/complaints/${body.id}/accept`, accept), 403);
    });
    // A client of the unit above covers it.
    expect((await as('deskFt').post(`/v1/complaints/${body.id}/accept`, accept)).body.status).toBe('done');
    const escalate = { stepId: uid('s'), occurredAt: ago(8 * DAY), unitId: 'ns-yh', reason: '转南山' };
    expect((await as('deskFtXm').post(`/v1/complaints/${body.id}/escalate`, escalate)).body.status).toBe('done');
    // Now at ns-yh: Futian's clients may take no further step, but a retry of their own escalation is a duplicate.
    expectProblem(await as('deskFtXm').post(`/v1/complaints/${body.id}/handle`, { stepId: uid('s'), occurredAt: ago(7 * DAY), summary: 's' }), 403);
    expect((await as('deskFtXm').post(`/v1/complaints/${body.id}/escalate`, escalate)).body).toMatchObject({ status: 'duplicate', state: 'accepted' });
    expect((await as('deskNs').post(`/v1/complaints/${body.id}/handle`, { stepId: uid('s'), occurredAt: ago(7 * DAY), summary: 's' })).body.status).toBe('done');
    const actors = (await eventsOf(body.id)).map((e) => e.metadata.actor);
    expect(actors).toEqual(['admin', 'client:c-deskFt', 'client:c-deskFtXm', 'client:c-deskNs']);
  });
});

// ---------------------------------------------------------------------------------------------
describe('reading a complaint', () => {
  it('when the admin, a reader or a client reads a complaint, then those allowed see it — the contact only the admin and clients with cases:write covering it — and the others 401 / 403', async () => {
    const body = await file({ unitId: 'ft-xm' });
    const url = `/v1/complaints/${body.id}`;
    for (const who of ['desk', 'deskFt', 'deskFtXm']) {
      const r = await as(who).get(url);
      expect({ who, status: r.status, contact: r.body.contact, erased: r.body.contactErased }).toEqual({ who, status: 200, contact: body.contact, erased: false });
    }
    expect((await admin.get(url)).body.contact).toEqual(body.contact);
    for (const who of ['analyst', 'leaderFt']) {
      const r = await as(who).get(url);
      expect({ who, status: r.status, text: r.body.text }).toEqual({ who, status: 200, text: body.text });
      expect(r.body).not.toHaveProperty('contact');
      expect(r.body).not.toHaveProperty('contactErased');
    }
    expectProblem(await sys.client().get(url), 401);
    for (const who of ['leaderNs', 'deskNs', 'hotline', 'hotlineFt', 'visits', 'terminal']) expectProblem(await as(who).get(url), 403);
    // After an escalation to Nanshan, the reading follows the responsible unit.
    expect((await step(body.id, 'escalate', { occurredAt: ago(DAY), unitId: 'ns-yh', reason: '转南山' })).status).toBe(200);
    expect((await as('leaderNs').get(url)).status).toBe(200);
    expect((await as('deskNs').get(url)).body.contact).toEqual(body.contact);
    expectProblem(await as('leaderFt').get(url), 403);
    expectProblem(await as('deskFtXm').get(url), 403);
  });

  it('when the contact’s phone number is erased, then the complaint shows contact null, contactErased true, and the rest unchanged', async () => {
    const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const body = await file({ contact: { name: '李先生', phone } });
    const before = (await admin.get(`/v1/complaints/${body.id}`)).body;
    const erased = await admin.post('/v1/personal-data/erase', { phone });
    expect({ status: erased.status, body: erased.body }).toEqual({ status: 200, body: { erased: 1 } });
    const after = (await admin.get(`/v1/complaints/${body.id}`)).body;
    expect(after).toEqual({ ...before, contact: null, contactErased: true });
    expect((await as('analyst').get(`/v1/complaints/${body.id}`)).body).not.toHaveProperty('contactErased');
  });
});

// ---------------------------------------------------------------------------------------------
describe('the description', () => {
  it('when /docs-json is read, then each complaint step is its own operation with its body schema and body limit, beside the filing and the GET', async () => {
    const paths = (await sys.client().get('/docs-json')).body.paths;
    expect(paths['/v1/complaints'].post.requestBody.content['application/json'].schema.required).toEqual(['id', 'unitId', 'channel', 'category', 'text', 'occurredAt']);
    expect(paths['/v1/complaints/{id}'].get).toBeDefined();
    const limits: Record<string, number> = { accept: 16, escalate: 64, handle: 64, reply: 64, callback: 16, reopen: 64, close: 16 };
    for (const [name, kib] of Object.entries(limits)) {
      const op = paths[`/v1/complaints/{id}/${name}`]?.post;
      expect({ name, limit: op?.['x-body-limit']?.bytes }).toEqual({ name, limit: kib * 1024 });
      const schema = op.requestBody.content['application/json'].schema;
      expect(schema).toMatchObject({ additionalProperties: false, required: expect.arrayContaining(['stepId', 'occurredAt']) });
      expect(op.description).toMatch(/Allowed from: /);
    }
    expect(paths['/v1/complaints/{id}/escalate'].post.requestBody.content['application/json'].schema.required).toEqual(['stepId', 'occurredAt', 'unitId', 'reason']);
    expect(Object.keys(paths).filter((p) => p.startsWith('/v1/complaints/{id}/')).sort()).toEqual(Object.keys(limits).map((n) => `/v1/complaints/{id}/${n}`).sort());
  });
});
