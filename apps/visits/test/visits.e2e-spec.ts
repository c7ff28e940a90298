// Visits, opinions, disputes and hazards over HTTP against the running all-in-one (API.md "Visits", "Opinions and
// suggestions", "Disputes and hazards", "Rates", "Ledgers", "Personal data", channel visits): filing and its
// refusals, who may file, the closed loop of an opinion, the verbatim text (a test per hard case, read back from
// every read and from the log), the visits group of /v1/rates, the satisfaction channel, erasure, /docs.
import { randomUUID } from 'node:crypto';
import { startTestSystem, type ApiClient, type ApiResponse, type TestSystem } from '@minyi/testing';

let sys: TestSystem;
let admin: ApiClient;
const tokens: Record<string, string> = {};
const as = (who: string) => sys.client(tokens[who]);

const UNITS = [
  { id: 'bt', name: '包头市公安局', parentId: null, kind: 'bureau' },
  { id: 'bt-kdl', name: '昆都仑区分局', parentId: 'bt', kind: 'branch' },
  { id: 'bt-kdl-ss', name: '少先路派出所', parentId: 'bt-kdl', kind: 'station' },
  { id: 'bt-qs', name: '青山区分局', parentId: 'bt', kind: 'branch' },
  { id: 'bt-qs-xf', name: '幸福路派出所', parentId: 'bt-qs', kind: 'station' },
];

async function ok(p: Promise<ApiResponse>): Promise<any> {
  const r = await p;
  if (r.status >= 300) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

beforeAll(async () => {
  sys = await startTestSystem();
  admin = sys.admin;
  for (const u of UNITS) await ok(admin.post('/v1/units', u));
  await ok(admin.post('/v1/officers', { id: 'o-ss-1', unitId: 'bt-kdl-ss', name: '楼长民警 张伟' }));
  await ok(admin.post('/v1/officers', { id: 'o-qs-1', unitId: 'bt-qs-xf', name: '楼长民警 王芳' }));
  tokens.analyst = (await ok(admin.post('/v1/readers', { id: 'r-analyst', role: 'analyst' }))).token;
  tokens.leaderQs = (await ok(admin.post('/v1/readers', { id: 'r-qs', role: 'leader', unitId: 'bt-qs' }))).token;
  const clients: [string, string[], string | undefined][] = [
    ['phone', ['visits:write'], undefined],
    ['phoneKdl', ['visits:write'], 'bt-kdl'],
    ['hotline', ['complaints:write'], undefined],
    ['desk', ['cases:write'], undefined],
    ['deskQs', ['cases:write'], 'bt-qs'],
  ];
  for (const [name, scopes, unitId] of clients) tokens[name] = (await ok(admin.post('/v1/clients', { id: `c-${name}`, name, scopes, unitId }))).token;
}, 120_000);
afterAll(() => sys?.close());

const MINUTE = 60_000;
const DAY = 86_400_000;
const uid = (p: string) => `${p}-${randomUUID()}`;
function shanghai(ms: number): string {
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}
const ago = (ms: number) => shanghai(Date.now() - ms);

function expectProblem(r: ApiResponse, status: number, path?: string): void {
  expect({ status: r.status, type: r.headers.get('content-type') }).toEqual({ status, type: expect.stringMatching(/^application\/problem\+json/) });
  if (path) expect(r.body.errors?.map((e: { path: string }) => e.path)).toContain(path);
}

const visit = (over: Record<string, unknown> = {}): Record<string, any> => ({ id: uid('v'), unitId: 'bt-kdl-ss', officerId: 'o-ss-1', occurredAt: ago(DAY), target: { kind: 'household', ref: 'ss-12-3-501' }, ...over });
const opinion = (over: Record<string, unknown> = {}): Record<string, any> => ({ id: uid('op'), unitId: 'bt-kdl-ss', source: 'visit', category: '养犬管理', text: '小区流浪犬扰民', occurredAt: ago(DAY), ...over });

async function eventsOf(streamId: string): Promise<{ type: string; data: any }[]> {
  const { rows } = await sys.db.pools.owner.query('SELECT type, data FROM events WHERE stream_id = $1 ORDER BY stream_version', [streamId]);
  return rows;
}

describe('visits', () => {
  it('when a visit is recorded, then 202; the same again 200 duplicate; other content under its id 409', async () => {
    const body = visit({ meeting: { level: 'building', attendees: 12 }, notes: '  楼栋恳谈  ' });
    expect(await as('phone').post('/v1/visits', body)).toMatchObject({ status: 202, body: { id: body.id, status: 'accepted' } });
    // The same instant spelt in UTC is the same visit.
    const again = { ...body, occurredAt: new Date(Date.parse(body.occurredAt)).toISOString() };
    expect(await as('phoneKdl').post('/v1/visits', again)).toMatchObject({ status: 200, body: { id: body.id, status: 'duplicate' } });
    expectProblem(await as('phone').post('/v1/visits', { ...body, notes: '另一次' }), 409);
    const [e] = await eventsOf(`visit-${body.id}`);
    expect(e).toEqual({ type: 'VisitRecorded', data: { visitId: body.id, unitId: 'bt-kdl-ss', officerId: 'o-ss-1', target: body.target, meeting: body.meeting, notes: '  楼栋恳谈  ' } });
  });

  it('when the officer is unknown or of an unrelated unit, then 422 naming officerId; one above the unit is accepted', async () => {
    expectProblem(await as('phone').post('/v1/visits', visit({ officerId: 'o-nobody' })), 422, 'officerId');
    expectProblem(await as('phone').post('/v1/visits', visit({ officerId: 'o-qs-1' })), 422, 'officerId');
    expect((await as('phone').post('/v1/visits', visit({ unitId: 'bt-kdl', officerId: 'o-ss-1' }))).status).toBe(202);
  });

  it('when occurredAt is over 365 days old or over 5 minutes ahead, then 422; nothing is stored', async () => {
    const old = visit({ occurredAt: ago(366 * DAY) });
    expectProblem(await as('phone').post('/v1/visits', old), 422, 'occurredAt');
    expectProblem(await as('phone').post('/v1/visits', visit({ occurredAt: shanghai(Date.now() + 6 * MINUTE) })), 422, 'occurredAt');
    expect(await eventsOf(`visit-${old.id}`)).toEqual([]);
  });

  it('when the caller lacks visits:write, or its unit does not cover the visit’s, then 403; an unknown unit 422; bad fields 400', async () => {
    expectProblem(await as('hotline').post('/v1/visits', visit()), 403);
    expectProblem(await as('analyst').post('/v1/visits', visit()), 403);
    expectProblem(await as('phoneKdl').post('/v1/visits', visit({ unitId: 'bt-qs-xf', officerId: 'o-qs-1' })), 403);
    expectProblem(await as('phone').post('/v1/visits', visit({ unitId: 'nowhere', officerId: undefined })), 422, 'unitId');
    expectProblem(await as('phone').post('/v1/visits', visit({ target: { kind: 'castle' } })), 400, 'target.kind');
    expectProblem(await as('phone').post('/v1/visits', visit({ target: { kind: 'household', ref: '' } })), 400, 'target.ref');
    expectProblem(await as('phone').post('/v1/visits', visit({ meeting: { level: 'station', attendees: -1 } })), 400, 'meeting.attendees');
    expectProblem(await as('phone').post('/v1/visits', visit({ notes: 'x'.repeat(5001) })), 400, 'notes');
    expectProblem(await as('phone').post('/v1/visits', { ...visit(), extra: 1 }), 400, 'extra');
  });
});

describe('an opinion’s closed loop', () => {
  const step = (id: string, name: string, body: Record<string, unknown>, who = 'desk') => as(who).post(`/v1/opinions/${id}/${name}`, { stepId: uid('s'), ...body });

  it('when a client sends source survey, then 400 naming source; an unknown visitId 422; a recorded one is accepted', async () => {
    expectProblem(await as('phone').post('/v1/opinions', opinion({ source: 'survey' })), 400, 'source');
    expectProblem(await as('phone').post('/v1/opinions', opinion({ visitId: 'v-never' })), 422, 'visitId');
    const v = visit();
    await ok(as('phone').post('/v1/visits', v));
    const o = opinion({ visitId: v.id });
    expect(await as('phone').post('/v1/opinions', o)).toMatchObject({ status: 202, body: { id: o.id, status: 'accepted' } });
    expect(await as('phone').post('/v1/opinions', o)).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    expectProblem(await as('phone').post('/v1/opinions', { ...o, text: '另一条' }), 409);
    expectProblem(await as('hotline').post('/v1/opinions', opinion()), 403);
  });

  it('when assigned, explained, replied, rated, reopened and rectified late, then GET shows every step and the state; illegal steps 409', async () => {
    const o = opinion({ occurredAt: ago(40 * DAY) });
    await ok(as('phone').post('/v1/opinions', o));
    expect((await step(o.id, 'reply', { occurredAt: ago(39 * DAY), text: 'x', via: 'phone' })).status).toBe(409);
    expect(await step(o.id, 'assign', { occurredAt: ago(39 * DAY), unitId: 'bt-qs-xf', dueInWorkingDays: 5 })).toMatchObject({ status: 200, body: { status: 'done', state: 'assigned' } });
    // The responsible unit moved to Qingshan: Kundulun's desk may not step it any more, Qingshan's may.
    expectProblem(await as('phoneKdl').post(`/v1/opinions/${o.id}/explain`, { stepId: uid('s'), occurredAt: ago(38 * DAY), text: 'x' }), 403);
    expect(await step(o.id, 'explain', { occurredAt: ago(38 * DAY), text: '涉及法律规定，无法办理' }, 'deskQs')).toMatchObject({ status: 200, body: { state: 'explained' } });
    expect((await step(o.id, 'rate', { occurredAt: ago(37 * DAY), score: 5 })).status).toBe(409);
    await ok(step(o.id, 'reply', { occurredAt: ago(37 * DAY), text: '已当面解释', via: 'visit' }));
    await ok(step(o.id, 'rate', { occurredAt: ago(36 * DAY), score: 2 }));
    await ok(step(o.id, 'reopen', { occurredAt: ago(35 * DAY), reason: '群众不认可' }));
    const r = await step(o.id, 'rectify', { occurredAt: ago(DAY), summary: '已落实整改' });
    expect(r.body.state).toBe('rectified');
    const got = await admin.get(`/v1/opinions/${o.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: o.id, unitId: 'bt-kdl-ss', source: 'visit', visitId: null, text: o.text, category: '养犬管理', state: 'rectified', responsibleUnitId: 'bt-qs-xf', overdue: false, contact: null, contactErased: false });
    expect(got.body.steps.map((s: { step: string }) => s.step)).toEqual(['assign', 'explain', 'reply', 'rate', 'reopen', 'rectify']);
    expect(got.body.dueAt).toMatch(/\+08:00$/);
    expect((await as('leaderQs').get(`/v1/opinions/${o.id}`)).status).toBe(200);
    expect((await as('leaderQs').get(`/v1/opinions/${o.id}`)).body).not.toHaveProperty('contact');
  });

  it('when the contact’s phone is erased, then the opinion shows contact null, contactErased true, the rest and every figure unchanged', async () => {
    const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const o = opinion({ unitId: 'bt-qs-xf', contact: { name: '刘女士', phone } });
    await ok(as('phone').post('/v1/opinions', o));
    await ok(step(o.id, 'rectify', { occurredAt: ago(DAY - MINUTE), summary: '立行立改' }));
    await ok(step(o.id, 'reply', { occurredAt: ago(DAY - 2 * MINUTE), text: '已反馈', via: 'phone' }));
    await ok(step(o.id, 'rate', { occurredAt: ago(DAY - 3 * MINUTE), score: 5 }));
    await sys.settled();
    const day = ago(DAY).slice(0, 10);
    const figures = async () => [
      (await as('analyst').get(`/v1/rates?scope=unit:bt-qs&granularity=day&from=${day}&to=${day}`)).body,
      (await as('analyst').get(`/v1/satisfaction?scope=unit:bt-qs&granularity=day&from=${day}&to=${day}&channel=visits`)).body,
      (await as('analyst').get(`/v1/opinions?scope=unit:bt-qs&from=${day}&to=${day}`)).body,
    ];
    const before = await figures();
    const caseBefore = (await admin.get(`/v1/opinions/${o.id}`)).body;
    expect(caseBefore.contact).toEqual(o.contact);
    expect(JSON.stringify(await eventsOf(`opinion-${o.id}`))).not.toContain(phone);
    expect(await admin.post('/v1/personal-data/erase', { phone })).toMatchObject({ status: 200, body: { erased: 1 } });
    expect((await admin.get(`/v1/opinions/${o.id}`)).body).toEqual({ ...caseBefore, contact: null, contactErased: true });
    await sys.settled();
    expect(await figures()).toEqual(before);
    expect(await admin.post('/v1/personal-data/erase', { phone })).toMatchObject({ status: 200, body: { erased: 0 } });
  });
});

describe('verbatim text (原汁原味)', () => {
  const NFD = 'Cafe\u0301 re\u0301sume\u0301 — 한국어 \u1112\u1161\u11ab';
  const HARD: [string, string][] = [
    ['NFD stays NFD', NFD],
    ['CRLF, CR and LF are kept as sent', '第一行\r\n第二行\r第三行\n第四行\r\n\r\n'],
    ['5000 emoji (each one character, two UTF-16 units)', '🐕'.repeat(4999) + '👮'],
    ['leading and trailing spaces, tabs and ideographic spaces', '  \t　 流浪犬扰民 　\t  '],
    ['zero-width characters and a BOM', '\u200b律师\u200c会见\u200d难\u2060\ufeff'],
    ['combining marks, a variation selector and a flag', '👨‍👩‍👧 ❤️ 🇨🇳 e\u0308\u0323'],
    ['only whitespace', ' \r\n '],
  ];

  it.each(HARD)('when an opinion’s text is %s, then GET, the ledger and the log give back the very string', async (_name, text) => {
    expect(NFD.normalize('NFC')).not.toBe(NFD);
    const o = opinion({ id: uid('vb'), text, unitId: 'bt-qs-xf', occurredAt: ago(2 * DAY) });
    expect((await as('phone').post('/v1/opinions', o)).status).toBe(202);
    const got = await admin.get(`/v1/opinions/${o.id}`);
    expect(got.body.text === text).toBe(true);
    expect(got.body.text.length).toBe(text.length);
    const [filed] = await eventsOf(`opinion-${o.id}`);
    expect(filed.data.fields.text === text).toBe(true);
    // And in the text column itself, byte for byte.
    const { rows } = await sys.db.pools.owner.query(`SELECT data -> 'fields' ->> 'text' AS text FROM events WHERE stream_id = $1`, [`opinion-${o.id}`]);
    expect(Buffer.from(rows[0].text, 'utf8').equals(Buffer.from(text, 'utf8'))).toBe(true);
    await sys.settled();
    const day = ago(2 * DAY).slice(0, 10);
    let item: { text: string } | undefined;
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page: ApiResponse = await as('analyst').get(`/v1/opinions?scope=unit:bt-qs-xf&from=${day}&to=${day}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      item = item ?? page.body.items.find((i: { id: string }) => i.id === o.id);
      cursor = page.body.nextCursor;
    }
    expect(item?.text === text).toBe(true);
  });

  it('when the text is 5001 emoji, or empty, then 400 naming text; 5000 characters of 3-byte CJK is accepted', async () => {
    expectProblem(await as('phone').post('/v1/opinions', opinion({ text: '🐕'.repeat(5001) })), 400, 'text');
    expectProblem(await as('phone').post('/v1/opinions', opinion({ text: '' })), 400, 'text');
    expectProblem(await as('phone').post('/v1/opinions', opinion({ text: 'a\u0000b' })), 400, 'text');
    expectProblem(await as('phone').post('/v1/opinions', opinion({ text: 'a\ud800b' })), 400, 'text');
    expect((await as('phone').post('/v1/opinions', opinion({ text: '民'.repeat(5000) }))).status).toBe(202);
  });

  it('when 5000 emoji are sent as \\u escapes of surrogate pairs, then the body fits its limit and the text comes back whole', async () => {
    const o = opinion({ text: '😀'.repeat(5000), category: '🐕'.repeat(64), contact: { name: '🐕'.repeat(64), phone: '1'.repeat(32) } });
    const raw = JSON.stringify(o).replace(/[\u{10000}-\u{10FFFF}]/gu, (c) => `\\u${c.charCodeAt(0).toString(16)}\\u${c.charCodeAt(1).toString(16)}`);
    const r = await fetch(`${sys.url}/v1/opinions`, { method: 'POST', headers: { authorization: `Bearer ${tokens.phone}`, 'content-type': 'application/json' }, body: raw });
    expect(r.status).toBe(202);
    expect((await admin.get(`/v1/opinions/${o.id}`)).body.text).toBe(o.text);
  });
});

describe('disputes and hazards', () => {
  it('when a dispute is found and resolved, then GET shows it; resolving again is 409; it has no reopen', async () => {
    const v = visit();
    await ok(as('phone').post('/v1/visits', v));
    const d = { id: uid('d'), unitId: 'bt-kdl-ss', kind: '邻里纠纷', occurredAt: ago(DAY), visitId: v.id, summary: '楼上漏水' };
    expect(await as('phone').post('/v1/disputes', d)).toMatchObject({ status: 202, body: { status: 'accepted' } });
    expect(await as('phone').post('/v1/disputes', d)).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    expectProblem(await as('phone').post('/v1/disputes', { ...d, id: uid('d'), visitId: 'v-none' }), 422, 'visitId');
    expect(await as('desk').post(`/v1/disputes/${d.id}/resolve`, { stepId: 's1', occurredAt: ago(DAY - MINUTE), summary: '调解成功' })).toMatchObject({ status: 200, body: { state: 'resolved' } });
    expectProblem(await as('desk').post(`/v1/disputes/${d.id}/resolve`, { stepId: 's2', occurredAt: ago(DAY - MINUTE), summary: '再次' }), 409);
    expect((await as('desk').post(`/v1/disputes/${d.id}/reopen`, { stepId: 's3', occurredAt: ago(0), reason: 'x' })).status).toBe(404);
    expect((await as('analyst').get(`/v1/disputes/${d.id}`)).body).toMatchObject({ id: d.id, category: '邻里纠纷', visitId: v.id, summary: '楼上漏水', state: 'resolved', dueAt: null, overdue: false });
  });

  it('when a hazard is found and rectified, then GET shows it with its location', async () => {
    const h = { id: uid('h'), unitId: 'bt-qs-xf', kind: '消防通道堵塞', occurredAt: ago(DAY), location: '幸福路 8 号楼北侧' };
    expect((await as('phone').post('/v1/hazards', h)).status).toBe(202);
    expectProblem(await as('phone').post('/v1/hazards', { ...h, id: uid('h'), location: 'x'.repeat(257) }), 400, 'location');
    expect(await as('deskQs').post(`/v1/hazards/${h.id}/rectify`, { stepId: 's1', occurredAt: ago(DAY - MINUTE), summary: '已清理' })).toMatchObject({ status: 200, body: { state: 'rectified' } });
    expect((await as('leaderQs').get(`/v1/hazards/${h.id}`)).body).toMatchObject({ id: h.id, category: '消防通道堵塞', location: h.location, state: 'rectified' });
  });
});

describe('the read side', () => {
  // A unit of its own so the figures are exactly these items.
  const ROOT = 'bt-fig';
  beforeAll(async () => {
    await ok(admin.post('/v1/units', { id: ROOT, name: '九原区分局', parentId: 'bt', kind: 'branch' }));
    await ok(admin.post('/v1/units', { id: `${ROOT}-a`, name: '沙河派出所', parentId: ROOT, kind: 'station' }));
    await ok(admin.post('/v1/units', { id: `${ROOT}-b`, name: '赛汗派出所', parentId: ROOT, kind: 'station' }));
  });
  const at = shanghai(Date.parse('2026-11-20T10:00:00Z') > Date.now() ? Date.now() - 3 * DAY : Date.parse('2026-11-20T10:00:00Z'));
  const day = at.slice(0, 10);
  const rates = async (scope: string) => (await as('analyst').get(`/v1/rates?scope=unit:${scope}&granularity=day&from=${day}&to=${day}`)).body.series[0];

  it('when household visits repeat a ref, then households counts distinct refs plus each visit without one, per unit and rolled up; meetings and attendees add up', async () => {
    const vs = [
      { unitId: `${ROOT}-a`, target: { kind: 'household', ref: 'h1' } },
      { unitId: `${ROOT}-a`, target: { kind: 'household', ref: 'h1' } },
      { unitId: `${ROOT}-a`, target: { kind: 'household', ref: 'h2' } },
      { unitId: `${ROOT}-b`, target: { kind: 'household', ref: 'h1' } },
      { unitId: `${ROOT}-b`, target: { kind: 'household' } },
      { unitId: `${ROOT}-b`, target: { kind: 'household', ref: null } },
      { unitId: `${ROOT}-b`, target: { kind: 'enterprise', ref: 'h3' } },
      { unitId: `${ROOT}-b`, target: { kind: 'community' }, meeting: { level: 'station', attendees: 30 } },
      { unitId: ROOT, target: { kind: 'other' }, meeting: { level: 'branch', attendees: 7 } },
    ];
    await Promise.all(vs.map((v) => ok(as('phone').post('/v1/visits', { id: uid('vf'), occurredAt: at, ...v }))));
    await sys.settled();
    expect((await rates(`${ROOT}-a`)).visits).toEqual({ visits: 3, households: 2, meetings: 0, attendees: 0 });
    expect((await rates(`${ROOT}-b`)).visits).toEqual({ visits: 5, households: 3, meetings: 1, attendees: 30 });
    // h1 at both stations is one household of the branch.
    expect((await rates(ROOT)).visits).toEqual({ visits: 9, households: 4, meetings: 2, attendees: 37 });
  });

  it('when opinions, disputes and hazards are filed and handled, then their groups count exactly them; the rating counts in channel visits', async () => {
    const file = async (path: string, body: Record<string, unknown>) => ok(as('phone').post(path, { id: uid(path.slice(4, 6)), occurredAt: at, ...body }));
    const stepAt = (minutes: number) => shanghai(Date.parse(at) + minutes * MINUTE);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await file('/v1/opinions', { unitId: `${ROOT}-a`, source: 'meeting', category: '律师会见难', text: `意见 ${i}` })).id);
    const s = (id: string, name: string, minutes: number, body: Record<string, unknown>) => ok(as('desk').post(`/v1/opinions/${id}/${name}`, { stepId: uid('s'), occurredAt: stepAt(minutes), ...body }));
    await s(ids[0], 'rectify', 1, { summary: '立行立改' }); // on the spot: on time
    await s(ids[0], 'reply', 2, { text: '已反馈', via: 'phone' });
    await s(ids[0], 'rate', 3, { score: 5 });
    await s(ids[1], 'assign', 1, { unitId: `${ROOT}-b` }); // moves to b
    await s(ids[1], 'explain', 2, { text: '暂无法解决' });
    await s(ids[1], 'reply', 3, { text: '已解释', via: 'visit' });
    await s(ids[1], 'rate', 4, { score: 2 });
    await s(ids[2], 'explain', 1, { text: '不符合规定' });
    await s(ids[2], 'reopen', 2, { reason: '重新办理' });
    await s(ids[2], 'rectify', 3, { summary: '已整改' }); // latest handling step: rectify
    await s(ids[3], 'assign', 1, { unitId: `${ROOT}-a` });
    const d1 = await file('/v1/disputes', { unitId: `${ROOT}-a`, kind: '邻里纠纷' });
    await file('/v1/disputes', { unitId: `${ROOT}-b`, kind: '家庭纠纷' });
    await ok(as('desk').post(`/v1/disputes/${d1.id}/resolve`, { stepId: 's', occurredAt: stepAt(5), summary: '化解' }));
    const h1 = await file('/v1/hazards', { unitId: `${ROOT}-b`, kind: '消防隐患' });
    await ok(as('desk').post(`/v1/hazards/${h1.id}/rectify`, { stepId: 's', occurredAt: stepAt(5), summary: '整改' }));
    await sys.settled();
    const root = await rates(ROOT);
    expect(root.opinions).toEqual({ collected: 6, rectified: 2, explained: 1, handled: 3, onTime: 3, replied: 2, rated: 2, overdue: 0, rectificationRate: 2 / 6, handlingRate: 3 / 6, replyRate: 2 / 6, onTimeRate: 1 });
    expect((await rates(`${ROOT}-a`)).opinions).toMatchObject({ collected: 5, rectified: 2, explained: 0, handled: 2 });
    expect((await rates(`${ROOT}-b`)).opinions).toMatchObject({ collected: 1, explained: 1, handled: 1, rated: 1 });
    expect(root.disputes).toEqual({ found: 2, resolved: 1, resolutionRate: 0.5 });
    expect(root.hazards).toEqual({ found: 1, rectified: 1, rectificationRate: 1 });
    // Each rating at the responsible unit as it was: 5 at a, 2 at b.
    const sat = async (scope: string, channel: string) => (await as('analyst').get(`/v1/satisfaction?scope=unit:${scope}&granularity=day&from=${day}&to=${day}&channel=${channel}`)).body.series[0];
    expect((await sat(ROOT, 'visits')).levels).toEqual({ '1': 0, '2': 1, '3': 0, '4': 0, '5': 1 });
    expect((await sat(`${ROOT}-b`, 'visits')).n).toBe(1);
    expect((await sat(ROOT, 'all')).n).toBe(2);
    expect((await sat(ROOT, 'ratings')).n).toBe(0);
    const period = day;
    const ranking = (await as('analyst').get(`/v1/rankings?parentId=${ROOT}&of=units&granularity=day&period=${period}&channel=visits`)).body;
    expect(ranking.items.map((i: { id: string; n: number; value: number }) => [i.id, i.n])).toEqual([
      [`${ROOT}-a`, 1],
      [`${ROOT}-b`, 1],
    ]);
    // The ledgers: opinions with their text, disputes and hazards with their kind as category.
    const ledger = async (plural: string) => (await as('analyst').get(`/v1/${plural}?scope=unit:${ROOT}&from=${day}&to=${day}`)).body.items;
    expect((await ledger('opinions')).map((i: { text: string }) => i.text).sort()).toEqual([0, 1, 2, 3, 4, 5].map((i) => `意见 ${i}`));
    expect((await ledger('disputes')).map((i: { kind: string; state: string }) => [i.kind, i.state]).sort()).toEqual([
      ['家庭纠纷', 'found'],
      ['邻里纠纷', 'resolved'],
    ]);
    expect((await ledger('hazards'))[0]).toMatchObject({ kind: '消防隐患', state: 'rectified', dueAt: null, overdue: false });
    expect((await ledger('hazards'))[0]).not.toHaveProperty('text');
  });

  it('when a period has nothing, then every group is in the entry with zeros and null rates', async () => {
    const r = await as('analyst').get(`/v1/rates?scope=unit:${ROOT}&granularity=year&from=2001-01-01&to=2001-12-31`);
    expect(r.body.series).toEqual([
      expect.objectContaining({
        period: '2001',
        opinions: { collected: 0, rectified: 0, explained: 0, handled: 0, onTime: 0, replied: 0, rated: 0, overdue: 0, rectificationRate: null, handlingRate: null, replyRate: null, onTimeRate: null },
        disputes: { found: 0, resolved: 0, resolutionRate: null },
        hazards: { found: 0, rectified: 0, rectificationRate: null },
        visits: { visits: 0, households: 0, meetings: 0, attendees: 0 },
      }),
    ]);
  });
});

describe('the description', () => {
  it('when /docs-json is read, then every visits route is an operation with its body schema and body limit', async () => {
    const paths = (await sys.client().get('/docs-json')).body.paths;
    const limits: Record<string, number> = {
      '/v1/visits': 64,
      '/v1/opinions': 64,
      '/v1/disputes': 64,
      '/v1/hazards': 16,
      '/v1/opinions/{id}/assign': 16,
      '/v1/opinions/{id}/rectify': 64,
      '/v1/opinions/{id}/explain': 64,
      '/v1/opinions/{id}/reply': 64,
      '/v1/opinions/{id}/rate': 16,
      '/v1/opinions/{id}/reopen': 64,
      '/v1/disputes/{id}/resolve': 64,
      '/v1/hazards/{id}/rectify': 64,
    };
    for (const [path, kib] of Object.entries(limits)) {
      const op = paths[path]?.post;
      expect({ path, limit: op?.['x-body-limit']?.bytes }).toEqual({ path, limit: kib * 1024 });
      expect(op.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
    }
    for (const p of ['/v1/opinions/{id}', '/v1/disputes/{id}', '/v1/hazards/{id}', '/v1/opinions', '/v1/disputes', '/v1/hazards']) expect(paths[p].get).toBeDefined();
    expect(paths['/v1/opinions'].post.requestBody.content['application/json'].schema.properties.source.enum).not.toContain('survey');
  });
});
