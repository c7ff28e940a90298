// The organisation write side as the administrator meets it (API.md "Conventions" and "Organisation";
// ARCHITECTURE.md invariants 2, 3 and 8): units, windows, officers, terminals and readers are created
// once under their client-made id, retried as duplicates, refused on clashes, unknown references and
// invalid bodies — storing nothing when refused — and credentials are kept only as hashes.
import { createHash, randomUUID } from 'node:crypto';
import { startTestSystem, TEST_ADMIN_TOKEN, type ApiClient, type ApiResponse, type TestSystem } from '@minyi/testing';

let sys: TestSystem;
let admin: ApiClient;

beforeAll(async () => {
  sys = await startTestSystem();
  admin = sys.admin;
  // A small tree the tests hang things on: root → branch → station.
  for (const u of [
    { id: 'root', name: '深圳市公安局', parentId: null, kind: 'bureau' },
    { id: 'branch', name: '福田分局', parentId: 'root', kind: 'branch' },
    { id: 'station', name: '香蜜湖派出所', parentId: 'branch', kind: 'station' },
    { id: 'other-branch', name: '南山分局', parentId: 'root', kind: 'branch' },
  ]) {
    const r = await admin.post('/v1/units', u);
    if (r.status !== 201) throw new Error(`unit ${u.id}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  const w = await admin.post('/v1/windows', { id: 'station-w1', unitId: 'station', name: '户政1号窗口', serviceTypes: ['户籍办理'] });
  if (w.status !== 201) throw new Error(`window: ${w.status} ${JSON.stringify(w.body)}`);
});
afterAll(() => sys?.close());

// ---------------------------------------------------------------------------------------------
// helpers

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const uid = (prefix: string) => `${prefix}-${randomUUID()}`;

async function counts(): Promise<{ events: number; streams: number }> {
  const { rows } = await sys.db.pools.owner.query<{ events: number; streams: number }>(
    `SELECT (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM streams)::int AS streams`,
  );
  return rows[0];
}

async function eventsOf(streamId: string): Promise<{ type: string; data: any; unit_id: string | null }[]> {
  const { rows } = await sys.db.pools.owner.query(`SELECT type, data, unit_id FROM events WHERE stream_id = $1 ORDER BY stream_version`, [streamId]);
  return rows;
}

/** Asserts an RFC 9457 problem with this status, naming (at least) these field paths. */
function expectProblem(r: ApiResponse, status: number, paths: string[] = []): void {
  expect({ status: r.status, body: r.body }).toEqual({ status, body: expect.anything() });
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(r.body).toEqual(expect.objectContaining({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) }));
  if (paths.length > 0) {
    expect(Array.isArray(r.body.errors)).toBe(true);
    const named = (r.body.errors as { path: string }[]).map((e) => e.path);
    for (const p of paths) expect(named).toContain(p);
  }
}

async function expectNothingStored(fn: () => Promise<void>): Promise<void> {
  const before = await counts();
  await fn();
  expect(await counts()).toEqual(before);
}

/** Every row of every table in the database, as text, that contains `needle`. */
async function rowsContaining(needle: string): Promise<string[]> {
  const { rows: tables } = await sys.db.pools.owner.query<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
  );
  const hits: string[] = [];
  for (const t of tables) {
    const q = `SELECT t::text AS row FROM "${t.schema}"."${t.name}" t WHERE strpos(t::text, $1) > 0`;
    const { rows } = await sys.db.pools.owner.query<{ row: string }>(q, [needle]);
    for (const r of rows) hits.push(`${t.schema}.${t.name}: ${r.row}`);
  }
  return hits;
}

function withoutUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

// ---------------------------------------------------------------------------------------------
describe('POST /v1/units', () => {
  it('when a root unit and a child are registered, then each answers 201 created and one UnitRegistered is stored per unit', async () => {
    const before = await counts();
    const root = { id: uid('u-root'), name: '某市公安局', parentId: null, kind: 'bureau' };
    const child = { id: uid('u-child'), name: '某分局', parentId: root.id, kind: 'branch' };
    const r1 = await admin.post('/v1/units', root);
    expect(r1.status).toBe(201);
    expect(r1.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r1.body).toEqual(expect.objectContaining({ id: root.id, status: 'created' }));
    const r2 = await admin.post('/v1/units', child);
    expect(r2.status).toBe(201);
    expect(r2.body).toEqual(expect.objectContaining({ id: child.id, status: 'created' }));
    expect(await counts()).toEqual({ events: before.events + 2, streams: before.streams + 2 });
    const [e] = await eventsOf(`unit-${child.id}`);
    expect(e.type).toBe('UnitRegistered');
    expect(e.data).toEqual(expect.objectContaining({ unitId: child.id, name: '某分局', parentId: root.id, kind: 'branch' }));
  });

  it('when the same unit is registered again (even with its fields reordered), then it answers 200 duplicate and stores nothing', async () => {
    const unit = { id: uid('u'), name: '梅林派出所', parentId: 'branch', kind: 'station' };
    expect((await admin.post('/v1/units', unit)).status).toBe(201);
    await expectNothingStored(async () => {
      for (const body of [unit, Object.fromEntries(Object.entries(unit).reverse())]) {
        const r = await admin.post('/v1/units', body);
        expect(r.status).toBe(200);
        expect(r.body).toEqual(expect.objectContaining({ id: unit.id, status: 'duplicate' }));
      }
    });
  });

  it('when another unit is sent under a taken id, then it answers 409 and the first registration stays', async () => {
    const unit = { id: uid('u'), name: '莲花派出所', parentId: 'branch', kind: 'station' };
    expect((await admin.post('/v1/units', unit)).status).toBe(201);
    await expectNothingStored(async () => {
      expectProblem(await admin.post('/v1/units', { ...unit, name: '另一个名字' }), 409);
      expectProblem(await admin.post('/v1/units', { ...unit, parentId: 'other-branch' }), 409);
      expectProblem(await admin.post('/v1/units', { ...unit, kind: 'brigade' }), 409);
    });
    const events = await eventsOf(`unit-${unit.id}`);
    expect(events).toHaveLength(1);
    expect(events[0].data.name).toBe('莲花派出所');
  });

  it('when the parent unit does not exist, then it answers 422 naming parentId and stores nothing; once the parent exists it is accepted', async () => {
    const parentId = uid('u-later');
    const unit = { id: uid('u'), name: '下级', parentId, kind: 'station' };
    await expectNothingStored(async () => expectProblem(await admin.post('/v1/units', unit), 422, ['parentId']));
    expect((await admin.post('/v1/units', { id: parentId, name: '上级', parentId: 'root', kind: 'branch' })).status).toBe(201);
    expect((await admin.post('/v1/units', unit)).status).toBe(201);
  });

  it('when a unit names itself as its parent, then it answers 422 naming parentId and stores nothing', async () => {
    const id = uid('u');
    await expectNothingStored(async () => expectProblem(await admin.post('/v1/units', { id, name: '自己', parentId: id, kind: 'station' }), 422, ['parentId']));
  });

  const valid = () => ({ id: uid('u'), name: '某派出所', parentId: 'branch', kind: 'station' }) as Record<string, unknown>;
  it.each([
    ['id is missing', () => ({ ...valid(), id: undefined }), ['id']],
    ['id has characters outside A-Za-z0-9._:-', () => ({ ...valid(), id: '派出所 1' }), ['id']],
    ['id is longer than 64 characters', () => ({ ...valid(), id: 'u'.repeat(65) }), ['id']],
    ['name is missing', () => ({ ...valid(), name: undefined }), ['name']],
    ['name is empty', () => ({ ...valid(), name: '' }), ['name']],
    ['name is not a string', () => ({ ...valid(), name: 12 }), ['name']],
    ['parentId is missing (null is required for a root)', () => ({ ...valid(), parentId: undefined }), ['parentId']],
    ['parentId is a number', () => ({ ...valid(), parentId: 7 }), ['parentId']],
    ['kind is missing', () => ({ ...valid(), kind: undefined }), ['kind']],
    ['kind is empty', () => ({ ...valid(), kind: '' }), ['kind']],
    ['an unknown field is sent', () => ({ ...valid(), colour: 'blue' }), ['colour']],
    ['several fields are bad', () => ({ id: '', name: '', parentId: 1, kind: 2 }), ['id', 'name', 'parentId', 'kind']],
  ])('when %s, then it answers 400 naming the field and stores nothing', async (_name, body, paths) => {
    await expectNothingStored(async () => expectProblem(await admin.post('/v1/units', withoutUndefined(body())), 400, paths as string[]));
  });

  it('when the body is not a JSON object, then it answers 400 and stores nothing', async () => {
    await expectNothingStored(async () => {
      expectProblem(await admin.request('POST', '/v1/units', '{"id": ', { 'content-type': 'application/json' }), 400);
      expectProblem(await admin.post('/v1/units', [valid()]), 400);
    });
  });

  it('when 10 identical registrations arrive at once, then one answers 201, nine 200 duplicate, and one event is stored', async () => {
    const unit = { id: uid('u'), name: '并发派出所', parentId: 'branch', kind: 'station' };
    const rs = await Promise.all(Array.from({ length: 10 }, () => admin.post('/v1/units', unit)));
    expect(rs.map((r) => r.status).sort((a, b) => a - b)).toEqual([...Array(9).fill(200), 201]);
    expect(rs.filter((r) => r.status === 200).every((r) => r.body.status === 'duplicate')).toBe(true);
    expect(await eventsOf(`unit-${unit.id}`)).toHaveLength(1);
  });

  it('when 10 different units race for one id, then one answers 201, nine 409, and only the winner is stored', async () => {
    const id = uid('u');
    const rs = await Promise.all(Array.from({ length: 10 }, (_, i) => admin.post('/v1/units', { id, name: `候选${i}`, parentId: 'branch', kind: 'station' })));
    expect(rs.map((r) => r.status).sort((a, b) => a - b)).toEqual([201, ...Array(9).fill(409)]);
    const winner = rs.findIndex((r) => r.status === 201);
    const events = await eventsOf(`unit-${id}`);
    expect(events).toHaveLength(1);
    expect(events[0].data.name).toBe(`候选${winner}`);
  });
});

// ---------------------------------------------------------------------------------------------
describe('POST /v1/windows', () => {
  it('when a window is registered, then it answers 201 created and stores a WindowRegistered in its unit', async () => {
    const w = { id: uid('w'), unitId: 'station', name: '户政2号窗口', serviceTypes: ['户籍办理', '身份证办理'] };
    const before = await counts();
    const r = await admin.post('/v1/windows', w);
    expect(r.status).toBe(201);
    expect(r.body).toEqual(expect.objectContaining({ id: w.id, status: 'created' }));
    expect(await counts()).toEqual({ events: before.events + 1, streams: before.streams + 1 });
    const [e] = await eventsOf(`window-${w.id}`);
    expect(e.type).toBe('WindowRegistered');
    expect(e.data).toEqual(expect.objectContaining({ windowId: w.id, unitId: 'station', name: '户政2号窗口', serviceTypes: ['户籍办理', '身份证办理'] }));
    expect(e.unit_id).toBe('station');
  });

  it('when a window is registered without serviceTypes, then it answers 201', async () => {
    const r = await admin.post('/v1/windows', { id: uid('w'), unitId: 'station', name: '综合窗口' });
    expect(r.status).toBe(201);
  });

  it('when the same window is registered again, then it answers 200 duplicate and stores nothing', async () => {
    const w = { id: uid('w'), unitId: 'station', name: '3号窗口', serviceTypes: ['出入境'] };
    expect((await admin.post('/v1/windows', w)).status).toBe(201);
    await expectNothingStored(async () => {
      const r = await admin.post('/v1/windows', w);
      expect(r.status).toBe(200);
      expect(r.body).toEqual(expect.objectContaining({ id: w.id, status: 'duplicate' }));
    });
  });

  it('when another window is sent under a taken id, then it answers 409 and stores nothing', async () => {
    const w = { id: uid('w'), unitId: 'station', name: '4号窗口' };
    expect((await admin.post('/v1/windows', w)).status).toBe(201);
    await expectNothingStored(async () => {
      expectProblem(await admin.post('/v1/windows', { ...w, name: '5号窗口' }), 409);
      expectProblem(await admin.post('/v1/windows', { ...w, unitId: 'branch' }), 409);
      expectProblem(await admin.post('/v1/windows', { ...w, serviceTypes: ['户籍办理'] }), 409);
    });
  });

  it('when the unit does not exist, then it answers 422 naming unitId and stores nothing', async () => {
    await expectNothingStored(async () => expectProblem(await admin.post('/v1/windows', { id: uid('w'), unitId: 'no-such-unit', name: 'x' }), 422, ['unitId']));
  });

  const valid = () => ({ id: uid('w'), unitId: 'station', name: '窗口' }) as Record<string, unknown>;
  it.each([
    ['id is missing', () => ({ ...valid(), id: undefined }), ['id']],
    ['id is malformed', () => ({ ...valid(), id: 'w/1' }), ['id']],
    ['unitId is missing', () => ({ ...valid(), unitId: undefined }), ['unitId']],
    ['name is missing', () => ({ ...valid(), name: undefined }), ['name']],
    ['serviceTypes is not an array', () => ({ ...valid(), serviceTypes: '户籍办理' }), ['serviceTypes']],
    ['a service type is empty', () => ({ ...valid(), serviceTypes: ['户籍办理', ''] }), ['serviceTypes.1']],
    ['a service type is not a string', () => ({ ...valid(), serviceTypes: [3] }), ['serviceTypes.0']],
    ['an unknown field is sent', () => ({ ...valid(), terminalId: 't-1' }), ['terminalId']],
  ])('when %s, then it answers 400 naming the field and stores nothing', async (_name, body, paths) => {
    await expectNothingStored(async () => expectProblem(await admin.post('/v1/windows', withoutUndefined(body())), 400, paths as string[]));
  });
});

// ---------------------------------------------------------------------------------------------
describe('POST /v1/officers', () => {
  it('when an officer is registered, then it answers 201 created and stores an OfficerRegistered', async () => {
    const o = { id: uid('o'), unitId: 'station', name: '王建国' };
    const r = await admin.post('/v1/officers', o);
    expect(r.status).toBe(201);
    expect(r.body).toEqual(expect.objectContaining({ id: o.id, status: 'created' }));
    const [e] = await eventsOf(`officer-${o.id}`);
    expect(e.type).toBe('OfficerRegistered');
    expect(e.data).toEqual(expect.objectContaining({ officerId: o.id, unitId: 'station', name: '王建国' }));
  });

  it('when the same officer is registered again, then it answers 200 duplicate and stores nothing', async () => {
    const o = { id: uid('o'), unitId: 'station', name: '李秀英' };
    expect((await admin.post('/v1/officers', o)).status).toBe(201);
    await expectNothingStored(async () => {
      const r = await admin.post('/v1/officers', o);
      expect(r.status).toBe(200);
      expect(r.body).toEqual(expect.objectContaining({ id: o.id, status: 'duplicate' }));
    });
  });

  it('when another officer is sent under a taken id, then it answers 409 and stores nothing', async () => {
    const o = { id: uid('o'), unitId: 'station', name: '张伟' };
    expect((await admin.post('/v1/officers', o)).status).toBe(201);
    await expectNothingStored(async () => {
      expectProblem(await admin.post('/v1/officers', { ...o, name: '张薇' }), 409);
      expectProblem(await admin.post('/v1/officers', { ...o, unitId: 'branch' }), 409);
    });
  });

  it('when the unit does not exist, then it answers 422 naming unitId and stores nothing', async () => {
    await expectNothingStored(async () => expectProblem(await admin.post('/v1/officers', { id: uid('o'), unitId: 'no-such-unit', name: '某' }), 422, ['unitId']));
  });

  const valid = () => ({ id: uid('o'), unitId: 'station', name: '某人' }) as Record<string, unknown>;
  it.each([
    ['id is missing', () => ({ ...valid(), id: undefined }), ['id']],
    ['id is malformed', () => ({ ...valid(), id: 'o 1' }), ['id']],
    ['unitId is missing', () => ({ ...valid(), unitId: undefined }), ['unitId']],
    ['name is missing', () => ({ ...valid(), name: undefined }), ['name']],
    ['name is empty', () => ({ ...valid(), name: '' }), ['name']],
    ['an unknown field is sent', () => ({ ...valid(), rank: '一级警司' }), ['rank']],
  ])('when %s, then it answers 400 naming the field and stores nothing', async (_name, body, paths) => {
    await expectNothingStored(async () => expectProblem(await admin.post('/v1/officers', withoutUndefined(body())), 400, paths as string[]));
  });
});

// ---------------------------------------------------------------------------------------------
describe('POST /v1/terminals', () => {
  it('when a terminal is registered, then it answers 201 with its key, and the key submits ratings for its window and unit', async () => {
    const t = { id: uid('t'), windowId: 'station-w1' };
    const r = await admin.post('/v1/terminals', t);
    expect(r.status).toBe(201);
    expect(r.body).toEqual(expect.objectContaining({ id: t.id, windowId: 'station-w1', apiKey: expect.any(String), status: 'created' }));
    const key: string = r.body.apiKey;
    expect(key.length).toBeGreaterThanOrEqual(16);

    const ratingId = randomUUID();
    const s = await sys.client(key).post('/v1/ratings', { id: ratingId, score: 5, occurredAt: new Date(Date.now() - 60_000).toISOString() });
    expect(s.status).toBe(202);
    expect(s.body).toEqual({ id: ratingId, status: 'accepted' });
    const [e] = await eventsOf(`rating-${ratingId}`);
    expect(e.data).toEqual(expect.objectContaining({ terminalId: t.id, windowId: 'station-w1', unitId: 'station' }));
  });

  it('when the same terminal is registered again, then it answers 200 duplicate without a key, stores nothing, and the first key still works', async () => {
    const t = { id: uid('t'), windowId: 'station-w1' };
    const first = await admin.post('/v1/terminals', t);
    expect(first.status).toBe(201);
    await expectNothingStored(async () => {
      const again = await admin.post('/v1/terminals', t);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(expect.objectContaining({ id: t.id, status: 'duplicate' }));
      expect(again.body).not.toHaveProperty('apiKey');
      expect(JSON.stringify(again.body)).not.toContain(first.body.apiKey);
    });
    const s = await sys.client(first.body.apiKey).post('/v1/ratings', { id: randomUUID(), score: 4, occurredAt: new Date().toISOString() });
    expect(s.status).toBe(202);
  });

  it('when a terminal id is reused for another window, then it answers 409 with no key and stores nothing', async () => {
    const t = { id: uid('t'), windowId: 'station-w1' };
    expect((await admin.post('/v1/terminals', t)).status).toBe(201);
    const other = await admin.post('/v1/windows', { id: uid('w'), unitId: 'station', name: '另一窗口' });
    expect(other.status).toBe(201);
    await expectNothingStored(async () => {
      const r = await admin.post('/v1/terminals', { ...t, windowId: other.body.id });
      expectProblem(r, 409);
      expect(r.body).not.toHaveProperty('apiKey');
    });
  });

  it('when the window does not exist, then it answers 422 naming windowId with no key and stores nothing', async () => {
    await expectNothingStored(async () => {
      const r = await admin.post('/v1/terminals', { id: uid('t'), windowId: 'no-such-window' });
      expectProblem(r, 422, ['windowId']);
      expect(r.body).not.toHaveProperty('apiKey');
    });
  });

  it.each([
    ['id is missing', { windowId: 'station-w1' }, ['id']],
    ['id is malformed', { id: 't#1', windowId: 'station-w1' }, ['id']],
    ['windowId is missing', { id: 't-missing-window' }, ['windowId']],
    ['windowId is not a string', { id: 't-num-window', windowId: 5 }, ['windowId']],
    ['an unknown field (unitId) is sent', { id: 't-with-unit', windowId: 'station-w1', unitId: 'station' }, ['unitId']],
    ['an apiKey is sent', { id: 't-with-key', windowId: 'station-w1', apiKey: 'mk_00_chosen-by-the-client' }, ['apiKey']],
  ])('when %s, then it answers 400 naming the field and stores nothing', async (_name, body, paths) => {
    await expectNothingStored(async () => expectProblem(await admin.post('/v1/terminals', body), 400, paths as string[]));
  });

  it('when a terminal is registered, then only the sha256 of its key is stored, never the key itself', async () => {
    const t = { id: uid('t'), windowId: 'station-w1' };
    const r = await admin.post('/v1/terminals', t);
    expect(r.status).toBe(201);
    const key: string = r.body.apiKey;
    const [e] = await eventsOf(`terminal-${t.id}`);
    expect(e.type).toBe('TerminalRegistered');
    expect(JSON.stringify(e.data)).toContain(sha256(key));
    const { rows } = await sys.db.pools.owner.query(`SELECT count(*)::int AS n FROM events WHERE strpos(data::text || metadata::text, $1) > 0`, [key]);
    expect(rows[0].n).toBe(0);
    // Neither the key nor its random tail is kept anywhere (not in the log, not in any read model).
    expect(await rowsContaining(key)).toEqual([]);
    expect(await rowsContaining(key.slice(-20))).toEqual([]);
  });

  it('when 10 identical terminal registrations arrive at once, then exactly one key is issued (201), the rest are 200 duplicates without a key, and that key works', async () => {
    const t = { id: uid('t'), windowId: 'station-w1' };
    const rs = await Promise.all(Array.from({ length: 10 }, () => admin.post('/v1/terminals', t)));
    expect(rs.map((r) => r.status).sort((a, b) => a - b)).toEqual([...Array(9).fill(200), 201]);
    const keys = rs.map((r) => r.body.apiKey).filter((k) => k !== undefined && k !== null);
    expect(keys).toHaveLength(1);
    expect(await eventsOf(`terminal-${t.id}`)).toHaveLength(1);
    const s = await sys.client(keys[0]).post('/v1/ratings', { id: randomUUID(), score: 5, occurredAt: new Date().toISOString() });
    expect(s.status).toBe(202);
  });

  it('when two terminals are registered, then their keys differ and each works only as itself', async () => {
    const a = await admin.post('/v1/terminals', { id: uid('t'), windowId: 'station-w1' });
    const b = await admin.post('/v1/terminals', { id: uid('t'), windowId: 'station-w1' });
    expect(a.body.apiKey).not.toBe(b.body.apiKey);
    const ratingId = randomUUID();
    expect((await sys.client(b.body.apiKey).post('/v1/ratings', { id: ratingId, score: 3, occurredAt: new Date().toISOString() })).status).toBe(202);
    expect((await eventsOf(`rating-${ratingId}`))[0].data.terminalId).toBe(b.body.id);
  });
});

// ---------------------------------------------------------------------------------------------
describe('POST /v1/readers', () => {
  const today = new Date().toISOString().slice(0, 10);
  const satisfaction = (scope: string) => `/v1/satisfaction?scope=${scope}&granularity=day&from=${today}&to=${today}`;

  it('when an analyst is issued, then it answers 201 with a token that reads satisfaction anywhere', async () => {
    const r = await admin.post('/v1/readers', { id: uid('analyst'), role: 'analyst' });
    expect(r.status).toBe(201);
    expect(r.body).toEqual(expect.objectContaining({ id: r.body.id, token: expect.any(String), status: 'created' }));
    const reader = sys.client(r.body.token);
    expect((await reader.get(satisfaction('unit:root'))).status).toBe(200);
    expect((await reader.get(satisfaction('unit:other-branch'))).status).toBe(200);
  });

  it('when a leader is issued for a unit, then it answers 201 and its token reads that subtree but not a sibling (403)', async () => {
    const r = await admin.post('/v1/readers', { id: uid('leader'), role: 'leader', unitId: 'branch' });
    expect(r.status).toBe(201);
    expect(r.body).toEqual(expect.objectContaining({ token: expect.any(String), status: 'created' }));
    const reader = sys.client(r.body.token);
    expect((await reader.get(satisfaction('unit:branch'))).status).toBe(200);
    expect((await reader.get(satisfaction('unit:station'))).status).toBe(200);
    expectProblem(await reader.get(satisfaction('unit:other-branch')), 403);
  });

  it('when a leader has no unitId, then it answers 400 naming unitId and stores nothing', async () => {
    await expectNothingStored(async () => {
      expectProblem(await admin.post('/v1/readers', { id: uid('leader'), role: 'leader' }), 400, ['unitId']);
      expectProblem(await admin.post('/v1/readers', { id: uid('leader'), role: 'leader', unitId: null }), 400, ['unitId']);
    });
  });

  it('when a leader names a unit that does not exist, then it answers 422 naming unitId, with no token, and stores nothing', async () => {
    await expectNothingStored(async () => {
      const r = await admin.post('/v1/readers', { id: uid('leader'), role: 'leader', unitId: 'no-such-unit' });
      expectProblem(r, 422, ['unitId']);
      expect(r.body).not.toHaveProperty('token');
    });
  });

  it('when the same reader is issued again, then it answers 200 duplicate without a token, stores nothing, and the first token still works', async () => {
    const body = { id: uid('leader'), role: 'leader', unitId: 'station' };
    const first = await admin.post('/v1/readers', body);
    expect(first.status).toBe(201);
    await expectNothingStored(async () => {
      const again = await admin.post('/v1/readers', body);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(expect.objectContaining({ id: body.id, status: 'duplicate' }));
      expect(again.body).not.toHaveProperty('token');
      expect(JSON.stringify(again.body)).not.toContain(first.body.token);
    });
    expect((await sys.client(first.body.token).get(satisfaction('unit:station'))).status).toBe(200);
  });

  it('when 10 identical reader issues arrive at once, then exactly one token is issued (201) and the rest are 200 duplicates without a token', async () => {
    const body = { id: uid('analyst'), role: 'analyst' };
    const rs = await Promise.all(Array.from({ length: 10 }, () => admin.post('/v1/readers', body)));
    expect(rs.map((r) => r.status).sort((a, b) => a - b)).toEqual([...Array(9).fill(200), 201]);
    const tokens = rs.map((r) => r.body.token).filter((k) => k !== undefined && k !== null);
    expect(tokens).toHaveLength(1);
    expect((await sys.client(tokens[0]).get(satisfaction('unit:root'))).status).toBe(200);
  });

  it('when another reader is sent under a taken id, then it answers 409 with no token and stores nothing', async () => {
    const body = { id: uid('leader'), role: 'leader', unitId: 'station' };
    expect((await admin.post('/v1/readers', body)).status).toBe(201);
    await expectNothingStored(async () => {
      for (const other of [{ ...body, unitId: 'branch' }, { id: body.id, role: 'analyst' }]) {
        const r = await admin.post('/v1/readers', other);
        expectProblem(r, 409);
        expect(r.body).not.toHaveProperty('token');
      }
    });
  });

  it.each([
    ['id is missing', { role: 'analyst' }, ['id']],
    ['id is malformed', { id: 'r 1', role: 'analyst' }, ['id']],
    ['role is missing', { id: 'r-no-role' }, ['role']],
    ['role is unknown', { id: 'r-boss', role: 'boss' }, ['role']],
    ['an unknown field is sent', { id: 'r-extra', role: 'analyst', token: 'chosen-by-the-client' }, ['token']],
  ])('when %s, then it answers 400 naming the field and stores nothing', async (_name, body, paths) => {
    await expectNothingStored(async () => expectProblem(await admin.post('/v1/readers', body), 400, paths as string[]));
  });

  it('when a reader is issued, then only the sha256 of its token is stored, never the token itself', async () => {
    const r = await admin.post('/v1/readers', { id: uid('analyst'), role: 'analyst' });
    expect(r.status).toBe(201);
    const token: string = r.body.token;
    const [e] = await eventsOf(`reader-${r.body.id}`);
    expect(e.type).toBe('ReaderIssued');
    expect(JSON.stringify(e.data)).toContain(sha256(token));
    const { rows } = await sys.db.pools.owner.query(`SELECT count(*)::int AS n FROM events WHERE strpos(data::text || metadata::text, $1) > 0`, [token]);
    expect(rows[0].n).toBe(0);
    expect(await rowsContaining(token)).toEqual([]);
    expect(await rowsContaining(token.slice(-20))).toEqual([]);
  });

  it('when the system has booted with an administrator token, then only its sha256 is stored, never the token', async () => {
    const { rows } = await sys.db.pools.owner.query(`SELECT data FROM events WHERE type = 'AdministratorTokenSet'`);
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(rows.at(-1).data)).toContain(sha256(TEST_ADMIN_TOKEN));
    expect(await rowsContaining(TEST_ADMIN_TOKEN)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('registration order', () => {
  it('when a window, officer and terminal are refused for an unknown parent, then after the parent is registered the same requests are accepted', async () => {
    const unitId = uid('u-late');
    const windowId = uid('w-late');
    const window = { id: windowId, unitId, name: '迟到的窗口' };
    const officer = { id: uid('o-late'), unitId, name: '迟到的民警' };
    const terminal = { id: uid('t-late'), windowId };
    await expectNothingStored(async () => {
      expectProblem(await admin.post('/v1/windows', window), 422, ['unitId']);
      expectProblem(await admin.post('/v1/officers', officer), 422, ['unitId']);
      expectProblem(await admin.post('/v1/terminals', terminal), 422, ['windowId']);
      expectProblem(await admin.post('/v1/readers', { id: uid('leader'), role: 'leader', unitId }), 422, ['unitId']);
    });
    expect((await admin.post('/v1/units', { id: unitId, name: '新单位', parentId: 'root', kind: 'station' })).status).toBe(201);
    expect((await admin.post('/v1/windows', window)).status).toBe(201);
    expect((await admin.post('/v1/officers', officer)).status).toBe(201);
    expect((await admin.post('/v1/terminals', terminal)).status).toBe(201);
  });
});
