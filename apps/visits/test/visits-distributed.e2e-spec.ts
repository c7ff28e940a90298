// The embedded and the distributed mode (a real Kafka broker; the visits' events on minyi.visits.events.v1) given the
// same visits, opinions with their steps, disputes and hazards: the same /v1/rates of every group, the same
// satisfaction of channel visits, and the same ledgers.
import { buildOrganisation, SMALL_CITY, startDistributedTestSystem, startTestSystem, waitFor, type ApiClient, type DistributedTestSystem, type TestSystem } from '@minyi/testing';

let embedded: TestSystem;
let other: DistributedTestSystem;

beforeAll(async () => {
  [embedded, other] = await Promise.all([startTestSystem(), startDistributedTestSystem()]);
}, 180_000);
afterAll(async () => {
  await embedded?.close();
  await other?.close();
});

const DAY = 86_400_000;

it('when both modes take the same visits, opinions, disputes and hazards, then they give identical rates, satisfaction and ledgers', async () => {
  await buildOrganisation(embedded.admin, SMALL_CITY);
  await buildOrganisation(other.admin, SMALL_CITY);
  const clients = async (admin: ApiClient, make: (token: string) => ApiClient) => ({
    app: make((await admin.post('/v1/clients', { id: 'c-app', name: '走访APP', scopes: ['visits:write', 'cases:write'] })).body.token),
    reader: make((await admin.post('/v1/readers', { id: 'analyst', role: 'analyst' })).body.token),
  });
  const e = await clients(embedded.admin, (t) => embedded.client(t));
  const d = await clients(other.admin, (t) => other.intakeClient(t));
  const dReader = other.analyticsClient((await other.admin.post('/v1/readers', { id: 'analyst-2', role: 'analyst' })).body.token);
  let seed = 11;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const units = SMALL_CITY.units.map((u) => u.id);
  const now = Date.now();
  const requests: [string, object][] = [];
  for (let i = 0; i < 120; i++) {
    const household = rnd() < 0.7;
    requests.push([
      '/v1/visits',
      {
        id: `v${i}`,
        unitId: pick(units),
        occurredAt: new Date(now - rnd() * 60 * DAY).toISOString(),
        target: { kind: household ? 'household' : 'school', ...(household && rnd() < 0.8 ? { ref: `hh-${Math.floor(rnd() * 30)}` } : {}) },
        ...(rnd() < 0.3 ? { meeting: { level: pick(['city', 'branch', 'station', 'building']), attendees: Math.floor(rnd() * 50) } } : {}),
      },
    ]);
  }
  for (let i = 0; i < 80; i++) {
    const at = now - (12 + rnd() * 45) * DAY;
    const id = `op${i}`;
    requests.push(['/v1/opinions', { id, unitId: pick(units), source: 'visit', visitId: `v${i}`, category: pick(['养犬管理', '律师会见难']), text: `意见 ${i}\r\n`, occurredAt: new Date(at).toISOString() }]);
    const step = (name: string, days: number, body: object) => requests.push([`/v1/opinions/${id}/${name}`, { stepId: `${id}-${name}`, occurredAt: new Date(at + days * DAY).toISOString(), ...body }]);
    if (i % 3 === 0) step('assign', 0.1, { unitId: pick(units), dueInWorkingDays: 3 });
    if (i % 4 === 0) continue;
    step(i % 5 === 1 ? 'explain' : 'rectify', 1 + (i % 7), i % 5 === 1 ? { text: '无法办理' } : { summary: '已整改' });
    step('reply', 2 + (i % 7), { text: '已反馈', via: 'phone' });
    if (i % 2) step('rate', 3 + (i % 7), { score: 1 + (i % 5) });
  }
  for (let i = 0; i < 20; i++) {
    const at = new Date(now - (1 + rnd() * 30) * DAY).toISOString();
    requests.push(['/v1/disputes', { id: `d${i}`, unitId: pick(units), kind: '邻里纠纷', occurredAt: at }]);
    requests.push(['/v1/hazards', { id: `h${i}`, unitId: pick(units), kind: '消防隐患', occurredAt: at }]);
    if (i % 2) requests.push([`/v1/disputes/d${i}/resolve`, { stepId: 's', occurredAt: at, summary: '化解' }]);
    if (i % 3) requests.push([`/v1/hazards/h${i}/rectify`, { stepId: 's', occurredAt: at, summary: '整改' }]);
  }
  for (const [path, body] of requests) {
    const [a, b] = [await e.app.post(path, body), await d.app.post(path, body)];
    expect({ path, e: a.status < 300, d: b.status }).toEqual({ path, e: true, d: a.status });
  }
  await embedded.settled();
  const day = (t: number) => new Date(t).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  const queries = [
    ...['unit:sz', 'unit:ft', 'unit:ns-yh'].map((s) => `/v1/rates?scope=${s}&granularity=week&from=${day(now - 70 * DAY)}&to=${day(now)}`),
    `/v1/rates?scope=unit:sz&granularity=day&from=${day(now - 70 * DAY)}&to=${day(now)}`,
    `/v1/satisfaction?scope=unit:sz&granularity=week&from=${day(now - 70 * DAY)}&to=${day(now)}&channel=visits`,
    `/v1/opinions?scope=unit:sz&limit=200`,
    `/v1/disputes?scope=unit:ns&limit=200`,
    `/v1/hazards?scope=unit:sz&limit=200`,
  ];
  const expected = await Promise.all(queries.map(async (q) => JSON.stringify((await e.reader.get(q)).body)));
  // Overdue depends on the moment of the answer; none of these deadlines lies near it.
  const root = JSON.parse(expected[0]);
  expect(root.series.reduce((n: number, x: any) => n + x.visits.visits, 0)).toBe(120);
  await waitFor('the distributed mode to catch up', async () => (await Promise.all(queries.map(async (q) => JSON.stringify((await dReader.get(q)).body)))).every((b, i) => b === expected[i]), 60_000);
}, 240_000);
