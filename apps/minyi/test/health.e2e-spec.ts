// The all-in-one as a client meets it: health, metrics and the OpenAPI description.
import { Client } from 'pg';
import type { Consumer } from '@minyi/messaging';
import { CONSUMERS } from '@minyi/projector';
import { startTestSystem, waitFor, type TestSystem } from '@minyi/testing';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(() => sys?.close());

it('when the system runs, then /health answers 200 {"status":"ok"}', async () => {
  const r = await sys.client().get('/health');
  expect(r.status).toBe(200);
  expect(r.body).toEqual({ status: 'ok' });
});

it('when the database is stopped for the app, then /health answers 503 with a short reason and no error text', async () => {
  // Terminate the app's connections and forbid new ones for a moment.
  const c = new Client({ connectionString: process.env.MINYI_TEST_ADMIN_URL });
  await c.connect();
  await c.query(`ALTER DATABASE ${sys.database.name} ALLOW_CONNECTIONS false`);
  await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [sys.database.name]);
  try {
    const r = await sys.client().get('/health');
    expect(r.status).toBe(503);
    // A short reason only: the error text (host names, user names) is for the log, not for anyone who asks.
    // (The projection may notice the outage too, and say "failing" — as shortly.)
    expect(r.body).toMatchObject({ status: 'unavailable', problems: { database: 'unreachable' } });
    for (const [component, reason] of Object.entries(r.body.problems)) expect([component, reason]).toEqual([component, component === 'database' ? 'unreachable' : 'failing']);
  } finally {
    await c.query(`ALTER DATABASE ${sys.database.name} ALLOW_CONNECTIONS true`);
    await c.end();
  }
  const deadline = Date.now() + 10_000;
  let status = 0;
  while (Date.now() < deadline && status !== 200) {
    status = (await sys.client().get('/health')).status;
    if (status !== 200) await new Promise((r) => setTimeout(r, 100));
  }
  expect(status).toBe(200);
});

it('when a projection is stopped, then /health answers 503 naming it, and 200 again once it runs', async () => {
  const consumers = sys.app.get<Consumer[]>(CONSUMERS);
  expect(consumers.length).toBeGreaterThan(0);
  const [consumer] = consumers;
  await consumer.stop();
  try {
    const r = await sys.client().get('/health');
    expect(r.status).toBe(503);
    expect(r.body).toEqual({ status: 'unavailable', problems: { [`projection:${consumer.status().name}`]: 'not running' } });
  } finally {
    await consumer.start();
  }
  await waitFor('/health 200 with the projection running', async () => (await sys.client().get('/health')).status === 200, 10_000);
  expect((await sys.client().get('/health')).body).toEqual({ status: 'ok' });
});

it('when /metrics is read, then it is Prometheus text with intake and projection lag', async () => {
  const r = await sys.client().get('/metrics');
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toMatch(/text\/plain/);
  expect(r.body).toContain('minyi_intake_total');
  expect(r.body).toContain('minyi_projection_lag_seconds');
});

it('when /docs-json is read, then it describes every route of the contract', async () => {
  const r = await sys.client().get('/docs-json');
  expect(r.status).toBe(200);
  for (const path of ['/v1/units', '/v1/windows', '/v1/officers', '/v1/terminals', '/v1/readers', '/v1/ratings', '/v1/ratings/batch', '/v1/ratings/import', '/v1/ratings/{id}/void', '/v1/satisfaction', '/v1/rankings']) {
    expect(Object.keys(r.body.paths)).toContain(path);
  }
  expect((await sys.client().get('/docs')).status).toBe(200);
});
