// Property-based fuzzing of every route's body, query and path parameter (issue 10 item 14), against the running
// all-in-one on real PostgreSQL. For random and mutated requests (valid bodies, then fields dropped, added and
// mistyped, lengths at their limits ±1, huge numbers, NUL, lone surrogates and the rest of Unicode's corners, deep
// nesting, repeated keys, __proto__, bytes that are not UTF-8, odd content types and credentials; malformed, far
// and huge query ranges, repeated and unknown parameters):
//   1. no answer is a 5xx;
//   2. a refused request (4xx) stores nothing — the events table counts the same before and after it (the
//      neighbour's streams, written meanwhile, and events caused by earlier events, such as a bad rating's
//      follow-up, aside), and holds nothing with its correlation id — and
//      answers problem+json whose status is the HTTP status and, for a 400, whose errors name fields of the request
//      (a batch's and an import's items likewise, and only their accepted items are stored, one event each);
//   3. a terminal posting good ratings beside every fuzz request (so that both can share a grouped commit) has
//      each accepted, and each counted exactly once in /v1/satisfaction.
// Seeded: FUZZ_SEED (default below) makes a run again, FUZZ_RUNS (default 200 per route) runs more, FUZZ_PATH (from
// a failure's report, with its FUZZ_SEED and FUZZ_RUNS) replays the shrunk case alone; FUZZ_STATS=1 prints what
// the answers were. A failure names the request as it was sent and the answer.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { buildOrganisation, SMALL_CITY, startTestSystem, TEST_ADMIN_TOKEN, type TestSystem } from '@minyi/testing';
import { countEvents, describeRequest, judge, printable, RequestFailed, send, type Outcome } from './fuzz/harness.js';
import { Neighbour, NEIGHBOUR_WINDOW } from './fuzz/neighbour.js';
import { CASE_ROUTES, type CaseWorld } from './fuzz/case-routes.js';
import { FUZZ_QUESTIONS, SURVEY_ROUTES, type SurveyWorld } from './fuzz/survey-routes.js';
import { ROUTES, type FuzzRequest } from './fuzz/routes.js';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261123;
const RUNS = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 200;
/** fast-check's path of a failing case, to replay exactly that case (with the same FUZZ_SEED). */
const PATH = process.env.FUZZ_PATH;
if (!Number.isSafeInteger(SEED) || !Number.isSafeInteger(RUNS) || RUNS < 1) throw new Error('FUZZ_SEED and FUZZ_RUNS must be whole numbers');

/** FUZZ_STATS=1: print, per route, how many answers had each status (to see what the generators reach). */
const STATS = !!process.env.FUZZ_STATS;
const statuses = new Map<string, number>();

let sys: TestSystem;
let world: CaseWorld & SurveyWorld;
let neighbour: Neighbour;

async function created(r: Promise<{ status: number; body: any }>, what: string): Promise<any> {
  const res = await r;
  if (![200, 201, 202].includes(res.status)) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const hex = (id: string) => Buffer.from(id, 'utf8').toString('hex');

beforeAll(async () => {
  sys = await startTestSystem();
  const admin = sys.admin;
  const { terminalKeys } = await buildOrganisation(admin, SMALL_CITY);
  // The neighbour: its own window and terminal, which no fuzz request names.
  await created(admin.post('/v1/windows', { id: NEIGHBOUR_WINDOW, unitId: 'ns-crj', name: '邻居窗口' }), 'neighbour window');
  const nb = await created(admin.post('/v1/terminals', { id: 'nb-t', windowId: NEIGHBOUR_WINDOW }), 'neighbour terminal');
  neighbour = new Neighbour(sys.client(nb.apiKey));

  const analyst = await created(admin.post('/v1/readers', { id: 'fz-analyst', role: 'analyst' }), 'analyst');
  const leader = await created(admin.post('/v1/readers', { id: 'fz-leader', role: 'leader', unitId: 'ft' }), 'leader');
  const client = await created(admin.post('/v1/clients', { id: 'fz-client', name: '热线', scopes: ['complaints:write'] }), 'client');
  const spareTerminals = ['fz-st-0', 'fz-st-1', 'fz-st-2', 'fz-st-3'];
  const spareReaders = ['fz-sr-0', 'fz-sr-1', 'fz-sr-2', 'fz-sr-3'];
  const spareClients = ['fz-sc-0', 'fz-sc-1', 'fz-sc-2', 'fz-sc-3'];
  const deadTokens: string[] = [];
  for (const id of spareTerminals) {
    const t = await created(admin.post('/v1/terminals', { id, windowId: 'ns-yh-w1' }), id);
    if (id === 'fz-st-3') {
      await created(admin.post(`/v1/terminals/${id}/key`, {}), `${id} new key`);
      deadTokens.push(t.apiKey);
    }
  }
  for (const id of spareReaders) {
    const r = await created(admin.post('/v1/readers', { id, role: 'analyst' }), id);
    if (id === 'fz-sr-3') {
      await created(admin.post(`/v1/readers/${id}/revoke`, {}), `${id} revoked`);
      deadTokens.push(r.token);
    }
  }
  for (const id of spareClients) await created(admin.post('/v1/clients', { id, name: id, scopes: ['cases:write'] }), id);
  deadTokens.push(`mk_${hex('t-ft-xm-w1')}_${'A'.repeat(32)}`, `mr_${hex('fz-analyst')}_${'A'.repeat(32)}`, `mc_${hex('fz-client')}_${'A'.repeat(32)}`, `mk_${hex('nobody')}_${'A'.repeat(32)}`);

  const term = sys.client(terminalKeys['t-ft-xm-w1']);
  const ratings = Array.from({ length: 8 }, (_, i) => `fz-v-${i}`);
  for (const id of ratings) await created(term.post('/v1/ratings', { id, score: 2, occurredAt: new Date(Date.now() - 3_600_000).toISOString() }), id);

  // The case channels: a client that files and steps in every unit, and a few cases of each kind to step on.
  const cases = await created(admin.post('/v1/clients', { id: 'fz-cases', name: '案件', scopes: ['complaints:write', 'visits:write', 'cases:write'] }), 'cases client');
  const caseClient = sys.client(cases.token);
  const earlier = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
  const complaints = Array.from({ length: 6 }, (_, i) => `fz-cc-${i}`);
  for (const id of complaints) await created(caseClient.post('/v1/complaints', { id, unitId: 'ns-yh', channel: 'hotline', category: '窗口服务', text: `投诉 ${id}`, occurredAt: earlier(3), contact: { phone: '13800000000' } }), id);
  const visits = Array.from({ length: 3 }, (_, i) => `fz-vv-${i}`);
  for (const id of visits) await created(caseClient.post('/v1/visits', { id, unitId: 'ns-yh', occurredAt: earlier(3), target: { kind: 'household', ref: id } }), id);
  const opinions = Array.from({ length: 6 }, (_, i) => `fz-oo-${i}`);
  for (const id of opinions) await created(caseClient.post('/v1/opinions', { id, unitId: 'ns-yh', source: 'visit', visitId: visits[0], category: '治安', text: `意见 ${id}`, occurredAt: earlier(3) }), id);
  const disputes = Array.from({ length: 3 }, (_, i) => `fz-dd-${i}`);
  for (const id of disputes) await created(caseClient.post('/v1/disputes', { id, unitId: 'ns-yh', kind: '邻里纠纷', occurredAt: earlier(3) }), id);
  const hazards = Array.from({ length: 3 }, (_, i) => `fz-hh-${i}`);
  for (const id of hazards) await created(caseClient.post('/v1/hazards', { id, unitId: 'ns-yh', kind: '消防', occurredAt: earlier(3) }), id);
  // Surveys: an open one that responses go to (with invitation tokens, each good once), and spares to publish and close.
  const surveys = await created(admin.post('/v1/clients', { id: 'fz-surveys', name: '问卷', scopes: ['surveys:write'] }), 'surveys client');
  await created(admin.post('/v1/surveys', { id: 'fz-sv-open', unitId: 'ns-yh', title: '窗口满意度', audience: 'residents', anonymous: true, questions: FUZZ_QUESTIONS }), 'open survey');
  await created(admin.post('/v1/surveys/fz-sv-open/publish', {}), 'publish');
  const { tokens } = await created(admin.post('/v1/surveys/fz-sv-open/invitations', { id: 'fz-inv-0', count: 300 }), 'invitations');
  const spareSurveys = ['fz-sv-0', 'fz-sv-1', 'fz-sv-2'];
  for (const id of spareSurveys) await created(admin.post('/v1/surveys', { id, unitId: 'ft', title: id, audience: 'staff', anonymous: false, questions: FUZZ_QUESTIONS }), id);
  // The bad ratings above open their follow-ups within seconds.
  await sys.settled();

  world = {
    surveysToken: surveys.token,
    openSurvey: 'fz-sv-open',
    spareSurveys,
    tokens,
    casesToken: cases.token,
    complaints,
    followups: ratings,
    visits,
    opinions,
    disputes,
    hazards,
    adminToken: TEST_ADMIN_TOKEN,
    fuzzTerminalKeys: [terminalKeys['t-ft-xm-w1'], terminalKeys['t-ft-xm-w2']],
    analystToken: analyst.token,
    leaderToken: leader.token,
    clientToken: client.token,
    deadTokens,
    units: SMALL_CITY.units.map((u) => u.id),
    windows: SMALL_CITY.windows.map((w) => w.id),
    officers: SMALL_CITY.officers.map((o) => o.id),
    terminals: SMALL_CITY.windows.map((w) => w.terminalId),
    spareTerminals,
    spareReaders,
    spareClients,
    ratings,
    now: Date.now,
  };
});
afterAll(() => sys?.close());

/** The property of one route: no 5xx; a refusal stores nothing and is a proper problem; the neighbour unharmed. */
async function fuzzOnce(req: FuzzRequest): Promise<void> {
  const correlationId = `fz-${randomUUID()}`;
  const before = await countEvents(sys.db.pools.owner, correlationId);
  const [sent, good] = await Promise.all([send(sys.url, req, correlationId).catch((e: unknown) => (e instanceof RequestFailed ? e : Promise.reject(e))), neighbour.post()]);
  const after = await countEvents(sys.db.pools.owner, correlationId);
  const faults: string[] = [];
  let outcome: Outcome;
  if (sent instanceof RequestFailed) {
    // The server may close the connection on a body it refuses unread (over the limit, or without credentials
    // it admits) before the client has finished sending it; that is a refusal too, and must store nothing.
    const unread = (req.body?.length ?? 0) > req.bodyLimit || !req.admitted;
    if (!unread) faults.push(sent.message);
    if (after.others !== before.others || after.mine !== 0) faults.push(`the connection was closed, yet ${after.others - before.others} event(s) were stored`);
    outcome = { status: 0, contentType: null, text: '', json: undefined };
  } else {
    outcome = sent;
    faults.push(...judge(req, outcome, before, after));
  }
  if (STATS) statuses.set(statusOf(outcome), (statuses.get(statusOf(outcome)) ?? 0) + 1);
  if (good) faults.push(good);
  if (faults.length) {
    const text = outcome.text.length > 800 ? `${outcome.text.slice(0, 800)}… (${outcome.text.length} chars)` : outcome.text;
    throw new Error(`${faults.join('\n')}\n\n--- request\n${describeRequest(req)}\n\n--- answer ${outcome.status} ${outcome.contentType ?? ''}\n${text}`);
  }
}

/** For FUZZ_STATS: the status, and for a list's 200 whether any item was accepted. */
function statusOf(outcome: Outcome): string {
  const results = (outcome.json as { results?: { status: string }[] } | undefined)?.results;
  if (outcome.status !== 200 || !Array.isArray(results)) return String(outcome.status);
  return results.some((r) => r.status === 'accepted') ? '200 (some items accepted)' : '200 (no item accepted)';
}

describe.each([...ROUTES, ...CASE_ROUTES, ...SURVEY_ROUTES].map((r) => [r.route, r] as const))('fuzz %s', (route, model) => {
  it(
    `when ${RUNS} random and mutated requests are sent to ${route} beside a terminal's good ratings, then none answers 5xx, each refusal stores nothing and names its fields, and every good rating is accepted and counted once`,
    async () => {
      const acceptedBefore = neighbour.accepted;
      statuses.clear();
      const started = Date.now();
      const arbitrary = model.build(world).map(printable);
      try {
        await fc.assert(fc.asyncProperty(arbitrary, fuzzOnce), { seed: SEED, numRuns: RUNS, path: PATH, endOnFailure: false });
      } catch (err) {
        (err as Error).message = `${route}: reproduce with FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} (and FUZZ_PATH from below for the shrunk case alone)\n${(err as Error).message}`;
        throw err;
      }
      if (STATS) console.log(`${route}: ${RUNS} runs in ${Date.now() - started} ms; answers ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
      // Every good rating the neighbour was told was accepted counts exactly once, beside whatever the fuzz did.
      await sys.settled();
      const { rows } = await sys.db.pools.owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE stream_id LIKE 'rating-nb-%'`);
      expect(rows[0].n).toBe(neighbour.accepted);
      expect(await Neighbour.counted(sys.admin)).toBe(neighbour.accepted);
      expect(neighbour.accepted).toBeGreaterThan(acceptedBefore);
    },
    Math.max(120_000, RUNS * 1_500),
  );
});

// The shrunk cases of what the fuzz found, each on its own: refusals answered by Fastify or Node before minyi's
// problem+json handling sees the request (API.md "Conventions": errors are problem+json).
describe('refusals made before minyi sees the request', () => {
  const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' };
  const request = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, body: string | null): FuzzRequest =>
    printable({ route: `${method} ${url.slice(0, 40)}`, method, url, headers, body: body === null ? null : Buffer.from(body), label: 'regression', fields: ['id'], bodyLimit: 16 * 1024, admitted: true });

  it('when a path id is longer than any id (101 characters, and 600, past the router’s own limit), then the refusal is problem+json and nothing is stored', async () => {
    await fuzzOnce(request('POST', `/v1/terminals/${'x'.repeat(101)}/revoke`, admin, '{}'));
    await fuzzOnce(request('POST', `/v1/terminals/${'x'.repeat(600)}/revoke`, admin, '{}'));
  });

  it('when a path holds a percent-escape that is not UTF-8 (POST /v1/terminals/%FF/revoke), then the 400 is problem+json with errors and nothing is stored', async () => {
    await fuzzOnce(request('POST', '/v1/terminals/%FF/revoke', admin, '{}'));
  });

  it('when the Authorization header alone is past the 16 KiB of headers Node reads, then the 431 is problem+json and nothing is stored', async () => {
    await fuzzOnce(request('GET', '/v1/satisfaction?scope=unit:sz&granularity=month&from=2026-01-01&to=2026-12-31', { authorization: `Bearer ${'A'.repeat(20_000)}` }, null));
  });
});
