// Survey results and the surveys channel over HTTP, against an independent model written from API.md alone (below:
// it imports nothing of minyi's): random responses by token and by client, valid and not, every question kind,
// blank and non-blank suggestions; then the results, /v1/satisfaction channel surveys and /v1/rankings, and the
// same figures after both rebuilds of both read models.
import { randomUUID } from 'node:crypto';
import { EventStore } from '@minyi/event-store';
import type { ProjectionDeps } from '@minyi/messaging';
import { SATISFACTION_SOURCES } from '@minyi/minyi';
import { rebuildProjection, satisfactionProjection } from '@minyi/projector';
import { surveyResultsProjection } from '@minyi/surveys';
import { mulberry32, startTestSystem, type ApiClient, type ApiResponse, type TestSystem } from '@minyi/testing';

let sys: TestSystem;
let admin: ApiClient;
const tokens: Record<string, string> = {};
const as = (who: string) => sys.client(tokens[who]);

async function ok(p: Promise<ApiResponse>): Promise<any> {
  const r = await p;
  if (r.status >= 300) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const OPTIONS = ['经费装备', '惠警励警', '绩效评估', '住房'];
const QUESTIONS = [
  { id: 'sat', kind: 'level5', text: '总体满意度', required: true, satisfaction: true },
  { id: 'safe', kind: 'level5', text: '安全感', satisfaction: true },
  { id: 'plain', kind: 'level5', text: '服务态度' },
  { id: 'nps', kind: 'nps', text: '推荐意愿', required: true },
  { id: 'area', kind: 'single', text: '最需改进', options: OPTIONS },
  { id: 'care', kind: 'multi', text: '关爱措施', options: OPTIONS },
  { id: 'idea', kind: 'text', text: '意见建议' },
  { id: 'more', kind: 'text', text: '其他' },
] as const;

// ---------------------------------------------------------------------------------------------
// The model, from API.md "Surveys" and "Satisfaction" alone.

type Sent = { answers: Record<string, unknown>; submittedAt: string };
const blank = (s: string) => s.replace(/[\s\u3000]/g, '') === '';

function expectedResults(responses: Sent[], invited: number, targetSize: number | null) {
  const valid = responses.filter((r) => QUESTIONS.every((q) => !('required' in q && q.required) || q.id in r.answers));
  const questions = QUESTIONS.map((q) => {
    const given = valid.map((r) => r.answers[q.id]).filter((v) => v !== undefined);
    const n = given.length;
    if (q.kind === 'text') return { id: q.id, kind: q.kind, n };
    if (q.kind === 'single' || q.kind === 'multi') {
      const counts = Object.fromEntries(OPTIONS.map((o) => [o, given.filter((v) => (Array.isArray(v) ? v.includes(o) : v === o)).length]));
      return { id: q.id, kind: q.kind, n, counts };
    }
    const keys = q.kind === 'level5' ? [1, 2, 3, 4, 5] : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const counts = Object.fromEntries(keys.map((k) => [String(k), given.filter((v) => v === k).length]));
    const mean = n ? (given as number[]).reduce((a, b) => a + b, 0) / n : null;
    if (q.kind === 'level5') return { id: q.id, kind: q.kind, n, counts, mean, satisfactionRate: n ? (counts['3'] + counts['4'] + counts['5']) / n : null };
    const promoters = counts['9'] + counts['10'];
    const detractors = [0, 1, 2, 3, 4, 5, 6].reduce((a, k) => a + counts[String(k)], 0);
    return { id: q.id, kind: q.kind, n, counts, mean, nps: n ? (100 * (promoters - detractors)) / n : null };
  });
  const suggestions = valid.reduce((a, r) => a + ['idea', 'more'].filter((k) => typeof r.answers[k] === 'string' && !blank(r.answers[k] as string)).length, 0);
  const participationRate = invited > 0 ? responses.length / invited : targetSize !== null ? responses.length / targetSize : null;
  return { invited, responded: responses.length, valid: valid.length, participationRate, suggestions, questions };
}

/** Level counts of the satisfaction questions of valid responses, per month of submittedAt in Shanghai (UTC+8). */
function expectedMonths(responses: Sent[]): Map<string, number[]> {
  const months = new Map<string, number[]>();
  for (const r of responses) {
    if (!QUESTIONS.every((q) => !('required' in q && q.required) || q.id in r.answers)) continue;
    const month = new Date(Date.parse(r.submittedAt) + 8 * 3_600_000).toISOString().slice(0, 7);
    const levels = months.get(month) ?? [0, 0, 0, 0, 0];
    for (const id of ['sat', 'safe']) if (typeof r.answers[id] === 'number') levels[(r.answers[id] as number) - 1] += 1;
    months.set(month, levels);
  }
  return months;
}

// ---------------------------------------------------------------------------------------------

const close = (x: number | null | undefined, y: number | null | undefined) => (x === null || y === null ? x === y : Math.abs((x as number) - (y as number)) < 1e-9);
function expectResults(actual: any, expected: ReturnType<typeof expectedResults>) {
  const { questions, participationRate, ...rest } = expected;
  expect(actual).toMatchObject(rest);
  expect(close(actual.participationRate, participationRate)).toBe(true);
  expect(actual.questions.map((q: any) => [q.id, q.kind, q.n, q.counts])).toEqual(questions.map((q: any) => [q.id, q.kind, q.n, q.counts]));
  for (const [i, q] of questions.entries()) {
    for (const k of ['mean', 'satisfactionRate', 'nps'] as const) {
      if (k in q) expect({ q: q.id, k, ok: close(actual.questions[i][k], (q as any)[k]) }).toEqual({ q: q.id, k, ok: true });
      else expect(actual.questions[i][k]).toBeUndefined();
    }
  }
}

const DAY = 86_400_000;
let surveyId: string;
const sent: Sent[] = [];
let invited = 0;

beforeAll(async () => {
  sys = await startTestSystem();
  admin = sys.admin;
  for (const u of [
    { id: 'hn', name: '省厅', parentId: null, kind: 'bureau' },
    { id: 'cs', name: '长沙市公安局', parentId: 'hn', kind: 'bureau' },
    { id: 'zz', name: '株洲市公安局', parentId: 'hn', kind: 'bureau' },
  ]) {
    await ok(admin.post('/v1/units', u));
  }
  tokens.kiosk = (await ok(admin.post('/v1/clients', { id: 'kiosk', name: 'kiosk', scopes: ['surveys:write'] }))).token;
  tokens.analyst = (await ok(admin.post('/v1/readers', { id: 'analyst', role: 'analyst' }))).token;
  tokens.leaderCs = (await ok(admin.post('/v1/readers', { id: 'l-cs', role: 'leader', unitId: 'cs' }))).token;
  tokens.leaderZz = (await ok(admin.post('/v1/readers', { id: 'l-zz', role: 'leader', unitId: 'zz' }))).token;

  surveyId = `s-${randomUUID()}`;
  await ok(admin.post('/v1/surveys', { id: surveyId, unitId: 'cs', title: '群众安全感满意度调查', audience: 'residents', anonymous: true, targetSize: 500, questions: QUESTIONS }));
  await ok(admin.post(`/v1/surveys/${surveyId}/publish`, {}));
  const issued: string[] = [];
  for (const [id, count] of [['a', 120], ['b', 80]] as const) {
    issued.push(...(await ok(admin.post(`/v1/surveys/${surveyId}/invitations`, { id, count }))).tokens);
    invited += count;
  }
  const random = mulberry32(13);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const bodies = Array.from({ length: 260 }, () => {
    const answers: Record<string, unknown> = {};
    if (random() < 0.9) answers.sat = 1 + Math.floor(random() * 5);
    if (random() < 0.7) answers.safe = 1 + Math.floor(random() * 5);
    if (random() < 0.5) answers.plain = 1 + Math.floor(random() * 5);
    if (random() < 0.92) answers.nps = Math.floor(random() * 11);
    if (random() < 0.6) answers.area = pick(OPTIONS);
    if (random() < 0.5) answers.care = OPTIONS.filter(() => random() < 0.5).concat([pick(OPTIONS)]).filter((o, i, all) => all.indexOf(o) === i);
    if (random() < 0.6) answers.idea = random() < 0.25 ? pick([' ', '\u3000', ' \n\t ']) : `建议 ${Math.floor(random() * 1e6)} 😀`;
    if (random() < 0.2) answers.more = random() < 0.5 ? '  ' : '多巡逻';
    const submittedAt = new Date(Date.now() - Math.floor(random() * 80 * DAY) - 60_000).toISOString();
    return { answers, submittedAt };
  });
  // 170 of the 200 tokens used (several at once), the rest by the kiosk.
  for (let i = 0; i < bodies.length; i += 20) {
    await Promise.all(
      bodies.slice(i, i + 20).map(async (b, k) => {
        const token = i + k < 170 ? issued[i + k] : undefined;
        const r = await (token ? sys.client() : as('kiosk')).post(`/v1/surveys/${surveyId}/responses`, { id: randomUUID(), token, ...b });
        if (r.status !== 202) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
        sent.push(b);
      }),
    );
  }
  await sys.settled();
}, 180_000);
afterAll(() => sys?.close());

const satisfactionMonths = async (channel: string) => {
  const from = new Date(Date.now() - 100 * DAY).toISOString().slice(0, 10);
  const to = new Date(Date.now() + DAY).toISOString().slice(0, 10);
  const body = await ok(admin.get(`/v1/satisfaction?scope=unit:hn&granularity=month&from=${from}&to=${to}&channel=${channel}`));
  return new Map<string, number[]>((body.series as any[]).filter((e) => e.n > 0).map((e) => [e.period, [1, 2, 3, 4, 5].map((l) => e.levels[String(l)])]));
};

it('when 260 random responses came in by token and by client, then the results equal the model’s', async () => {
  const r = await ok(admin.get(`/v1/surveys/${surveyId}/results`));
  expect(r).toMatchObject({ id: surveyId, status: 'open' });
  expectResults(r, expectedResults(sent, invited, 500));
  expect(r.valid).toBeLessThan(r.responded);
  expect(r.suggestions).toBeGreaterThan(0);
});

it('when the satisfaction questions are counted, then /v1/satisfaction channel surveys holds exactly the valid responses’ satisfaction answers per month, and ratings none', async () => {
  const expected = expectedMonths(sent);
  expect(await satisfactionMonths('surveys')).toEqual(expected);
  expect(await satisfactionMonths('all')).toEqual(expected);
  expect((await satisfactionMonths('ratings')).size).toBe(0);
  const month = [...expected.keys()].sort().at(-1)!;
  const levels = expected.get(month)!;
  const n = levels.reduce((a, b) => a + b, 0);
  const ranking = await ok(admin.get(`/v1/rankings?parentId=hn&of=units&granularity=month&period=${month}&channel=surveys&metric=satisfactionRate`));
  expect(ranking.items).toEqual([expect.objectContaining({ rank: 1, id: 'cs', n })]);
  expect(close(ranking.items[0].value, (levels[2] + levels[3] + levels[4]) / n)).toBe(true);
  expect(ranking.insufficient).toEqual([expect.objectContaining({ id: 'zz', n: 0 })]);
});

it('when both read models are rebuilt (bulk and apply), then the results and satisfaction are the same as live', async () => {
  const results = await ok(admin.get(`/v1/surveys/${surveyId}/results`));
  const months = await satisfactionMonths('surveys');
  const deps: ProjectionDeps = { pool: sys.db.pools.owner, store: new EventStore(sys.db.pools.owner), timeZone: sys.config.timeZone, satisfactionSources: SATISFACTION_SOURCES, config: {} };
  for (const method of ['bulk', 'apply'] as const) {
    const rebuilt = await rebuildProjection(satisfactionProjection, deps, { method });
    // The bulk step took the list-valued source in SQL (it did not decline to applying every event).
    expect({ method: rebuilt.method, declined: rebuilt.declined }).toEqual({ method, declined: false });
    await rebuildProjection(surveyResultsProjection, deps, { method });
    await sys.settled();
    expect(await ok(admin.get(`/v1/surveys/${surveyId}/results`))).toEqual(results);
    expect(await satisfactionMonths('surveys')).toEqual(months);
  }
});

it('when the results are read, then the admin, an analyst and a leader covering the unit may; another leader, a client and nobody may not; unknown is 404', async () => {
  expect((await as('analyst').get(`/v1/surveys/${surveyId}/results`)).status).toBe(200);
  expect((await as('leaderCs').get(`/v1/surveys/${surveyId}/results`)).status).toBe(200);
  expect((await as('leaderZz').get(`/v1/surveys/${surveyId}/results`)).status).toBe(403);
  expect((await as('kiosk').get(`/v1/surveys/${surveyId}/results`)).status).toBe(403);
  expect((await sys.client().get(`/v1/surveys/${surveyId}/results`)).status).toBe(401);
  expect((await admin.get('/v1/surveys/no-such/results')).status).toBe(404);
});

it('when no invitation was issued, then participation is responded / targetSize (0 before any response), and null without a target', async () => {
  const s = { id: `s-${randomUUID()}`, unitId: 'zz', title: '无邀请', audience: 'enterprises', anonymous: false, targetSize: 40, questions: QUESTIONS };
  await ok(admin.post('/v1/surveys', s));
  const empty = await ok(admin.get(`/v1/surveys/${s.id}/results`));
  expect(empty).toMatchObject({ status: 'draft', invited: 0, responded: 0, valid: 0, participationRate: 0, suggestions: 0 });
  expect(empty.questions.find((q: any) => q.id === 'sat')).toEqual({ id: 'sat', kind: 'level5', n: 0, counts: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 }, mean: null, satisfactionRate: null });
  expect(empty.questions.find((q: any) => q.id === 'nps').nps).toBeNull();
  expect(empty.questions.find((q: any) => q.id === 'area').counts).toEqual(Object.fromEntries(OPTIONS.map((o) => [o, 0])));
  await ok(admin.post(`/v1/surveys/${s.id}/publish`, {}));
  const mine: Sent[] = [];
  for (let i = 0; i < 10; i++) {
    const b = { answers: { sat: 1 + (i % 5), nps: i, idea: i % 3 ? `建议${i}` : ' ' }, submittedAt: new Date().toISOString() };
    await ok(as('kiosk').post(`/v1/surveys/${s.id}/responses`, { id: `r${i}`, ...b }));
    mine.push(b);
  }
  await sys.settled();
  expectResults(await ok(admin.get(`/v1/surveys/${s.id}/results`)), expectedResults(mine, 0, 40));
  const t = { ...s, id: `s-${randomUUID()}`, targetSize: undefined };
  await ok(admin.post('/v1/surveys', t));
  expect((await ok(admin.get(`/v1/surveys/${t.id}/results`))).participationRate).toBeNull();
});
