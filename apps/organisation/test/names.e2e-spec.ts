// Names and kinds of the organisation as the administrator sends them (API.md "Limits"): text no field may hold
// — a NUL character, a lone surrogate — is 400 naming the field and stores nothing; any real text is kept as sent.
import { randomUUID } from 'node:crypto';
import { startTestSystem, type ApiClient, type ApiResponse, type TestSystem } from '@minyi/testing';

let sys: TestSystem;
let admin: ApiClient;

beforeAll(async () => {
  sys = await startTestSystem();
  admin = sys.admin;
  for (const [path, body] of [
    ['/v1/units', { id: 'root', name: '深圳市公安局', parentId: null, kind: 'bureau' }],
    ['/v1/units', { id: 'station', name: '香蜜湖派出所', parentId: 'root', kind: 'station' }],
  ] as const) {
    const r = await admin.post(path, body);
    if (r.status !== 201) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
  }
});
afterAll(() => sys?.close());

async function counts(): Promise<{ events: number; streams: number }> {
  const { rows } = await sys.db.pools.owner.query<{ events: number; streams: number }>(
    `SELECT (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM streams)::int AS streams`,
  );
  return rows[0];
}

function expectProblem(r: ApiResponse, status: number, path: string): void {
  expect({ status: r.status, type: r.headers.get('content-type') }).toEqual({ status, type: expect.stringMatching(/^application\/problem\+json/) });
  expect((r.body.errors as { path: string }[]).map((e) => e.path)).toContain(path);
}

const BAD = [
  ['a NUL character', '福田\u0000分局'],
  ['a lone high surrogate', '福田分局\ud83d'],
  ['a lone low surrogate', '\ude00福田分局'],
] as const;

const routes: [string, string, (s: string) => Record<string, unknown>, string][] = [
  ['a unit’s name', '/v1/units', (s) => ({ id: `u-${randomUUID()}`, name: s, parentId: 'root', kind: 'branch' }), 'name'],
  ['a unit’s kind', '/v1/units', (s) => ({ id: `u-${randomUUID()}`, name: '福田分局', parentId: 'root', kind: s }), 'kind'],
  ['a window’s name', '/v1/windows', (s) => ({ id: `w-${randomUUID()}`, unitId: 'station', name: s }), 'name'],
  ['a window’s service type', '/v1/windows', (s) => ({ id: `w-${randomUUID()}`, unitId: 'station', name: '户政窗口', serviceTypes: ['户籍办理', s] }), 'serviceTypes.1'],
  ['an officer’s name', '/v1/officers', (s) => ({ id: `o-${randomUUID()}`, unitId: 'station', name: s }), 'name'],
];
const cases = routes.flatMap(([field, path, body, at]) => BAD.map(([what, s]) => [field, what, path, body(s), at] as const));

it.each(cases)('when %s holds %s, then 400 naming it and nothing is stored', async (_field, _what, path, body, at) => {
  const before = await counts();
  expectProblem(await admin.post(path, body), 400, at);
  expect(await counts()).toEqual(before);
});

it('when names hold emoji, CJK, a line break and U+FFFD, then they are created and kept exactly as sent', async () => {
  const name = '福田分局 👮🏽‍♀️\n\ufffd';
  const id = `u-${randomUUID()}`;
  expect((await admin.post('/v1/units', { id, name, parentId: 'root', kind: '分局' })).status).toBe(201);
  const { rows } = await sys.db.pools.owner.query(`SELECT data FROM events WHERE stream_id = $1`, [`unit-${id}`]);
  expect(rows[0].data).toEqual(expect.objectContaining({ name, kind: '分局' }));
});
