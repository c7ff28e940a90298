// Bad-rating follow-ups in the distributed mode (intake, relay, projector, analytics on one PostgreSQL and a real
// Kafka broker): the projector process runs the follow-up reactor on the postgres log — the same consumer as the
// all-in-one's, Kafka never in its path — and the read side, fed through Kafka, sees what it caused.
import { randomUUID } from 'node:crypto';
import type { Consumer } from '@minyi/messaging';
import { CONSUMERS } from '@minyi/projector';
import { buildOrganisation, SMALL_CITY, startDistributedTestSystem, waitFor, type ApiClient, type DistributedTestSystem } from '@minyi/testing';

let sys: DistributedTestSystem;
let term: ApiClient;
let desk: ApiClient;
let analyst: ApiClient;

beforeAll(async () => {
  sys = await startDistributedTestSystem();
  const { terminalKeys } = await buildOrganisation(sys.admin, SMALL_CITY);
  term = sys.intakeClient(terminalKeys['t-ft-xm-w1']);
  const client = await sys.admin.post('/v1/clients', { id: 'dist-desk', name: '整改台', scopes: ['cases:write'] });
  const reader = await sys.admin.post('/v1/readers', { id: 'dist-analyst', role: 'analyst' });
  desk = sys.intakeClient(client.body.token);
  analyst = sys.analyticsClient(reader.body.token);
}, 120_000);
afterAll(() => sys?.close());

const at = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString();
async function opened(id: string): Promise<any> {
  let body: any = null;
  await waitFor(`follow-up ${id}`, async () => {
    const r = await sys.admin.get(`/v1/followups/${id}`);
    body = r.body;
    return r.status === 200;
  }, 15_000, 50);
  return body;
}
async function windowN(day: string): Promise<number> {
  const r = await analyst.get(`/v1/satisfaction?scope=window:ft-xm-w1&granularity=day&from=${day}&to=${day}`);
  return r.body.series[0].n;
}

it('when the distributed mode runs, then the projector process hosts the follow-up reactor on the postgres log (not a Kafka consumer)', () => {
  const consumers = sys.projector.app.get<Consumer[]>(CONSUMERS);
  const reactor = consumers.find((c) => c.status().name === 'reactor:followups');
  expect(reactor?.constructor.name).toBe('PostgresLogConsumer');
  expect(reactor?.status().running).toBe(true);
});

it('when a terminal posts a bad rating to the intake, then its follow-up opens within seconds; found invalid, the rating is voided and analytics (through Kafka) stops counting it', async () => {
  const id = randomUUID();
  const occurredAt = at(-5 * 60_000);
  const day = new Date(Date.parse(occurredAt) + 8 * 3600_000).toISOString().slice(0, 10);
  expect((await term.post('/v1/ratings', { id, score: 1, occurredAt })).status).toBe(202);
  expect(await opened(id)).toMatchObject({ id, state: 'open', responsibleUnitId: 'ft-xm', score: 1, dueInWorkingDays: 5, dueAt: expect.stringMatching(/T00:00:00\+08:00$/) });
  await waitFor('analytics to count the rating', async () => (await windowN(day)) >= 1, 30_000, 100);
  const before = await windowN(day);
  const res = await desk.post(`/v1/followups/${id}/verify`, { stepId: randomUUID(), occurredAt: at(0), valid: false, reason: '申诉复核：误触' });
  expect(res.body).toMatchObject({ status: 'done', state: 'invalid' });
  await waitFor('analytics to drop the voided rating', async () => (await windowN(day)) === before - 1, 30_000, 100);
});

it('when the administrator voids a bad rating at the intake, then its follow-up turns voided', async () => {
  const id = randomUUID();
  await term.post('/v1/ratings', { id, score: 2, occurredAt: at(-60_000) });
  await opened(id);
  expect((await sys.admin.post(`/v1/ratings/${id}/void`, { reason: '评价器故障' })).body).toEqual({ id, status: 'voided' });
  await waitFor('the follow-up to be voided', async () => (await sys.admin.get(`/v1/followups/${id}`)).body.state === 'voided', 15_000, 50);
});
