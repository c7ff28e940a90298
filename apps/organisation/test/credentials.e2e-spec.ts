// Credentials over their life (API.md "Conventions" and "Credentials"; security review #3 and #6): forged and
// malformed tokens are 401 and never 500; a terminal's key is replaced and the old one refused; terminals,
// readers and clients are revoked — here at once, and in another process on the same database within 5 s;
// clients are registered with scopes and a unit, and are refused (403) by the routes that are not theirs.
import { createHash, randomUUID } from 'node:crypto';
import { startSystem, type RunningSystem } from '@minyi/minyi';
import { ApiClient, startTestSystem, waitFor, type ApiResponse, type TestSystem } from '@minyi/testing';

let sys: TestSystem;
let admin: ApiClient;

beforeAll(async () => {
  sys = await startTestSystem();
  admin = sys.admin;
  for (const u of [
    { id: 'root', name: '深圳市公安局', parentId: null, kind: 'bureau' },
    { id: 'branch', name: '福田分局', parentId: 'root', kind: 'branch' },
    { id: 'station', name: '香蜜湖派出所', parentId: 'branch', kind: 'station' },
  ]) {
    const r = await admin.post('/v1/units', u);
    if (r.status !== 201) throw new Error(`unit ${u.id}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  const w = await admin.post('/v1/windows', { id: 'w1', unitId: 'station', name: '户政1号窗口' });
  if (w.status !== 201) throw new Error(`window: ${w.status} ${JSON.stringify(w.body)}`);
});
afterAll(() => sys?.close());

// ---------------------------------------------------------------------------------------------
// helpers

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const uid = (prefix: string) => `${prefix}-${randomUUID()}`;
const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');
const today = new Date().toISOString().slice(0, 10);
const satisfaction = `/v1/satisfaction?scope=unit:root&granularity=day&from=${today}&to=${today}`;
const rankings = `/v1/rankings?parentId=root&of=units&granularity=day&period=${today}`;
const rating = () => ({ id: randomUUID(), score: 5, occurredAt: new Date(Date.now() - 1000).toISOString() });

async function counts(): Promise<{ events: number; streams: number }> {
  const { rows } = await sys.db.pools.owner.query<{ events: number; streams: number }>(
    `SELECT (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM streams)::int AS streams`,
  );
  return rows[0];
}

async function eventsOf(streamId: string): Promise<{ type: string; data: any; unit_id: string | null; metadata: any }[]> {
  const { rows } = await sys.db.pools.owner.query(`SELECT type, data, unit_id, metadata FROM events WHERE stream_id = $1 ORDER BY stream_version`, [streamId]);
  return rows;
}

function expectProblem(r: ApiResponse, status: number, paths: string[] = []): void {
  expect({ status: r.status, body: r.body }).toEqual({ status, body: expect.anything() });
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(r.body).toEqual(expect.objectContaining({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) }));
  const named = ((r.body.errors ?? []) as { path: string }[]).map((e) => e.path);
  for (const p of paths) expect(named).toContain(p);
}

async function expectNothingStored(fn: () => Promise<void>): Promise<void> {
  const before = await counts();
  await fn();
  expect(await counts()).toEqual(before);
}

async function newTerminal(): Promise<{ id: string; key: string }> {
  const id = uid('t');
  const r = await admin.post('/v1/terminals', { id, windowId: 'w1' });
  if (r.status !== 201) throw new Error(`terminal: ${r.status} ${JSON.stringify(r.body)}`);
  return { id, key: r.body.apiKey };
}

async function newReader(): Promise<{ id: string; token: string }> {
  const id = uid('r');
  const r = await admin.post('/v1/readers', { id, role: 'analyst' });
  if (r.status !== 201) throw new Error(`reader: ${r.status} ${JSON.stringify(r.body)}`);
  return { id, token: r.body.token };
}

async function newClient(body: Record<string, unknown> = {}): Promise<{ id: string; token: string }> {
  const id = uid('c');
  const r = await admin.post('/v1/clients', { id, name: '12345 市民热线', scopes: ['complaints:write'], ...body });
  if (r.status !== 201) throw new Error(`client: ${r.status} ${JSON.stringify(r.body)}`);
  return { id, token: r.body.token };
}

const rates = (key: string, on: TestSystem | RunningSystem = sys) => new ApiClient(on.url, key).post('/v1/ratings', rating());
const reads = (token: string, on: TestSystem | RunningSystem = sys) => new ApiClient(on.url, token).get(satisfaction);

// ---------------------------------------------------------------------------------------------
describe('forged and malformed tokens', () => {
  const secret = 'A'.repeat(32);
  const forged: [string, string][] = [
    ['a NUL terminal id (mk_00_…)', 'mk_00_AAAAAAAAAAAAAAAA'],
    ['a NUL reader id', `mr_00_${secret}`],
    ['a NUL client id', `mc_00_${secret}`],
    ['NULs among valid characters', `mk_${hex('t')}00${hex('x')}_${secret}`],
    ['a lone surrogate, encoded as hex', `mk_eda0bd_${secret}`],
    ['a lone low surrogate, encoded as hex', `mr_edb080_${secret}`],
    ['invalid UTF-8', `mk_ff_${secret}`],
    ['a 65-character id', `mk_${hex('t'.repeat(65))}_${secret}`],
    ['an id with a slash', `mk_${hex('t/1')}_${secret}`],
    ['odd hex', `mk_${hex('w1')}7_${secret}`],
    ['uppercase hex', `mk_${hex('zz').toUpperCase()}_${secret}`],
    ['an empty holder id', `mk__${secret}`],
    ['an empty secret', `mk_${hex('t1')}_`],
    ['a 15-character secret', `mk_${hex('t1')}_${'A'.repeat(15)}`],
    ['a secret of 10,000 characters', `mk_${hex('t1')}_${'A'.repeat(10_000)}`],
    ['an unknown prefix', `mz_${hex('t1')}_${secret}`],
    ['a terminal nobody registered', `mk_${hex('t-ghost')}_${secret}`],
    ['a reader nobody issued', `mr_${hex('r-ghost')}_${secret}`],
    ['a client nobody registered', `mc_${hex('c-ghost')}_${secret}`],
    ['the administrator token with a character more', `${'test-admin-token-0123456789'}x`],
  ];
  const routes: [string, (c: ApiClient) => Promise<ApiResponse>][] = [
    ['POST /v1/ratings', (c) => c.post('/v1/ratings', rating())],
    ['GET /v1/satisfaction', (c) => c.get(satisfaction)],
    ['POST /v1/units', (c) => c.post('/v1/units', { id: uid('u'), name: 'x', parentId: 'root', kind: 'station' })],
    ['POST /v1/terminals/{id}/revoke', (c) => c.post('/v1/terminals/t-any/revoke', {})],
  ];
  const table = forged.flatMap(([what, token]) => routes.map(([route, call]) => [what, route, token, call] as const));

  it.each(table)('when a token with %s is sent to %s, then it answers 401 problem+json and stores nothing', async (_what, _route, token, call) => {
    await expectNothingStored(async () => expectProblem(await call(sys.client(token)), 401));
  });

  it('when forged tokens arrive together with good requests, then every forged one is 401 and every good one succeeds', async () => {
    const t = await newTerminal();
    const rs = await Promise.all([...forged.map(([, token]) => rates(token)), ...forged.map(() => rates(t.key))]);
    expect(rs.slice(0, forged.length).map((r) => r.status)).toEqual(Array(forged.length).fill(401));
    expect(rs.slice(forged.length).map((r) => r.status)).toEqual(Array(forged.length).fill(202));
  });
});

// ---------------------------------------------------------------------------------------------
describe('POST /v1/terminals/{id}/key', () => {
  it('when a terminal gets a new key, then it answers 200 { id, apiKey }, the new key rates for the same window and the old key is refused (401) at once', async () => {
    const t = await newTerminal();
    expect((await rates(t.key)).status).toBe(202);
    const r = await admin.post(`/v1/terminals/${t.id}/key`, {});
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: t.id, apiKey: expect.stringMatching(/^mk_[0-9a-f]+_[A-Za-z0-9_-]{16,}$/) });
    expect(r.body.apiKey).not.toBe(t.key);
    expectProblem(await rates(t.key), 401);
    const body = rating();
    expect((await sys.client(r.body.apiKey).post('/v1/ratings', body)).status).toBe(202);
    const [e] = await eventsOf(`rating-${body.id}`);
    expect(e.data).toEqual(expect.objectContaining({ terminalId: t.id, windowId: 'w1', unitId: 'station' }));
  });

  it('when the key is replaced twice, then only the latest admits the terminal', async () => {
    const t = await newTerminal();
    const second = (await admin.post(`/v1/terminals/${t.id}/key`, {})).body.apiKey;
    const third = (await admin.post(`/v1/terminals/${t.id}/key`, {})).body.apiKey;
    expectProblem(await rates(t.key), 401);
    expectProblem(await rates(second), 401);
    expect((await rates(third)).status).toBe(202);
  });

  it('when a new key is issued, then a TerminalKeyIssued holding only its sha256 is stored, never the key', async () => {
    const t = await newTerminal();
    const before = await counts();
    const key: string = (await admin.post(`/v1/terminals/${t.id}/key`, {})).body.apiKey;
    expect(await counts()).toEqual({ events: before.events + 1, streams: before.streams });
    const events = await eventsOf(`terminal-${t.id}`);
    expect(events.map((e) => e.type)).toEqual(['TerminalRegistered', 'TerminalKeyIssued']);
    expect(events[1].data).toEqual({ terminalId: t.id, keyHash: sha256(key) });
    expect(events[1].unit_id).toBe('station');
    expect(events[1].metadata).toEqual(expect.objectContaining({ actor: 'admin' }));
    const { rows } = await sys.db.pools.owner.query(`SELECT count(*)::int AS n FROM events WHERE strpos(data::text || metadata::text, $1) > 0`, [key.slice(-24)]);
    expect(rows[0].n).toBe(0);
  });

  it('when the request has no body at all, then it is taken as {} and answers 200', async () => {
    const t = await newTerminal();
    const r = await admin.request('POST', `/v1/terminals/${t.id}/key`);
    expect(r.status).toBe(200);
    expect(r.body.apiKey).toEqual(expect.any(String));
  });

  it('when the terminal does not exist, then it answers 404 and stores nothing', async () => {
    await expectNothingStored(async () => expectProblem(await admin.post(`/v1/terminals/${uid('t-none')}/key`, {}), 404));
  });

  it('when the terminal is revoked, then a new key is refused with 409 and stores nothing (a revocation is final)', async () => {
    const t = await newTerminal();
    expect((await admin.post(`/v1/terminals/${t.id}/revoke`, {})).status).toBe(200);
    await expectNothingStored(async () => {
      const r = await admin.post(`/v1/terminals/${t.id}/key`, {});
      expectProblem(r, 409);
      expect(r.body).not.toHaveProperty('apiKey');
    });
  });

  it.each([
    ['the body has a field', (id: string) => admin.post(`/v1/terminals/${id}/key`, { apiKey: 'chosen-by-the-client' }), ['apiKey']],
    ['the body is an array', (id: string) => admin.post(`/v1/terminals/${id}/key`, []), []],
    ['the id in the path is malformed', () => admin.post(`/v1/terminals/${encodeURIComponent('t 1')}/key`, {}), ['id']],
    ['the id in the path is 65 characters', () => admin.post(`/v1/terminals/${'t'.repeat(65)}/key`, {}), ['id']],
  ])('when %s, then it answers 400 naming the field and stores nothing', async (_what, call, paths) => {
    const t = await newTerminal();
    await expectNothingStored(async () => expectProblem(await call(t.id), 400, paths as string[]));
    expect((await rates(t.key)).status).toBe(202);
  });

  it('when a terminal, a reader or a client asks for a terminal’s new key, then it answers 403 and the key stays', async () => {
    const t = await newTerminal();
    const reader = await newReader();
    const client = await newClient();
    await expectNothingStored(async () => {
      for (const token of [t.key, reader.token, client.token]) expectProblem(await sys.client(token).post(`/v1/terminals/${t.id}/key`, {}), 403);
      expectProblem(await sys.client().post(`/v1/terminals/${t.id}/key`, {}), 401);
    });
    expect((await rates(t.key)).status).toBe(202);
  });
});

// ---------------------------------------------------------------------------------------------
describe('revocation', () => {
  const kinds = [
    ['terminal', 'terminals', async () => { const t = await newTerminal(); return { id: t.id, token: t.key }; }, (token: string) => rates(token), 202, 'TerminalRevoked'],
    ['reader', 'readers', newReader, (token: string) => reads(token), 200, 'ReaderRevoked'],
    ['client', 'clients', () => newClient(), (token: string) => reads(token), 403, 'ClientRevoked'],
  ] as const;

  it.each(kinds)('when a %s is revoked, then it answers 200 revoked, stores one event in its stream, and its token is refused (401) at once', async (kind, path, create, use, okStatus, eventType) => {
    const c = await create();
    expect((await use(c.token)).status).toBe(okStatus);
    const r = await admin.post(`/v1/${path}/${c.id}/revoke`, {});
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: c.id, status: 'revoked' });
    expectProblem(await use(c.token), 401);
    const events = await eventsOf(`${kind}-${c.id}`);
    expect(events.map((e) => e.type).at(-1)).toBe(eventType);
    expect(events.at(-1)?.data).toEqual({ [`${kind}Id`]: c.id });
  });

  it.each(kinds)('when a revoked %s is revoked again, then it answers 200 duplicate and stores nothing', async (_kind, path, create) => {
    const c = await create();
    expect((await admin.post(`/v1/${path}/${c.id}/revoke`, {})).body.status).toBe('revoked');
    await expectNothingStored(async () => {
      const r = await admin.post(`/v1/${path}/${c.id}/revoke`, {});
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ id: c.id, status: 'duplicate' });
    });
  });

  it.each(kinds)('when an unknown %s is revoked, then it answers 404 and stores nothing', async (_kind, path) => {
    await expectNothingStored(async () => expectProblem(await admin.post(`/v1/${path}/${uid('none')}/revoke`, {}), 404));
  });

  it.each(kinds)('when a %s is revoked by 10 parallel requests, then one answers revoked, nine duplicate, and one event is stored', async (kind, path, create) => {
    const c = await create();
    const rs = await Promise.all(Array.from({ length: 10 }, () => admin.post(`/v1/${path}/${c.id}/revoke`, {})));
    expect(rs.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(rs.filter((r) => r.body.status === 'revoked')).toHaveLength(1);
    expect(rs.filter((r) => r.body.status === 'duplicate')).toHaveLength(9);
    expect((await eventsOf(`${kind}-${c.id}`)).filter((e) => e.type.endsWith('Revoked'))).toHaveLength(1);
  });

  it('when an id names another kind of credential, then revoking it as this kind is 404 (terminal, reader and client ids are apart)', async () => {
    const reader = await newReader();
    await expectNothingStored(async () => {
      expectProblem(await admin.post(`/v1/terminals/${reader.id}/revoke`, {}), 404);
      expectProblem(await admin.post(`/v1/clients/${reader.id}/revoke`, {}), 404);
    });
    expect((await reads(reader.token)).status).toBe(200);
  });

  it('when a revoked terminal is registered again with the same body, then it answers 200 duplicate without a key, and stays revoked', async () => {
    const t = await newTerminal();
    await admin.post(`/v1/terminals/${t.id}/revoke`, {});
    const again = await admin.post('/v1/terminals', { id: t.id, windowId: 'w1' });
    expect(again.status).toBe(200);
    expect(again.body).not.toHaveProperty('apiKey');
    expectProblem(await rates(t.key), 401);
  });

  it('when a revoke carries a body with a field, or a malformed id, then it answers 400 and revokes nothing', async () => {
    const t = await newTerminal();
    await expectNothingStored(async () => {
      expectProblem(await admin.post(`/v1/terminals/${t.id}/revoke`, { reason: 'x' }), 400, ['reason']);
      expectProblem(await admin.post(`/v1/readers/${encodeURIComponent('r#1')}/revoke`, {}), 400, ['id']);
    });
    expect((await rates(t.key)).status).toBe(202);
  });

  it('when anybody but the administrator revokes, then it answers 401 or 403 and revokes nothing', async () => {
    const t = await newTerminal();
    const reader = await newReader();
    const client = await newClient({ scopes: ['cases:write'] });
    await expectNothingStored(async () => {
      for (const token of [t.key, reader.token, client.token]) {
        for (const path of [`/v1/terminals/${t.id}/revoke`, `/v1/readers/${reader.id}/revoke`, `/v1/clients/${client.id}/revoke`]) {
          expectProblem(await sys.client(token).post(path, {}), 403);
        }
      }
      expectProblem(await sys.client().post(`/v1/terminals/${t.id}/revoke`, {}), 401);
    });
    expect((await rates(t.key)).status).toBe(202);
  });
});

// ---------------------------------------------------------------------------------------------
describe('POST /v1/clients', () => {
  it('when a client is registered, then it answers 201 with an mc_ token shown once, and a ClientRegistered holding only its hash is stored', async () => {
    const body = { id: uid('c'), name: '12345 市民服务热线', scopes: ['complaints:write', 'cases:write'], unitId: 'branch' };
    const r = await admin.post('/v1/clients', body);
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ id: body.id, name: body.name, scopes: body.scopes, unitId: 'branch', token: expect.stringMatching(/^mc_/), status: 'created' });
    const events = await eventsOf(`client-${body.id}`);
    expect(events).toHaveLength(1);
    expect(events[0].type).toBe('ClientRegistered');
    expect(events[0].data).toEqual({ clientId: body.id, name: body.name, scopes: body.scopes, unitId: 'branch', tokenHash: sha256(r.body.token) });
    expect(events[0].unit_id).toBe('branch');
    const { rows } = await sys.db.pools.owner.query(`SELECT count(*)::int AS n FROM events WHERE strpos(data::text || metadata::text, $1) > 0`, [r.body.token.slice(-24)]);
    expect(rows[0].n).toBe(0);
  });

  it('when a client without unitId is registered, then it acts for every unit (unitId null)', async () => {
    const r = await admin.post('/v1/clients', { id: uid('c'), name: '全市问卷', scopes: ['surveys:write'] });
    expect(r.status).toBe(201);
    expect(r.body.unitId).toBeNull();
  });

  it('when the same client is sent again (scopes in another order, unitId null for absent), then it answers 200 duplicate without a token and stores nothing', async () => {
    const body = { id: uid('c'), name: '民警手机', scopes: ['visits:write', 'cases:write'] };
    const first = await admin.post('/v1/clients', body);
    expect(first.status).toBe(201);
    await expectNothingStored(async () => {
      for (const again of [body, { ...body, scopes: ['cases:write', 'visits:write'] }, { ...body, unitId: null }]) {
        const r = await admin.post('/v1/clients', again);
        expect(r.status).toBe(200);
        expect(r.body).toEqual({ id: body.id, name: body.name, scopes: ['visits:write', 'cases:write'], unitId: null, status: 'duplicate' });
        expect(JSON.stringify(r.body)).not.toContain(first.body.token);
      }
    });
    expectProblem(await reads(first.body.token), 403); // the first token still works: a client, not a reader
  });

  it('when another client is sent under a taken id, then it answers 409 without a token and stores nothing', async () => {
    const body = { id: uid('c'), name: '热线', scopes: ['complaints:write'] };
    expect((await admin.post('/v1/clients', body)).status).toBe(201);
    await expectNothingStored(async () => {
      for (const other of [{ ...body, name: '另一个' }, { ...body, scopes: ['complaints:write', 'cases:write'] }, { ...body, unitId: 'station' }]) {
        const r = await admin.post('/v1/clients', other);
        expectProblem(r, 409);
        expect(r.body).not.toHaveProperty('token');
      }
    });
  });

  it('when the unit does not exist, then it answers 422 naming unitId, without a token, and stores nothing', async () => {
    await expectNothingStored(async () => {
      const r = await admin.post('/v1/clients', { id: uid('c'), name: 'x', scopes: ['visits:write'], unitId: 'no-such-unit' });
      expectProblem(r, 422, ['unitId']);
      expect(r.body).not.toHaveProperty('token');
    });
  });

  it.each([
    ['id is missing', { name: 'x', scopes: ['visits:write'] }, ['id']],
    ['id is malformed', { id: 'c 1', name: 'x', scopes: ['visits:write'] }, ['id']],
    ['name is missing', { id: 'c-no-name', scopes: ['visits:write'] }, ['name']],
    ['name is empty', { id: 'c-empty-name', name: '', scopes: ['visits:write'] }, ['name']],
    ['scopes is missing', { id: 'c-no-scopes', name: 'x' }, ['scopes']],
    ['scopes is empty', { id: 'c-empty-scopes', name: 'x', scopes: [] }, ['scopes']],
    ['a scope is unknown', { id: 'c-bad-scope', name: 'x', scopes: ['ratings:write'] }, ['scopes.0']],
    ['a scope is repeated', { id: 'c-twice', name: 'x', scopes: ['visits:write', 'visits:write'] }, ['scopes']],
    ['scopes is a string', { id: 'c-string', name: 'x', scopes: 'visits:write' }, ['scopes']],
    ['unitId is a number', { id: 'c-num-unit', name: 'x', scopes: ['visits:write'], unitId: 7 }, ['unitId']],
    ['a token is sent', { id: 'c-token', name: 'x', scopes: ['visits:write'], token: 'mc_chosen' }, ['token']],
  ])('when %s, then it answers 400 naming the field and stores nothing', async (_what, body, paths) => {
    await expectNothingStored(async () => expectProblem(await admin.post('/v1/clients', body), 400, paths as string[]));
  });

  it('when a client token is used on the routes of readers, terminals and the administrator, then each answers 403 and stores nothing', async () => {
    const client = await newClient({ scopes: ['complaints:write', 'visits:write', 'surveys:write', 'cases:write'] });
    const c = sys.client(client.token);
    await expectNothingStored(async () => {
      expectProblem(await c.get(satisfaction), 403);
      expectProblem(await c.get(rankings), 403);
      expectProblem(await c.post('/v1/ratings', rating()), 403);
      expectProblem(await c.post('/v1/ratings/batch', { ratings: [rating()] }), 403);
      expectProblem(await c.post('/v1/units', { id: uid('u'), name: 'x', parentId: 'root', kind: 'station' }), 403);
      expectProblem(await c.post('/v1/clients', { id: uid('c'), name: 'x', scopes: ['cases:write'] }), 403);
    });
  });

  it('when a terminal or a reader registers a client, then it answers 403 and stores nothing', async () => {
    const t = await newTerminal();
    const reader = await newReader();
    await expectNothingStored(async () => {
      for (const token of [t.key, reader.token]) expectProblem(await sys.client(token).post('/v1/clients', { id: uid('c'), name: 'x', scopes: ['cases:write'] }), 403);
    });
  });
});

// ---------------------------------------------------------------------------------------------
describe('another process on the same database', () => {
  let other: RunningSystem;
  beforeAll(async () => {
    // The write side and the read side of a second process, as the distributed mode runs them.
    other = await startSystem(sys.config, { logger: false, parts: ['organisation', 'ratings', 'analytics'] });
  });
  afterAll(() => other?.stop());

  /** Waits (polling, 5 s at most from now: API.md's bound) until `check` holds. */
  const within5s = (what: string, check: () => Promise<boolean>) => waitFor(what, check, 5000, 50);

  it('when a terminal is revoked through this process, then the other process, which admitted its key a moment ago, refuses it within 5 s', async () => {
    const t = await newTerminal();
    expect((await rates(t.key, other)).status).toBe(202);
    expect((await admin.post(`/v1/terminals/${t.id}/revoke`, {})).status).toBe(200);
    await within5s('the other process to refuse the revoked key', async () => (await rates(t.key, other)).status === 401);
  });

  it('when a terminal’s key is replaced through this process, then within 5 s the other process refuses the old key and admits the new one', async () => {
    const t = await newTerminal();
    expect((await rates(t.key, other)).status).toBe(202);
    const newKey: string = (await admin.post(`/v1/terminals/${t.id}/key`, {})).body.apiKey;
    await within5s('the other process to refuse the old key', async () => (await rates(t.key, other)).status === 401);
    await within5s('the other process to admit the new key', async () => (await rates(newKey, other)).status === 202);
  });

  it('when a reader is revoked through the other process, then this process, which admitted its token a moment ago, refuses it within 5 s', async () => {
    const reader = await newReader();
    expect((await reads(reader.token)).status).toBe(200);
    expect((await new ApiClient(other.url, sys.admin.token).post(`/v1/readers/${reader.id}/revoke`, {})).status).toBe(200);
    await within5s('this process to refuse the revoked reader', async () => (await reads(reader.token)).status === 401);
  });

  it('when a client is revoked through this process, then the other process refuses it (401, where it was 403) within 5 s', async () => {
    const client = await newClient();
    expectProblem(await reads(client.token, other), 403);
    expect((await admin.post(`/v1/clients/${client.id}/revoke`, {})).status).toBe(200);
    await within5s('the other process to refuse the revoked client', async () => (await reads(client.token, other)).status === 401);
  });

  it('when a forged token with a NUL holder id reaches the other process, then it answers 401 too', async () => {
    expectProblem(await new ApiClient(other.url, 'mk_00_AAAAAAAAAAAAAAAA').post('/v1/ratings', rating()), 401);
  });
});
