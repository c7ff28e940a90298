// Surveys over HTTP (API.md "Surveys", "Credentials", "Conventions", "Limits"): definitions of every question kind and
// their validation, publish and close, invitations (tokens shown once, single-use, 20 racing submissions of one
// token letting exactly one in), responses by token and by client with every refusal storing nothing, validity,
// duplicates.
import { randomUUID } from 'node:crypto';
import { startTestSystem, type ApiClient, type ApiResponse, type TestSystem } from '@minyi/testing';

let sys: TestSystem;
let admin: ApiClient;
let anonymous: ApiClient;
const tokens: Record<string, string> = {};
const as = (who: string) => sys.client(tokens[who]);

beforeAll(async () => {
  sys = await startTestSystem();
  admin = sys.admin;
  anonymous = sys.client();
  for (const u of [
    { id: 'cs', name: '长沙市公安局', parentId: null, kind: 'bureau' },
    { id: 'cs-kf', name: '开福分局', parentId: 'cs', kind: 'branch' },
    { id: 'cs-yl', name: '岳麓分局', parentId: 'cs', kind: 'branch' },
  ]) {
    await ok(admin.post('/v1/units', u));
  }
  tokens.kiosk = (await ok(admin.post('/v1/clients', { id: 'kiosk', name: 'kiosk', scopes: ['surveys:write'] }))).token;
  tokens.kioskKf = (await ok(admin.post('/v1/clients', { id: 'kiosk-kf', name: 'kiosk kf', scopes: ['surveys:write'], unitId: 'cs-kf' }))).token;
  tokens.kioskYl = (await ok(admin.post('/v1/clients', { id: 'kiosk-yl', name: 'kiosk yl', scopes: ['surveys:write'], unitId: 'cs-yl' }))).token;
  tokens.visits = (await ok(admin.post('/v1/clients', { id: 'visits', name: 'visits', scopes: ['visits:write'] }))).token;
  tokens.analyst = (await ok(admin.post('/v1/readers', { id: 'analyst', role: 'analyst' }))).token;
}, 120_000);
afterAll(() => sys?.close());

async function ok(p: Promise<ApiResponse>): Promise<any> {
  const r = await p;
  if (r.status >= 300) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const now = () => new Date().toISOString();
const QUESTIONS = [
  { id: 'sat', kind: 'level5', text: '您对本单位的总体满意度', required: true, satisfaction: true },
  { id: 'gear', kind: 'level5', text: '经费装备保障', satisfaction: true },
  { id: 'nps', kind: 'nps', text: '您向同事推荐本单位的可能性' },
  { id: 'area', kind: 'single', text: '最需改进的方面', options: ['经费装备', '惠警励警', '绩效评估'] },
  { id: 'care', kind: 'multi', text: '您希望的关爱措施', options: ['住房', '体检', '子女入学', '心理辅导'] },
  { id: 'idea', kind: 'text', text: '意见建议' },
];
const survey = (over: Record<string, unknown> = {}) => ({ id: `s-${randomUUID()}`, unitId: 'cs-kf', title: '警意调查', audience: 'staff', anonymous: true, questions: QUESTIONS, ...over });

async function openSurvey(over: Record<string, unknown> = {}): Promise<string> {
  const s = survey(over);
  await ok(admin.post('/v1/surveys', s));
  await ok(admin.post(`/v1/surveys/${s.id}/publish`, {}));
  return s.id;
}

async function invite(surveyId: string, count: number): Promise<string[]> {
  return (await ok(admin.post(`/v1/surveys/${surveyId}/invitations`, { id: `inv-${randomUUID()}`, count }))).tokens;
}

const answers = { sat: 4, gear: 2, nps: 9, area: '经费装备', care: ['住房', '体检'], idea: '建议增加基层警力。' };

/** Events a request could have stored (the suggestion reactor keeps filing the opinions of earlier responses meanwhile). */
async function eventCount(): Promise<number> {
  const { rows } = await sys.db.pools.owner.query<{ n: string }>(`SELECT count(*)::text AS n FROM events WHERE type <> 'OpinionCollected'`);
  return Number(rows[0].n);
}

/** The request is refused with `status` (naming `path` when given) and nothing is stored. */
async function refused(request: () => Promise<ApiResponse>, status: number, path?: string): Promise<ApiResponse> {
  const before = await eventCount();
  const r = await request();
  expect({ status: r.status, body: r.body }).toMatchObject({ status, body: { status } });
  expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
  if (path) expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  expect(await eventCount()).toBe(before);
  return r;
}

describe('definitions', () => {
  it('when a survey of every question kind is defined, then it is a draft; the same again is a duplicate, other content 409', async () => {
    const s = survey();
    expect(await admin.post('/v1/surveys', s)).toMatchObject({ status: 201, body: { id: s.id, status: 'draft' } });
    expect(await admin.post('/v1/surveys', s)).toMatchObject({ status: 200, body: { id: s.id, status: 'duplicate' } });
    // Defaults spelled out are the same definition.
    const spelled = { ...s, questions: QUESTIONS.map((q) => ({ required: false, ...q })) };
    expect((await admin.post('/v1/surveys', spelled)).status).toBe(200);
    await refused(() => admin.post('/v1/surveys', { ...s, title: '另一个' }), 409);
  });

  it.each([
    ['no questions', 'questions', { questions: [] }],
    ['101 questions', 'questions', { questions: Array.from({ length: 101 }, (_, i) => ({ id: `q${i}`, kind: 'text', text: 't' })) }],
    ['an unknown kind', 'questions.0.kind', { questions: [{ id: 'q', kind: 'stars', text: 't' }] }],
    ['a repeated question id', 'questions.1.id', { questions: [{ id: 'q', kind: 'text', text: 't' }, { id: 'q', kind: 'nps', text: 'u' }] }],
    ['a malformed question id', 'questions.0.id', { questions: [{ id: 'q 1', kind: 'text', text: 't' }] }],
    ['a single question without options', 'questions.0.options', { questions: [{ id: 'q', kind: 'single', text: 't' }] }],
    ['a multi question with one option', 'questions.0.options', { questions: [{ id: 'q', kind: 'multi', text: 't', options: ['a'] }] }],
    ['51 options', 'questions.0.options', { questions: [{ id: 'q', kind: 'single', text: 't', options: Array.from({ length: 51 }, (_, i) => `o${i}`) }] }],
    ['options twice the same', 'questions.0.options', { questions: [{ id: 'q', kind: 'multi', text: 't', options: ['a', 'a'] }] }],
    ['options on a level5 question', 'questions.0.options', { questions: [{ id: 'q', kind: 'level5', text: 't', options: ['a', 'b'] }] }],
    ['options on a text question', 'questions.0.options', { questions: [{ id: 'q', kind: 'text', text: 't', options: ['a', 'b'] }] }],
    ['satisfaction on an nps question', 'questions.0.satisfaction', { questions: [{ id: 'q', kind: 'nps', text: 't', satisfaction: true }] }],
    ['satisfaction on a single question', 'questions.0.satisfaction', { questions: [{ id: 'q', kind: 'single', text: 't', options: ['a', 'b'], satisfaction: true }] }],
    ['an empty question text', 'questions.0.text', { questions: [{ id: 'q', kind: 'text', text: '' }] }],
    ['a NUL in a question text', 'questions.0.text', { questions: [{ id: 'q', kind: 'text', text: 'a\u0000b' }] }],
    ['an unknown audience', 'audience', { audience: 'tourists' }],
    ['anonymous missing', 'anonymous', { anonymous: undefined }],
    ['targetSize 0', 'targetSize', { targetSize: 0 }],
    ['an unknown field', 'colour', { colour: 'red' }],
    ['a question with an unknown field', 'questions.0.weight', { questions: [{ id: 'q', kind: 'text', text: 't', weight: 2 }] }],
  ])('when a definition has %s, then 400 names %s and nothing is stored', async (_what, path, over) => {
    await refused(() => admin.post('/v1/surveys', survey(over)), 400, path);
  });

  it('when the unit does not exist, then 422 names unitId; a client or reader may not define', async () => {
    await refused(() => admin.post('/v1/surveys', survey({ unitId: 'nowhere' })), 422, 'unitId');
    await refused(() => as('kiosk').post('/v1/surveys', survey()), 403);
    await refused(() => as('analyst').post('/v1/surveys', survey()), 403);
    await refused(() => anonymous.post('/v1/surveys', survey()), 401);
  });

  it('when a survey is published and closed, then each again is a duplicate, a closed one is never published again, an unknown one is 404', async () => {
    const s = survey();
    await ok(admin.post('/v1/surveys', s));
    expect(await admin.post(`/v1/surveys/${s.id}/publish`, {})).toMatchObject({ status: 200, body: { id: s.id, status: 'open' } });
    expect(await admin.post(`/v1/surveys/${s.id}/publish`, {})).toMatchObject({ status: 200, body: { id: s.id, status: 'duplicate' } });
    expect(await admin.post(`/v1/surveys/${s.id}/close`, {})).toMatchObject({ status: 200, body: { id: s.id, status: 'closed' } });
    expect(await admin.post(`/v1/surveys/${s.id}/close`, {})).toMatchObject({ status: 200, body: { id: s.id, status: 'duplicate' } });
    await refused(() => admin.post(`/v1/surveys/${s.id}/publish`, {}), 409);
    await refused(() => admin.post('/v1/surveys/no-such/publish', {}), 404);
    await refused(() => admin.post('/v1/surveys/no-such/close', {}), 404);
    await refused(() => admin.post(`/v1/surveys/${s.id}/close`, { now: true }), 400);
    await refused(() => as('kiosk').post(`/v1/surveys/${s.id}/close`, {}), 403);
    // A published survey never changes.
    await refused(() => admin.post('/v1/surveys', { ...s, questions: QUESTIONS.slice(1) }), 409);
  });
});

describe('invitations', () => {
  it('when invitations are issued, then that many distinct tokens are answered once; the same id again is a duplicate without tokens, another count 409', async () => {
    const s = survey();
    await ok(admin.post('/v1/surveys', s));
    const r = await admin.post(`/v1/surveys/${s.id}/invitations`, { id: 'inv-1', count: 25 });
    expect(r.status).toBe(201);
    expect(r.body.id).toBe('inv-1');
    expect(new Set(r.body.tokens).size).toBe(25);
    expect(await admin.post(`/v1/surveys/${s.id}/invitations`, { id: 'inv-1', count: 25 })).toMatchObject({ status: 200, body: { id: 'inv-1', status: 'duplicate' } });
    expect((await admin.post(`/v1/surveys/${s.id}/invitations`, { id: 'inv-1', count: 25 })).body.tokens).toBeUndefined();
    await refused(() => admin.post(`/v1/surveys/${s.id}/invitations`, { id: 'inv-1', count: 26 }), 409);
    // No token is stored in plain.
    const { rows } = await sys.db.pools.owner.query<{ n: string }>(`SELECT count(*)::text AS n FROM events WHERE data::text LIKE '%' || $1 || '%'`, [r.body.tokens[0].slice(-32)]);
    expect(rows[0].n).toBe('0');
  });

  it.each([
    ['count 0', 'count', { id: 'i', count: 0 }],
    ['count 10001', 'count', { id: 'i', count: 10001 }],
    ['count 1.5', 'count', { id: 'i', count: 1.5 }],
    ['no id', 'id', { count: 3 }],
  ])('when an invitation has %s, then 400 names %s', async (_what, path, body) => {
    const s = survey();
    await ok(admin.post('/v1/surveys', s));
    await refused(() => admin.post(`/v1/surveys/${s.id}/invitations`, body), 400, path);
  });

  it('when the survey is closed or unknown, then 409 and 404; only the admin issues', async () => {
    const id = await openSurvey();
    await ok(admin.post(`/v1/surveys/${id}/close`, {}));
    await refused(() => admin.post(`/v1/surveys/${id}/invitations`, { id: 'late', count: 3 }), 409);
    await refused(() => admin.post('/v1/surveys/no-such/invitations', { id: 'x', count: 3 }), 404);
    await refused(() => as('kiosk').post(`/v1/surveys/${id}/invitations`, { id: 'x', count: 3 }), 403);
  });

  it('when 10000 tokens are issued at once, then all of them let a response in (checked on a sample)', async () => {
    const id = await openSurvey();
    const all = await invite(id, 10_000);
    expect(new Set(all).size).toBe(10_000);
    for (const t of [all[0], all[999], all[1000], all[5555], all[9999]]) {
      expect((await anonymous.post(`/v1/surveys/${id}/responses`, { id: randomUUID(), token: t, answers, submittedAt: now() })).status).toBe(202);
    }
  }, 60_000);
});

describe('responses', () => {
  it('when a respondent answers by token without Authorization, then 202 valid; the token is then used (409); the same response again is a duplicate', async () => {
    const id = await openSurvey();
    const [t] = await invite(id, 1);
    const body = { id: randomUUID(), token: t, answers, submittedAt: now() };
    expect(await anonymous.post(`/v1/surveys/${id}/responses`, body)).toMatchObject({ status: 202, body: { id: body.id, status: 'accepted', valid: true } });
    expect(await anonymous.post(`/v1/surveys/${id}/responses`, body)).toMatchObject({ status: 200, body: { id: body.id, status: 'duplicate', valid: true } });
    await refused(() => anonymous.post(`/v1/surveys/${id}/responses`, { ...body, id: randomUUID() }), 409);
    await refused(() => anonymous.post(`/v1/surveys/${id}/responses`, { ...body, answers: { ...answers, sat: 5 } }), 409);
  });

  it('when a required answer is missing, then it is stored with valid: false', async () => {
    const id = await openSurvey();
    const [t] = await invite(id, 1);
    const { sat: _sat, ...rest } = answers;
    expect(await anonymous.post(`/v1/surveys/${id}/responses`, { id: randomUUID(), token: t, answers: rest, submittedAt: now() })).toMatchObject({ status: 202, body: { valid: false } });
    expect(await as('kiosk').post(`/v1/surveys/${id}/responses`, { id: randomUUID(), answers: {}, submittedAt: now() })).toMatchObject({ status: 202, body: { valid: false } });
  });

  it('when 20 submissions of one token race, then exactly one is accepted and the others are 409', async () => {
    const id = await openSurvey();
    const [t] = await invite(id, 1);
    const before = await eventCount();
    const results = await Promise.all(Array.from({ length: 20 }, () => anonymous.post(`/v1/surveys/${id}/responses`, { id: randomUUID(), token: t, answers, submittedAt: now() })));
    expect(results.map((r) => r.status).sort()).toEqual([202, ...Array(19).fill(409)]);
    // One token use and one response.
    expect(await eventCount()).toBe(before + 2);
  });

  it('when the token is unknown, of another survey, malformed or used, then 403 or 409 and nothing is stored', async () => {
    const id = await openSurvey();
    const other = await openSurvey();
    const [t] = await invite(id, 1);
    const [elsewhere] = await invite(other, 1);
    const submit = (token: string) => () => anonymous.post(`/v1/surveys/${id}/responses`, { id: randomUUID(), token, answers, submittedAt: now() });
    await refused(submit(elsewhere), 403);
    await refused(submit(`${t.slice(0, -4)}AAAA`), 403);
    await refused(submit('not-a-token'), 403);
    await refused(submit('x'.repeat(257)), 400, 'token');
    await ok(submit(t)());
    await refused(submit(t), 409);
  });

  it('when the survey is a draft, closed or unknown, then 409 and 404', async () => {
    const s = survey();
    await ok(admin.post('/v1/surveys', s));
    const [t] = await invite(s.id, 2);
    await refused(() => anonymous.post(`/v1/surveys/${s.id}/responses`, { id: randomUUID(), token: t, answers, submittedAt: now() }), 409);
    await ok(admin.post(`/v1/surveys/${s.id}/publish`, {}));
    await ok(admin.post(`/v1/surveys/${s.id}/close`, {}));
    await refused(() => anonymous.post(`/v1/surveys/${s.id}/responses`, { id: randomUUID(), token: t, answers, submittedAt: now() }), 409);
    await refused(() => as('kiosk').post(`/v1/surveys/${s.id}/responses`, { id: randomUUID(), answers, submittedAt: now() }), 409);
    await refused(() => anonymous.post('/v1/surveys/no-such/responses', { id: randomUUID(), token: t, answers, submittedAt: now() }), 404);
  });

  it('when a client answers without a token, then it needs surveys:write covering the survey’s unit; nobody at all is 401', async () => {
    const id = await openSurvey();
    const body = () => ({ id: randomUUID(), answers, submittedAt: now() });
    expect(await as('kiosk').post(`/v1/surveys/${id}/responses`, body())).toMatchObject({ status: 202, body: { valid: true } });
    expect((await as('kioskKf').post(`/v1/surveys/${id}/responses`, body())).status).toBe(202);
    expect((await admin.post(`/v1/surveys/${id}/responses`, body())).status).toBe(202);
    await refused(() => as('kioskYl').post(`/v1/surveys/${id}/responses`, body()), 403);
    await refused(() => as('visits').post(`/v1/surveys/${id}/responses`, body()), 403);
    await refused(() => as('analyst').post(`/v1/surveys/${id}/responses`, body()), 403);
    await refused(() => anonymous.post(`/v1/surveys/${id}/responses`, body()), 401);
    // A bad bearer is refused before the body, even with a token in it.
    await refused(() => sys.client('nobody-knows-me').post(`/v1/surveys/${id}/responses`, body()), 401);
  });

  it.each([
    ['an unknown question', 'answers.nope', { nope: 3 }],
    ['level5 0', 'answers.sat', { sat: 0 }],
    ['level5 6', 'answers.sat', { sat: 6 }],
    ['level5 3.5', 'answers.sat', { sat: 3.5 }],
    ['level5 as text', 'answers.sat', { sat: '4' }],
    ['nps 11', 'answers.nps', { nps: 11 }],
    ['nps -1', 'answers.nps', { nps: -1 }],
    ['single not an option', 'answers.area', { area: '其他' }],
    ['single as a list', 'answers.area', { area: ['经费装备'] }],
    ['multi empty', 'answers.care', { care: [] }],
    ['multi not an option', 'answers.care', { care: ['住房', '旅游'] }],
    ['multi an option twice', 'answers.care', { care: ['住房', '住房'] }],
    ['multi as a string', 'answers.care', { care: '住房' }],
    ['text empty', 'answers.idea', { idea: '' }],
    ['text 2001 characters', 'answers.idea', { idea: '建'.repeat(2001) }],
    ['text as a number', 'answers.idea', { idea: 5 }],
    ['text with a NUL', 'answers.idea', { idea: 'a\u0000b' }],
    ['text with a lone surrogate', 'answers.idea', { idea: 'a\ud800b' }],
    ['an answer null', 'answers.sat', { sat: null }],
  ])('when an answer is %s, then 400 names %s and nothing is stored (the token stays unused)', async (_what, path, wrong) => {
    const id = await openSurvey();
    const [t] = await invite(id, 1);
    await refused(() => anonymous.post(`/v1/surveys/${id}/responses`, { id: randomUUID(), token: t, answers: { ...answers, ...wrong }, submittedAt: now() }), 400, path);
    expect((await anonymous.post(`/v1/surveys/${id}/responses`, { id: randomUUID(), token: t, answers, submittedAt: now() })).status).toBe(202);
  });

  it('when a text answer is 2000 characters of emoji, then it is accepted', async () => {
    const id = await openSurvey();
    expect((await as('kiosk').post(`/v1/surveys/${id}/responses`, { id: randomUUID(), answers: { ...answers, idea: '😀'.repeat(2000) }, submittedAt: now() })).status).toBe(202);
  });

  it('when submittedAt is too far ahead, too old or malformed, then 422 or 400 naming it; an old paper questionnaire before publication is accepted', async () => {
    const s = survey();
    await ok(admin.post('/v1/surveys', s));
    const [t] = await invite(s.id, 1);
    await ok(admin.post(`/v1/surveys/${s.id}/publish`, {}));
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    const submit = (submittedAt: string) => () => anonymous.post(`/v1/surveys/${s.id}/responses`, { id: randomUUID(), token: t, answers, submittedAt });
    await refused(submit(at(6 * 60_000)), 422, 'submittedAt');
    await refused(submit(at(-366 * 86_400_000)), 422, 'submittedAt');
    await refused(submit('2026-13-01T00:00:00+08:00'), 400, 'submittedAt');
    await refused(submit('2026-01-01T00:00:00'), 400, 'submittedAt');
    expect((await submit(at(-30 * 86_400_000))()).status).toBe(202);
  });

  it('when the body is malformed, then 400 naming the field', async () => {
    const id = await openSurvey();
    await refused(() => as('kiosk').post(`/v1/surveys/${id}/responses`, { answers, submittedAt: now() }), 400, 'id');
    await refused(() => as('kiosk').post(`/v1/surveys/${id}/responses`, { id: 'a b', answers, submittedAt: now() }), 400, 'id');
    await refused(() => as('kiosk').post(`/v1/surveys/${id}/responses`, { id: randomUUID(), submittedAt: now() }), 400, 'answers');
    await refused(() => as('kiosk').post(`/v1/surveys/${id}/responses`, { id: randomUUID(), answers: [], submittedAt: now() }), 400, 'answers');
    await refused(() => as('kiosk').post(`/v1/surveys/${id}/responses`, { id: randomUUID(), answers, submittedAt: now(), extra: 1 }), 400, 'extra');
    await refused(() => as('kiosk').post('/v1/surveys/a%20b/responses', { id: randomUUID(), answers, submittedAt: now() }), 400, 'id');
  });

  it('when a body is over the route’s limit without any credential, then 413 and nothing is stored', async () => {
    const id = await openSurvey();
    await refused(() => anonymous.post(`/v1/surveys/${id}/responses`, JSON.stringify({ id: 'x', token: 'y', answers: { idea: 'a'.repeat(4 * 1024 * 1024) }, submittedAt: now() })), 413);
  });
});

describe('docs', () => {
  it('when /docs-json is read, then every survey route is described with its body limit', async () => {
    const doc = (await ok(sys.client().get('/docs-json'))) as { paths: Record<string, Record<string, { description?: string }>> };
    for (const [path, method] of [['/v1/surveys', 'post'], ['/v1/surveys/{id}/publish', 'post'], ['/v1/surveys/{id}/close', 'post'], ['/v1/surveys/{id}/invitations', 'post'], ['/v1/surveys/{id}/responses', 'post'], ['/v1/surveys/{id}/results', 'get']]) {
      expect({ path, method, described: !!doc.paths[path]?.[method]?.description }).toEqual({ path, method, described: true });
      if (method === 'post') expect(doc.paths[path][method].description).toMatch(/Body limit: /);
    }
    expect(doc.paths['/v1/surveys/{id}/responses'].post.description).toMatch(/Body limit: 4 MiB/);
  });
});
