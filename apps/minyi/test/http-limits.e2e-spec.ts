// API.md "Limits" on the running all-in-one, with its real defaults: each route's body limit, 401 before the body
// is read, the 10 s headers timeout; and the logs of `main.js` as an operator reads them (JSON lines, no secrets).
import { buildOrganisation, createTestDatabase, MinyiProcess, RawConnection, SMALL_CITY, startTestSystem, type TestDatabase, type TestSystem } from '@minyi/testing';

const KiB = 1024;
const MiB = 1024 * KiB;

let sys: TestSystem;
let terminalKey: string;

beforeAll(async () => {
  sys = await startTestSystem();
  const { terminalKeys } = await buildOrganisation(sys.admin, SMALL_CITY);
  terminalKey = terminalKeys['t-ft-xm-w2'];
});
afterAll(() => sys.close());

async function rawPost(path: string, headers: Record<string, string>, body = ''): Promise<RawConnection> {
  const c = await RawConnection.open(sys.url);
  const head = [`POST ${path} HTTP/1.1`, 'Host: minyi', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)].join('\r\n');
  await c.write(`${head}\r\n\r\n${body}`);
  return c;
}

/** JSON text of `value` with every character of every string written as a \uXXXX escape (astral ones as pairs). */
function escapedJson(value: unknown): string {
  return JSON.stringify(value).replace(/"((?:[^"\\]|\\.)*)"/g, (_, s: string) => {
    const text = JSON.parse(`"${s}"`) as string;
    return `"${text.split('').map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`;
  });
}

describe('body limits of the ratings routes', () => {
  it('when a terminal sends the largest valid rating with every character escaped and padded with whitespace, then it is accepted', async () => {
    const rating = {
      id: 'max-escaped-1',
      score: 4,
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
      serviceType: '😀'.repeat(64),
      reasons: Array.from({ length: 10 }, () => '😀'.repeat(64)),
      comment: '😀'.repeat(500),
    };
    const body = escapedJson(rating).replace(/,/g, `,${' '.repeat(400)}`);
    // Over the 16 KiB default of other routes, under the 32 KiB of this one.
    expect(Buffer.byteLength(body)).toBeGreaterThan(16 * KiB);
    const r = await sys.client(terminalKey).request('POST', '/v1/ratings', body, { 'content-type': 'application/json' });
    expect(r.status).toBe(202);
  });

  it('when a rating body says it is larger than 32 KiB, then 413 at once, before its body is sent', async () => {
    const c = await rawPost('/v1/ratings', { authorization: `Bearer ${terminalKey}`, 'content-type': 'application/json', 'content-length': String(32 * KiB + 1) });
    await c.response('the 413');
    expect(c.status).toBe(413);
    expect(JSON.parse(c.body)).toMatchObject({ status: 413, title: 'Content Too Large' });
    c.destroy();
  });

  it('when an import is 20 MiB (over the old 16 MiB of every route), then it is read and judged (400 naming the field), not 413', async () => {
    const body = JSON.stringify({ ratings: [{ id: 'imp-1', terminalId: 't-ft-xm-w2', score: 5, occurredAt: '2024-01-01T00:00:00Z' }], padding: 'x'.repeat(20 * MiB) });
    const r = await sys.admin.request('POST', '/v1/ratings/import', body, { 'content-type': 'application/json' });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([{ path: 'padding', message: 'is not a known field' }]);
  });

  it('when an import says it is larger than 64 MiB, then 413 at once', async () => {
    const c = await rawPost('/v1/ratings/import', { authorization: `Bearer ${sys.config.adminToken}`, 'content-type': 'application/json', 'content-length': String(64 * MiB + 1) });
    await c.response('the 413');
    expect(c.status).toBe(413);
    c.destroy();
  });

  it('when /docs-json is read, then each route says its body limit', async () => {
    const paths = (await sys.client().get('/docs-json')).body.paths;
    expect(paths['/v1/ratings'].post['x-body-limit'].bytes).toBe(32 * KiB);
    expect(paths['/v1/ratings/batch'].post['x-body-limit'].bytes).toBe(16 * MiB);
    expect(paths['/v1/ratings/import'].post['x-body-limit'].bytes).toBe(64 * MiB);
    expect(paths['/v1/ratings/import'].post.description).toMatch(/raw UTF-8/);
    expect(paths['/v1/units'].post['x-body-limit'].bytes).toBe(16 * KiB);
    expect(paths['/v1/windows'].post['x-body-limit'].bytes).toBe(64 * KiB);
  });
});

describe('credentials before the body', () => {
  it('when a 10 MB body that is not JSON is posted without a token, then 401 at once: the body was never parsed', async () => {
    const c = await rawPost('/v1/ratings/import', { 'content-type': 'application/json', 'content-length': String(10 * MiB) }, '{not json at all'.repeat(4096));
    await c.response('the 401');
    expect(c.status).toBe(401);
    expect(c.header('www-authenticate')).toMatch(/^Bearer/);
    c.destroy();
  });

  it('when a terminal posts to an admin route a body that is not JSON, then 403 (the kind is checked before the body)', async () => {
    const r = await sys.client(terminalKey).request('POST', '/v1/ratings/import', '{not json', { 'content-type': 'application/json' });
    expect(r.status).toBe(403);
  });

  it('when a form body is posted, then 415', async () => {
    const r = await sys.client(terminalKey).request('POST', '/v1/ratings', 'id=x&score=5', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(r.status).toBe(415);
  });
});

it('when headers arrive one byte a second, then after the real 10 s headers timeout minyi answers 408 or closes', async () => {
  const c = await RawConnection.open(sys.url);
  await c.write('GET /health HTTP/1.1\r\nHost: minyi\r\nX-Slow: ');
  // A byte a second keeps any idle timer from firing: only the headers timeout (10 s, checked every second) ends it.
  for (let i = 0; i < 25 && !c.closed; i++) {
    await c.write('x');
    await new Promise((r) => setTimeout(r, 1000));
  }
  await c.closedByServer('minyi to give up on the headers', 5000);
  expect([408, null]).toContain(c.status);
  c.destroy();
}, 60_000);

describe('the logs of main.js', () => {
  const ADMIN = 'log-test-admin-token-0123456789';
  let db: TestDatabase;
  let minyi: MinyiProcess | null = null;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await minyi?.stop();
    await db.drop();
  });

  it('when requests are served, then stdout is JSON lines with each request line carrying its correlation id, and no token, body or query text', async () => {
    minyi = await MinyiProcess.start([], { DATABASE_URL: db.url, MINYI_ADMIN_TOKEN: ADMIN });
    const post = (path: string, body: unknown, headers: Record<string, string>) =>
      fetch(`${minyi!.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const created = await post('/v1/units', { id: 'log-u', name: 'SECRET-BODY-TEXT 市局', parentId: null, kind: 'bureau' }, { authorization: `Bearer ${ADMIN}`, 'x-correlation-id': 'log-corr-1' });
    expect(created.status).toBe(201);
    const refused = await post('/v1/ratings', { id: 'r', score: 5, comment: 'SECRET-COMMENT' }, { authorization: 'Bearer mk_00_SECRET-TOKEN-AAAAAAAA', 'x-correlation-id': 'log-corr-2' });
    expect(refused.status).toBe(401);
    await fetch(`${minyi.url}/v1/satisfaction?scope=unit:SECRET-QUERY&granularity=month&from=2026-01-01&to=2026-02-01`, { headers: { authorization: `Bearer ${ADMIN}`, 'x-correlation-id': 'log-corr-3' } });

    const lines = () => minyi!.logs.split('\n').filter((l) => l.trim());
    const deadline = Date.now() + 10_000;
    while (!lines().some((l) => l.includes('log-corr-3') && l.includes('"msg":"request"')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const parsed = lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const p of parsed) {
      expect(typeof p.level).toBe('string');
      expect(typeof p.time).toBe('string');
      expect(typeof p.pid).toBe('number');
      expect(typeof p.msg).toBe('string');
    }
    const access = (corr: string) => parsed.find((p) => p.msg === 'request' && p.correlationId === corr);
    expect(access('log-corr-1')).toMatchObject({ level: 'info', method: 'POST', route: '/v1/units', status: 201, principal: 'admin' });
    expect(access('log-corr-2')).toMatchObject({ method: 'POST', route: '/v1/ratings', status: 401, principal: null });
    expect(access('log-corr-3')).toMatchObject({ method: 'GET', route: '/v1/satisfaction' });
    expect(parsed.some((p) => p.context === 'minyi' && String(p.msg).includes('listening'))).toBe(true);
    for (const secret of [ADMIN, 'SECRET-TOKEN', 'SECRET-BODY-TEXT', 'SECRET-COMMENT', 'SECRET-QUERY']) expect(minyi.logs).not.toContain(secret);
  });

  it('when MINYI_LOG_LEVEL is warn, then no request lines are written', async () => {
    await minyi?.stop();
    minyi = await MinyiProcess.start([], { DATABASE_URL: db.url, MINYI_ADMIN_TOKEN: ADMIN, MINYI_LOG_LEVEL: 'warn' });
    const r = await fetch(`${minyi.url}/v1/units`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` }, body: '{}' });
    expect(r.status).toBe(400);
    await minyi.stop();
    expect(minyi.logs).not.toContain('"msg":"request"');
    expect(minyi.logs).not.toContain('"level":"info"');
  });
});
