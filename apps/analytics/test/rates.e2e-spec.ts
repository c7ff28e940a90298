// GET /v1/rates as a client meets it: every figure of every period of every unit checked against an independent
// reference computed from API.md's definitions, over seeded random histories (reopen, escalate across branches,
// late handling, final close, follow-ups found invalid or voided), recorded with the events production writes.
import { SMALL_CITY, startTestSystem, type ApiClient, type TestSystem } from '@minyi/testing';
import { build, query, type OrganisationSpec } from './fixtures.js';
import { differences, type Granularity } from './reference-model.js';
import { RatesReference, standing, type RefCase } from './rates-reference.js';
import { generateHistories, generateVisits, writeCase, writeCases, writeVisits } from './rates.fixtures.js';

const CITY: OrganisationSpec = {
  units: [...SMALL_CITY.units, { id: 'ft-xm-jws', name: '香蜜湖社区警务室', parentId: 'ft-xm', kind: 'office' }],
  windows: SMALL_CITY.windows,
  officers: SMALL_CITY.officers,
};
const UNITS = CITY.units.map((u) => u.id);
const TZ = 'Asia/Shanghai';
const shanghai = (local: string) => Date.parse(`${local}+08:00`);

let sys: TestSystem;
let ref: RatesReference;
let analyst: ApiClient;
let leaderFt: ApiClient;

beforeAll(async () => {
  sys = await startTestSystem();
  await build(sys.admin, CITY);
  const reader = async (body: object) => {
    const r = await sys.admin.post('/v1/readers', body);
    if (r.status !== 201) throw new Error(`reader: ${r.status} ${JSON.stringify(r.body)}`);
    return sys.client(r.body.token);
  };
  analyst = await reader({ id: 'r-analyst', role: 'analyst' });
  leaderFt = await reader({ id: 'r-leader-ft', role: 'leader', unitId: 'ft' });
  const cases = generateHistories({
    seed: 20261201,
    prefix: 'rnd',
    complaints: 260,
    followups: 140,
    opinions: 220,
    disputes: 60,
    hazards: 60,
    units: UNITS,
    startMs: shanghai('2025-07-20T00:00:00'),
    endMs: shanghai('2026-06-30T00:00:00'),
  });
  const visits = generateVisits({ seed: 20261202, prefix: 'rnd', visits: 400, units: UNITS, startMs: shanghai('2025-07-20T00:00:00'), endMs: shanghai('2026-06-30T00:00:00') });
  ref = new RatesReference(CITY.units, TZ, cases, visits);
  await writeCases(sys.store, cases);
  await writeVisits(sys.store, visits);
  await sys.settled();
}, 180_000);
afterAll(() => sys?.close());

async function diffOf(params: { scope: string; granularity: Granularity; from: string; to: string }, client = analyst): Promise<string[]> {
  const r = await client.get(`/v1/rates?${query(params)}`);
  if (r.status !== 200) return [`${params.scope}: HTTP ${r.status} ${JSON.stringify(r.body)}`];
  // The reference is judged at the moment of the answer; no deadline lies near it (they are before July 2026 or in 2031).
  return differences(r.body, ref.rates(params, Date.now())).map((d) => `${params.scope} ${params.granularity} ${d}`);
}

describe('the reference itself', () => {
  it('when a hand-made history is read, then the reference follows API.md (responsible unit, since the latest reopen, deadline in force)', () => {
    const c: RefCase = {
      kind: 'complaint',
      id: 'x',
      unitId: 'ft-xm',
      category: 'c',
      filedAt: shanghai('2026-03-02T09:00:00'),
      steps: [
        { step: 'accept', at: shanghai('2026-03-02T10:00:00'), unitId: 'ft-xm', dueAt: '2026-03-10T00:00:00+08:00' },
        { step: 'handle', at: shanghai('2026-03-09T10:00:00') },
        { step: 'reply', at: shanghai('2026-03-09T11:00:00') },
        { step: 'callback', at: shanghai('2026-03-09T12:00:00'), score: 2 },
        { step: 'reopen', at: shanghai('2026-03-11T10:00:00') },
        { step: 'escalate', at: shanghai('2026-03-11T11:00:00'), unitId: 'ns', dueAt: '2026-03-20T00:00:00+08:00' },
        { step: 'handle', at: shanghai('2026-03-21T10:00:00') },
      ],
    };
    const r = new RatesReference(CITY.units, TZ, [c]).rates({ scope: 'unit:ns', granularity: 'month', from: '2026-03-01', to: '2026-03-31' }, Date.now());
    expect(r.series[0].complaints).toEqual({
      filed: 1,
      accepted: 1,
      handled: 1,
      onTime: 0,
      replied: 0,
      calledBack: 0,
      satisfied: 0,
      closed: 0,
      overdue: 0,
      handlingRate: 1,
      onTimeRate: 0,
      replyRate: 0,
      callbackRate: 0,
      callbackSatisfactionRate: null,
    });
    expect(new RatesReference(CITY.units, TZ, [c]).rates({ scope: 'unit:ft', granularity: 'month', from: '2026-03-01', to: '2026-03-31' }, Date.now()).series[0].complaints.filed).toBe(0);
  });
});

describe('figures against the reference', () => {
  it.each(['day', 'week', 'month', 'quarter', 'year'] as Granularity[])('when every unit is read by %s over the whole year, then every figure equals the reference', async (granularity) => {
    const diffs: string[] = [];
    for (const unit of UNITS) diffs.push(...(await diffOf({ scope: `unit:${unit}`, granularity, from: '2025-07-01', to: '2026-07-31' })));
    expect(diffs).toEqual([]);
  });

  it('when the figures are read, then the data exercised what they are about (late, reopened, escalated, final, invalid, voided, overdue both ways)', async () => {
    const cases = ref.cases;
    const has = (p: (c: RefCase) => boolean, n = 3) => expect(cases.filter(p).length).toBeGreaterThanOrEqual(n);
    has((c) => c.steps.some((s) => s.step === 'reopen'));
    has((c) => c.steps.some((s) => s.step === 'escalate'));
    has((c) => c.steps.some((s) => s.step === 'close' && s.final));
    has((c) => c.steps.some((s) => s.step === 'verify' && !s.valid));
    has((c) => c.steps.some((s) => s.step === 'void'));
    // Opinions: reassigned (the cohort moves), rectified on the spot, explained then rectified after a reopen (and the
    // other way round), handled late after a reopen; households repeating a ref, and without one.
    has((c) => c.kind === 'opinion' && c.steps.filter((s) => s.step === 'assign').length >= 2);
    has((c) => c.kind === 'opinion' && c.steps[0]?.step === 'rectify');
    has((c) => c.kind === 'opinion' && c.steps.some((s, i) => s.step === 'rectify' && c.steps.slice(0, i).some((p) => p.step === 'explain')));
    has((c) => c.kind === 'opinion' && c.steps.some((s, i) => s.step === 'explain' && c.steps.slice(0, i).some((p) => p.step === 'rectify')));
    has((c) => c.kind === 'opinion' && c.steps.some((s) => s.step === 'reopen') && standing(c).handled && !standing(c).onTime, 1);
    const households = ref.visits.filter((v) => v.target.kind === 'household');
    expect(new Set(households.map((v) => v.target.ref)).size).toBeLessThan(households.length / 2);
    expect(households.filter((v) => v.target.ref === null).length).toBeGreaterThan(10);
    const r = await analyst.get(`/v1/rates?${query({ scope: 'unit:sz', granularity: 'year', from: '2025-01-01', to: '2026-12-31' })}`);
    const sum = (f: (e: any) => number) => r.body.series.reduce((a: number, e: any) => a + f(e), 0);
    expect(sum((e) => e.complaints.filed)).toBe(260);
    expect(sum((e) => e.followups.opened + e.followups.invalid)).toBe(140);
    expect(sum((e) => e.complaints.overdue)).toBeGreaterThan(0);
    expect(sum((e) => e.complaints.handled - e.complaints.onTime)).toBeGreaterThan(0);
    expect(sum((e) => e.complaints.filed - e.complaints.handled - e.complaints.overdue)).toBeGreaterThan(0);
    expect(sum((e) => e.followups.overdue)).toBeGreaterThan(0);
    expect(sum((e) => e.opinions.collected)).toBe(220);
    expect(sum((e) => e.disputes.found)).toBe(60);
    expect(sum((e) => e.hazards.found)).toBe(60);
    expect(sum((e) => e.visits.visits)).toBe(400);
    expect(sum((e) => e.opinions.explained)).toBeGreaterThan(0);
    expect(sum((e) => e.opinions.overdue)).toBeGreaterThan(0);
  });

  it('when a leader reads its own subtree, then it gets the same figures as an analyst', async () => {
    expect(await diffOf({ scope: 'unit:ft', granularity: 'month', from: '2025-07-01', to: '2026-07-31' }, leaderFt)).toEqual([]);
    expect(await diffOf({ scope: 'unit:ft-xm-jws', granularity: 'week', from: '2025-07-01', to: '2026-07-31' }, leaderFt)).toEqual([]);
  });

  it('when an old case is handled late, then the figure of its filing period moves (cohorts), and an escalation moves it between branches', async () => {
    const c: RefCase = {
      kind: 'complaint',
      id: 'late-1',
      unitId: 'ft-xm',
      category: '办事效率',
      text: '迟到的处理',
      filedAt: shanghai('2026-02-10T09:00:00'),
      steps: [{ step: 'accept', at: shanghai('2026-02-10T10:00:00'), unitId: 'ft-xm', dueAt: '2026-02-24T00:00:00+08:00' }],
    };
    ref.cases.push(c);
    await writeCase(sys.store, c);
    await sys.settled();
    const feb = { granularity: 'month' as Granularity, from: '2026-02-01', to: '2026-02-28' };
    expect(await diffOf({ scope: 'unit:ft', ...feb })).toEqual([]);
    const before = (await analyst.get(`/v1/rates?${query({ scope: 'unit:ft', ...feb })}`)).body.series[0].complaints;
    // Handled months later, by another branch: February's figures move from ft to ns.
    const later: RefCase = { ...c, id: 'late-2', steps: [...c.steps, { step: 'escalate', at: shanghai('2026-06-01T10:00:00'), unitId: 'ns-yh', dueAt: '2026-06-10T00:00:00+08:00' }, { step: 'handle', at: shanghai('2026-06-20T10:00:00') }] };
    ref.cases.push(later);
    await writeCase(sys.store, later);
    await sys.settled();
    for (const scope of ['unit:ft', 'unit:ns', 'unit:ns-yh', 'unit:sz']) expect(await diffOf({ scope, ...feb })).toEqual([]);
    const after = (await analyst.get(`/v1/rates?${query({ scope: 'unit:ft', ...feb })}`)).body.series[0].complaints;
    expect(after.filed).toBe(before.filed);
  });
});

describe('the query', () => {
  it('when a period has no cases, then it is listed with zero counts and null rates', async () => {
    const r = await analyst.get(`/v1/rates?${query({ scope: 'unit:ns-crj', granularity: 'day', from: '2024-01-01', to: '2024-01-02' })}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      scope: 'unit:ns-crj',
      granularity: 'day',
      timezone: TZ,
      series: ['2024-01-01', '2024-01-02'].map((period) => ({
        period,
        complaints: { filed: 0, accepted: 0, handled: 0, onTime: 0, replied: 0, calledBack: 0, satisfied: 0, closed: 0, overdue: 0, handlingRate: null, onTimeRate: null, replyRate: null, callbackRate: null, callbackSatisfactionRate: null },
        followups: { opened: 0, rectified: 0, onTime: 0, calledBack: 0, satisfied: 0, overdue: 0, rectificationRate: null, onTimeRate: null, callbackRate: null, callbackSatisfactionRate: null, invalid: 0 },
        opinions: { collected: 0, rectified: 0, explained: 0, handled: 0, onTime: 0, replied: 0, rated: 0, overdue: 0, rectificationRate: null, handlingRate: null, replyRate: null, onTimeRate: null },
        disputes: { found: 0, resolved: 0, resolutionRate: null },
        hazards: { found: 0, rectified: 0, rectificationRate: null },
        visits: { visits: 0, households: 0, meetings: 0, attendees: 0 },
      })),
    });
  });

  it('when the range, a date or the scope is wrong, then 400 names the field; more than 4000 periods is refused at once', async () => {
    const bad = async (params: Record<string, string>, path: string) => {
      const r = await analyst.get(`/v1/rates?${query({ scope: 'unit:sz', granularity: 'day', from: '2026-01-01', to: '2026-01-31', ...params })}`);
      expect(r.status).toBe(400);
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    };
    await bad({ from: '2026-02-30' }, 'from');
    await bad({ to: '2026-13-01' }, 'to');
    await bad({ from: '1899-12-31' }, 'from');
    await bad({ from: '2026-02-01', to: '2026-01-01' }, 'to');
    await bad({ from: '2000-01-01', to: '2026-01-01' }, 'to');
    await bad({ granularity: 'hour' }, 'granularity');
    await bad({ scope: 'window:ft-xm-w1' }, 'scope');
    const r = await analyst.get(`/v1/rates?${query({ scope: 'unit:sz', granularity: 'day', from: '1900-01-01', to: '9999-12-31' })}`);
    expect(r.status).toBe(400);
    const ok = await analyst.get(`/v1/rates?${query({ scope: 'unit:sz', granularity: 'year', from: '1900-01-01', to: '5899-12-31' })}`);
    expect(ok.status).toBe(200);
    expect(ok.body.series).toHaveLength(4000);
  });

  it('when a leader asks outside its subtree, then 403; an unknown unit 404; a terminal 403; no token 401', async () => {
    const q = query({ scope: 'unit:ns', granularity: 'month', from: '2026-01-01', to: '2026-01-31' });
    expect((await leaderFt.get(`/v1/rates?${q}`)).status).toBe(403);
    expect((await analyst.get(`/v1/rates?${query({ scope: 'unit:nowhere', granularity: 'month', from: '2026-01-01', to: '2026-01-31' })}`)).status).toBe(404);
    const t = await sys.admin.post('/v1/terminals/t-ft-xm-w1/key', {});
    expect((await sys.client(t.body.apiKey).get(`/v1/rates?${q}`)).status).toBe(403);
    expect((await sys.client().get(`/v1/rates?${q}`)).status).toBe(401);
    expect((await sys.admin.get(`/v1/rates?${q}`)).status).toBe(200);
  });
});
