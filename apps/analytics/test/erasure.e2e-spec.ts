// Erasure leaves every figure as it was (API.md "Personal data"; ARCHITECTURE.md invariant 9): on the all-in-one,
// complaints filed over HTTP with contacts (one phone number in several spellings, others beside it) and walked
// through their steps, window ratings whose bad ones opened follow-ups (one found invalid, which voids its rating),
// then POST /v1/personal-data/erase. Every answer a reader or the admin gets — /v1/rates, /v1/satisfaction per channel,
// /v1/rankings, every ledger page, each case as an analyst reads it, and as the admin reads it apart from the
// contact — is the same JSON before and after; only the erased contacts change. The counts the figures rest on are
// checked against what this file sent, so that "the same" is not "the same nothing".
import { randomUUID } from 'node:crypto';
import { buildOrganisation, SMALL_CITY, startTestSystem, waitFor, type ApiClient, type ApiResponse, type TestSystem } from '@minyi/testing';

const MINUTE = 60_000;
const DAY = 86_400_000;
const TZ_OFFSET_MS = 8 * 3_600_000; // Asia/Shanghai (MINYI_TZ's default): no daylight saving
const PHONE = '13912345678';
/** The same number as callers give it: every one of these is erased with PHONE. */
const SPELLINGS = ['13912345678', '+86 139 1234 5678', '139-1234-5678'];
const OTHER_PHONE = '13800138000';

let sys: TestSystem;
let analyst: ApiClient;
let desk: ApiClient;
let terminals: Record<string, ApiClient>;
const complaintIds: string[] = [];
const followUpIds: string[] = [];
/** What this file sent, for the sanity counts. */
const sent = { complaints: 0, callbacks: 0, ratings: 0, invalid: 0 };

const local = (ms: number) => new Date(ms + TZ_OFFSET_MS).toISOString().slice(0, 19) + '+08:00';
const ago = (ms: number) => local(Date.now() - ms);
const today = () => new Date(Date.now() + TZ_OFFSET_MS).toISOString().slice(0, 10);
const daysAgoDate = (n: number) => new Date(Date.now() - n * DAY + TZ_OFFSET_MS).toISOString().slice(0, 10);

async function ok(p: Promise<ApiResponse>, what: string): Promise<any> {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A complaint filed `daysAgo` days back, walked through `steps` (each a day after the one before). */
async function complaint(unitId: string, daysAgo: number, contact: Record<string, string> | undefined, steps: [string, Record<string, unknown>][]): Promise<string> {
  const id = `cmp-${randomUUID()}`;
  const filedAt = Date.now() - daysAgo * DAY;
  await ok(desk.post('/v1/complaints', { id, unitId, channel: 'hotline', category: '服务态度', text: `投诉 ${id}`, occurredAt: local(filedAt), ...(contact ? { contact } : {}) }), `file ${id}`);
  sent.complaints += 1;
  let k = 0;
  for (const [step, fields] of steps) {
    k += 1;
    await ok(desk.post(`/v1/complaints/${id}/${step}`, { stepId: `s${k}`, occurredAt: local(filedAt + k * DAY * 0.9), ...fields }), `${step} ${id}`);
    if (step === 'callback') sent.callbacks += 1;
  }
  complaintIds.push(id);
  return id;
}

beforeAll(async () => {
  sys = await startTestSystem();
  const built = await buildOrganisation(sys.admin, SMALL_CITY);
  terminals = Object.fromEntries(Object.entries(built.terminalKeys).map(([t, key]) => [t, sys.client(key)]));
  analyst = sys.client((await ok(sys.admin.post('/v1/readers', { id: 'r-analyst', role: 'analyst' }), 'reader')).token);
  desk = sys.client((await ok(sys.admin.post('/v1/clients', { id: 'c-desk', name: '12345 热线', scopes: ['complaints:write', 'cases:write'] }), 'client')).token);

  // Window ratings over the last weeks; the 1s and 2s open follow-ups (the reactor, within seconds).
  const scores = [5, 1, 4, 2, 5, 3, 1, 5, 2, 4, 5, 1];
  const windows = Object.keys(terminals);
  const ratingIds: { id: string; score: number }[] = [];
  const officerOf: Record<string, string> = { 't-ft-xm-w1': 'o-wang', 't-ns-yh-w1': 'o-li' };
  for (const [i, score] of scores.entries()) {
    const id = `r-${randomUUID()}`;
    const terminal = windows[i % windows.length];
    const officerId = i % 3 === 0 ? officerOf[terminal] : undefined;
    await ok(terminals[terminal].post('/v1/ratings', { id, score, occurredAt: ago(i * 2 * DAY + 10 * MINUTE), ...(officerId ? { officerId } : {}) }), `rating ${id}`);
    ratingIds.push({ id, score });
  }
  sent.ratings = scores.length;
  const bad = ratingIds.filter((r) => r.score <= 2);
  await waitFor('the bad ratings’ follow-ups to open', async () => (await Promise.all(bad.map((r) => sys.admin.get(`/v1/followups/${r.id}`)))).every((r) => r.status === 200), 30_000, 100);
  followUpIds.push(...bad.map((r) => r.id));
  // Follow-ups walked: one rectified and called back, one verified then rectified, one found invalid (its rating voided).
  const f = (id: string, step: string, k: number, fields: Record<string, unknown>) => ok(desk.post(`/v1/followups/${id}/${step}`, { stepId: `fs${k}`, occurredAt: ago(Math.max(0, 5 - k) * MINUTE), ...fields }), `${step} ${id}`);
  await f(bad[0].id, 'rectify', 1, { summary: '已约谈窗口人员' });
  await f(bad[0].id, 'callback', 2, { score: 4 });
  await f(bad[1].id, 'verify', 1, { valid: true });
  await f(bad[1].id, 'rectify', 2, { summary: '已整改' });
  await f(bad[2].id, 'verify', 1, { valid: false, reason: '恶意差评，申诉复核成立' });
  sent.invalid = 1;

  // Complaints: three with the phone to be erased (in three spellings), two with another, three without a contact.
  const full: [string, Record<string, unknown>][] = [
    ['accept', { dueInWorkingDays: 5 }],
    ['handle', { summary: '已处理' }],
    ['reply', { text: '已电话答复', via: 'phone' }],
    ['callback', { score: 5 }],
  ];
  await complaint('ft-xm', 30, { name: '王小明', phone: SPELLINGS[0] }, full);
  await complaint('ns-yh', 25, { phone: SPELLINGS[1] }, [['accept', { dueInWorkingDays: 3 }], ['handle', { summary: '已处理' }], ['reply', { text: '短信答复', via: 'sms' }], ['callback', { score: 2 }], ['reopen', { reason: '不满意' }]]);
  await complaint('ft-xm', 12, { name: '王先生', phone: SPELLINGS[2] }, [['escalate', { unitId: 'ns', reason: '转南山分局', dueInWorkingDays: 2 }]]);
  await complaint('ns-crj', 20, { name: '小红', phone: OTHER_PHONE }, [...full, ['close', { final: true }]]);
  await complaint('ft', 8, { phone: OTHER_PHONE }, [['accept', {}]]);
  await complaint('ft-xm', 40, undefined, [['accept', { dueInWorkingDays: 1 }], ['handle', { summary: '逾期处理' }], ['close', {}]]);
  await complaint('ns-yh', 3, undefined, []);
  await complaint('sz', 15, undefined, [['accept', { unitId: 'ft-xm', dueInWorkingDays: 10 }], ['handle', { summary: '已处理' }], ['reply', { text: '上门答复', via: 'visit' }], ['callback', { score: 3 }]]);
  await sys.settled();
}, 180_000);
afterAll(() => sys?.close());

const UNITS = ['sz', 'ft', 'ns', 'ft-xm', 'ns-yh', 'ns-crj'];

/** Every figure and list a reader can ask for here, and each case as the analyst and (apart from its contact) the admin read it. */
async function everything(): Promise<Record<string, unknown>> {
  const from = daysAgoDate(60);
  const to = today();
  const out: Record<string, unknown> = {};
  const read = async (client: ApiClient, path: string) => {
    const r = await client.get(path);
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
    out[path] = r.body;
    return r.body;
  };
  for (const unit of UNITS) {
    for (const g of ['day', 'week', 'month']) await read(analyst, `/v1/rates?scope=unit:${unit}&granularity=${g}&from=${from}&to=${to}`);
    for (const channel of ['all', 'ratings', 'complaints']) await read(analyst, `/v1/satisfaction?scope=unit:${unit}&granularity=month&from=${from}&to=${to}&channel=${channel}`);
    await read(analyst, `/v1/satisfaction?scope=unit:${unit}&granularity=day&from=${from}&to=${to}`);
  }
  for (const scope of ['window:ft-xm-w1', 'window:ns-yh-w1', 'officer:o-wang', 'officer:o-li']) await read(analyst, `/v1/satisfaction?scope=${scope}&granularity=week&from=${from}&to=${to}`);
  for (const period of [daysAgoDate(30).slice(0, 7), today().slice(0, 7)]) {
    for (const ofWhat of ['units', 'windows', 'officers']) {
      for (const channel of ['all', 'complaints']) await read(analyst, `/v1/rankings?parentId=sz&of=${ofWhat}&granularity=month&period=${period}&channel=${channel}`);
    }
    await read(analyst, `/v1/rankings?parentId=ns&of=units&granularity=month&period=${period}&metric=satisfactionRate`);
  }
  const ledgers: [string, string][] = [
    ['complaints', 'scope=unit:sz'],
    ['complaints', 'scope=unit:ns'],
    ['complaints', 'scope=unit:sz&overdue=true'],
    ['complaints', 'scope=unit:sz&state=calledBack'],
    ['complaints', `scope=unit:ft&from=${daysAgoDate(35)}&to=${daysAgoDate(10)}`],
    ['followups', 'scope=unit:sz'],
    ['followups', 'scope=unit:sz&state=invalid'],
  ];
  for (const [kind, q] of ledgers) {
    // Walked page by page (2 a page, so that cursors are part of what must not change).
    let cursor: string | null = null;
    do {
      const page: { nextCursor: string | null } = await read(analyst, `/v1/${kind}?${q}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      cursor = page.nextCursor;
    } while (cursor);
  }
  for (const id of complaintIds) {
    await read(analyst, `/v1/complaints/${id}`);
    const { contact: _contact, contactErased: _erased, ...rest } = await ok(sys.admin.get(`/v1/complaints/${id}`), id);
    out[`admin /v1/complaints/${id} without the contact`] = rest;
  }
  for (const id of followUpIds) await read(analyst, `/v1/followups/${id}`);
  return out;
}

it('when a phone number is erased, then every figure, ledger page and case reads the same JSON as before, and only its contacts read as erased', async () => {
  const before = await everything();
  // What the figures rest on is what was sent: every complaint filed, every callback counted in the complaints
  // channel, every rating but the voided one in the ratings channel, the follow-up found invalid counted apart.
  const months = (path: string) => (before[path] as { series: any[] }).series;
  const from = daysAgoDate(60);
  const to = today();
  const rates = months(`/v1/rates?scope=unit:sz&granularity=month&from=${from}&to=${to}`);
  const sum = (xs: number[]) => xs.reduce((a, n) => a + n, 0);
  expect(sum(rates.map((p) => p.complaints.filed))).toBe(sent.complaints);
  expect(sum(rates.map((p) => p.followups.invalid))).toBe(sent.invalid);
  expect(sum(rates.map((p) => p.followups.opened))).toBe(followUpIds.length - sent.invalid);
  expect(sum(months(`/v1/satisfaction?scope=unit:sz&granularity=month&from=${from}&to=${to}&channel=complaints`).map((p) => p.n))).toBe(sent.callbacks);
  expect(sum(months(`/v1/satisfaction?scope=unit:sz&granularity=month&from=${from}&to=${to}&channel=ratings`).map((p) => p.n))).toBe(sent.ratings - sent.invalid);
  expect(Object.keys(before).length).toBeGreaterThan(90);

  const erased = await sys.admin.post('/v1/personal-data/erase', { phone: '+86 139-1234-5678' });
  expect({ status: erased.status, body: erased.body }).toEqual({ status: 200, body: { erased: SPELLINGS.length } });
  await sys.settled();
  const after = await everything();
  expect(after).toEqual(before);

  // Only the contacts changed: the three with the erased number are gone for good, the others read as filed.
  const contacts = await Promise.all(complaintIds.map(async (id) => (await ok(sys.admin.get(`/v1/complaints/${id}`), id)) as { contact: { phone?: string } | null; contactErased: boolean }));
  expect(contacts.map((c) => ({ phone: c.contact?.phone ?? null, erased: c.contactErased }))).toEqual([
    { phone: null, erased: true },
    { phone: null, erased: true },
    { phone: null, erased: true },
    { phone: OTHER_PHONE, erased: false },
    { phone: OTHER_PHONE, erased: false },
    { phone: null, erased: false },
    { phone: null, erased: false },
    { phone: null, erased: false },
  ]);
  expect((await sys.admin.post('/v1/personal-data/erase', { phone: PHONE })).body).toEqual({ erased: 0 });
  expect(await everything()).toEqual(before);
});

it('when an erased complaint takes further steps, then it moves on and is counted exactly as one never erased', async () => {
  // Two twins filed alike, one with the number erased above: the same steps give them the same status.
  const twin = async (phone: string) => complaint('ft-xm', 6, { phone }, [['accept', { dueInWorkingDays: 5 }]]);
  const a = await twin(PHONE);
  const b = await twin('13700000000');
  expect((await sys.admin.post('/v1/personal-data/erase', { phone: PHONE })).body).toEqual({ erased: 1 });
  for (const id of [a, b]) {
    for (const [k, [step, fields]] of ([
      ['handle', { summary: '已处理' }],
      ['reply', { text: '已答复', via: 'app' }],
      ['callback', { score: 4 }],
    ] as [string, Record<string, unknown>][]).entries()) {
      const r = await desk.post(`/v1/complaints/${id}/${step}`, { stepId: `later${k}`, occurredAt: ago((3 - k) * MINUTE), ...fields });
      expect({ id, step, status: r.status, state: r.body.state }).toEqual({ id, step, status: 200, state: { handle: 'handled', reply: 'replied', callback: 'calledBack' }[step] });
    }
  }
  await sys.settled();
  const [ra, rb] = await Promise.all([a, b].map((id) => ok(analyst.get(`/v1/complaints/${id}`), id)));
  const status = (c: any) => ({ state: c.state, responsibleUnitId: c.responsibleUnitId, dueAt: c.dueAt, overdue: c.overdue, steps: c.steps.map((s: any) => s.step) });
  expect(status(ra)).toEqual(status(rb));
  expect(status(ra)).toMatchObject({ state: 'calledBack', steps: ['accept', 'handle', 'reply', 'callback'] });
  expect((await ok(sys.admin.get(`/v1/complaints/${a}`), a)).contactErased).toBe(true);
});
