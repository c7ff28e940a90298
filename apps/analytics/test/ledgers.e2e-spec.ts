// The ledgers (GET /v1/complaints, /v1/followups, /v1/opinions, /v1/disputes, /v1/hazards) as a client meets them: every page walked and joined equals the
// independent reference's list (scope by responsible unit, filters, newest filing first then id ascending), a walk
// meets every case filed before its first page exactly once while others are being filed, forged cursors are 400,
// and who may read what.
import { SMALL_CITY, startTestSystem, type ApiClient, type TestSystem } from '@minyi/testing';
import { build, query, type OrganisationSpec } from './fixtures.js';
import { differences } from './reference-model.js';
import { RatesReference, type RefCase, type RefKind } from './rates-reference.js';
import { CATEGORIES, generateHistories, writeCase, writeCases } from './rates.fixtures.js';

const CITY: OrganisationSpec = {
  units: [...SMALL_CITY.units, { id: 'ft-xm-jws', name: '香蜜湖社区警务室', parentId: 'ft-xm', kind: 'office' }],
  windows: SMALL_CITY.windows,
  officers: SMALL_CITY.officers,
};
const UNITS = CITY.units.map((u) => u.id);
const TZ = 'Asia/Shanghai';
const shanghai = (local: string) => Date.parse(`${local}+08:00`);
const PLURAL: Record<RefKind, string> = { complaint: 'complaints', followup: 'followups', opinion: 'opinions', dispute: 'disputes', hazard: 'hazards' };

let sys: TestSystem;
let ref: RatesReference;
let analyst: ApiClient;
let leaderFt: ApiClient;

beforeAll(async () => {
  sys = await startTestSystem();
  await build(sys.admin, CITY);
  const r = await sys.admin.post('/v1/readers', { id: 'r-analyst', role: 'analyst' });
  analyst = sys.client(r.body.token);
  leaderFt = sys.client((await sys.admin.post('/v1/readers', { id: 'r-leader-ft', role: 'leader', unitId: 'ft' })).body.token);
  const cases = generateHistories({
    seed: 4711,
    prefix: 'led',
    complaints: 180,
    followups: 90,
    opinions: 120,
    disputes: 40,
    hazards: 40,
    units: UNITS,
    startMs: shanghai('2025-08-01T00:00:00'),
    endMs: shanghai('2026-06-30T00:00:00'),
  });
  // Ties on the filing instant: the id decides, ascending by code point.
  for (const id of ['tie-b', 'tie-A', 'tie-a', 'tie-10', 'tie-9']) {
    cases.push({ kind: 'complaint', id, unitId: 'ft-xm', category: CATEGORIES[0], filedAt: shanghai('2026-05-05T12:00:00'), text: `同一时刻 ${id}`, steps: [] });
  }
  ref = new RatesReference(CITY.units, TZ, cases);
  await writeCases(sys.store, cases);
  await sys.settled();
}, 180_000);
afterAll(() => sys?.close());

/** Walks every page of a ledger query; fails on a page that is not 200. */
async function walk(client: ApiClient, kind: RefKind, params: Record<string, string | number | undefined>): Promise<{ items: any[]; pages: number }> {
  const items: any[] = [];
  let cursor: string | undefined;
  let pages = 0;
  for (;;) {
    const r = await client.get(`/v1/${PLURAL[kind]}?${query({ ...params, cursor })}`);
    if (r.status !== 200) throw new Error(`page ${pages}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    pages += 1;
    items.push(...r.body.items);
    if (r.body.nextCursor === null) return { items, pages };
    expect(r.body.items.length).toBe(Number(params.limit ?? 50));
    cursor = r.body.nextCursor;
  }
}

describe('pages against the reference', () => {
  const cases: [RefKind, Record<string, string | number>][] = [
    ['complaint', { scope: 'unit:sz', limit: 200 }],
    ['complaint', { scope: 'unit:sz', limit: 7 }],
    ['complaint', { scope: 'unit:ft' }],
    ['complaint', { scope: 'unit:ns-yh', limit: 3 }],
    ['complaint', { scope: 'unit:ft-xm-jws', limit: 1 }],
    ['complaint', { scope: 'unit:sz', state: 'accepted', limit: 9 }],
    ['complaint', { scope: 'unit:sz', state: 'reopened', limit: 4 }],
    ['complaint', { scope: 'unit:ns', category: '办事效率', limit: 5 }],
    ['complaint', { scope: 'unit:sz', overdue: 'true', limit: 11 }],
    ['complaint', { scope: 'unit:sz', overdue: 'false', limit: 40 }],
    ['complaint', { scope: 'unit:sz', from: '2026-01-01', to: '2026-03-31', limit: 13 }],
    ['complaint', { scope: 'unit:sz', from: '2026-05-05', to: '2026-05-05', limit: 2 }],
    ['complaint', { scope: 'unit:ft', to: '2025-12-31', state: 'closed', overdue: 'false', limit: 6 }],
    ['followup', { scope: 'unit:sz', limit: 17 }],
    ['followup', { scope: 'unit:ns', state: 'open', limit: 5 }],
    ['followup', { scope: 'unit:sz', state: 'invalid' }],
    ['followup', { scope: 'unit:sz', overdue: 'true', limit: 8 }],
    ['followup', { scope: 'unit:ft', from: '2026-02-01', category: CATEGORIES[2], limit: 3 }],
    ['opinion', { scope: 'unit:sz', limit: 9 }],
    ['opinion', { scope: 'unit:ns', state: 'rectified', limit: 4 }],
    ['opinion', { scope: 'unit:sz', state: 'explained' }],
    ['opinion', { scope: 'unit:sz', overdue: 'true', limit: 5 }],
    ['opinion', { scope: 'unit:ft', category: '律师会见难', limit: 3 }],
    ['dispute', { scope: 'unit:sz', limit: 7 }],
    ['dispute', { scope: 'unit:ns', state: 'found' }],
    ['hazard', { scope: 'unit:sz', category: '井盖缺失', limit: 2 }],
    ['hazard', { scope: 'unit:ft', state: 'rectified', from: '2026-01-01' }],
  ];
  it.each(cases)('when the %s ledger is walked with %j, then the pages joined are the reference list, each case once, in order', async (kind, params) => {
    const { items } = await walk(analyst, kind, params);
    const { scope, state, category, overdue, from, to } = params as Record<string, string | undefined>;
    const expected = ref.ledger(kind, { scope: scope!, state, category, overdue: overdue === undefined ? undefined : overdue === 'true', from, to }, Date.now());
    expect(differences(items, expected)).toEqual([]);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
  });

  it('when the filters are chosen, then the data gives them something to find', () => {
    const now = Date.now();
    expect(ref.ledger('complaint', { scope: 'unit:sz', overdue: true }, now).length).toBeGreaterThan(3);
    expect(ref.ledger('complaint', { scope: 'unit:sz', state: 'reopened' }, now).length).toBeGreaterThan(1);
    expect(ref.ledger('followup', { scope: 'unit:sz', state: 'invalid' }, now).length).toBeGreaterThan(1);
    expect(ref.ledger('followup', { scope: 'unit:sz', overdue: true }, now).length).toBeGreaterThan(1);
  });

  it('when cases share a filing instant, then they come in id order by code point; no limit gives pages of 50', async () => {
    const r = await analyst.get(`/v1/complaints?${query({ scope: 'unit:ft-xm', from: '2026-05-05', to: '2026-05-05' })}`);
    expect(r.status).toBe(200);
    const ties = r.body.items.filter((i: { id: string }) => i.id.startsWith('tie-')).map((i: { id: string }) => i.id);
    expect(ties).toEqual(['tie-10', 'tie-9', 'tie-A', 'tie-a', 'tie-b']);
    const all = await analyst.get(`/v1/complaints?${query({ scope: 'unit:sz' })}`);
    expect(all.body.items).toHaveLength(50);
    expect(typeof all.body.nextCursor).toBe('string');
  });

  it('when an item is listed, then it has exactly the ledger fields (text verbatim, no contact), follow-ups without text', async () => {
    const sealed = { keyId: '00000000-0000-4000-8000-000000000000', subject: null, sealed: 'AAAA' };
    const c: RefCase = { kind: 'complaint', id: 'verbatim', unitId: 'ns-crj', category: '服务态度', filedAt: shanghai('2026-06-30T08:00:00'), text: '  原汁原味：\n第二行\t😀  ', steps: [] };
    ref.cases.push(c);
    await writeCase(sys.store, c);
    // A contact sealed as the vault seals it, in the filing's fields: never in a list.
    await sys.store.append('complaint-c-sealed', 0, [
      {
        type: 'ComplaintFiled',
        version: 1,
        data: {
          caseId: 'c-sealed',
          filedAt: '2026-07-01T00:00:00.000Z',
          filedUnitId: 'ns-crj',
          category: '服务态度',
          status: { state: 'filed', responsibleUnitId: 'ns-crj', dueAt: null, accepted: false, handled: false, onTime: false, handling: null, replied: false, calledBack: false, score: null, closed: false, final: false, excluded: false },
          fields: { channel: 'app', text: '有联系方式', contact: sealed },
        },
        occurredAt: new Date('2026-07-01T00:00:00.000Z'),
        unitId: 'ns-crj',
        metadata: { actor: 'test', correlationId: 'test', causationId: null },
      },
    ]);
    await sys.settled();
    const r = await analyst.get(`/v1/complaints?${query({ scope: 'unit:ns-crj', from: '2026-06-30', to: '2026-07-01' })}`);
    expect(r.body.items).toEqual([
      { id: 'c-sealed', unitId: 'ns-crj', responsibleUnitId: 'ns-crj', category: '服务态度', state: 'filed', occurredAt: '2026-07-01T00:00:00.000Z', dueAt: null, overdue: false, text: '有联系方式' },
      { id: 'verbatim', unitId: 'ns-crj', responsibleUnitId: 'ns-crj', category: '服务态度', state: 'filed', occurredAt: '2026-06-30T00:00:00.000Z', dueAt: null, overdue: false, text: '  原汁原味：\n第二行\t😀  ' },
    ]);
    expect(JSON.stringify(r.body)).not.toMatch(/contact|AAAA|keyId|00000000-0000/);
    const f = await analyst.get(`/v1/followups?${query({ scope: 'unit:sz', limit: 1 })}`);
    expect(Object.keys(f.body.items[0]).sort()).toEqual(['category', 'dueAt', 'id', 'occurredAt', 'overdue', 'responsibleUnitId', 'state', 'unitId']);
  });
});

describe('a walk while cases are being filed', () => {
  it.each(['complaint', 'opinion'] as RefKind[])('when new %ss (older, newer and at the same instants) are filed between the pages, then every one filed before the first page is met exactly once', async (kind) => {
    const params = { scope: 'unit:sz', limit: 6 };
    const before = ref.ledger(kind, { scope: 'unit:sz' }, Date.now()).map((i) => i.id);
    let stop = false;
    let filed = 0;
    const filer = (async () => {
      const existing = ref.cases.filter((c) => c.kind === kind);
      while (!stop) {
        // Half at the very instant of an existing case (a tie the keyset must get right), half anywhere in the year.
        const twin = existing[filed % existing.length];
        const filedAt = filed % 2 ? twin.filedAt : shanghai('2025-08-01T00:00:00') + ((filed * 7_919_000_003) % (330 * 86_400_000));
        const id = `${filed % 3 ? 'new' : 'a-new'}-${String(filed).padStart(4, '0')}`;
        await writeCase(sys.store, { kind, id, unitId: UNITS[filed % UNITS.length], category: CATEGORIES[1], filedAt, text: id, steps: [] });
        filed += 1;
      }
    })();
    const seen: string[] = [];
    let cursor: string | undefined;
    try {
      for (;;) {
        const r = await analyst.get(`/v1/${PLURAL[kind]}?${query({ ...params, cursor })}`);
        expect(r.status).toBe(200);
        seen.push(...r.body.items.map((i: { id: string }) => i.id));
        if (r.body.nextCursor === null) break;
        cursor = r.body.nextCursor;
        // Between two pages, at least two more cases are filed (and the projection, fed within milliseconds, shows some).
        const target = filed + 2;
        const deadline = Date.now() + 10_000;
        while (filed < target && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      stop = true;
      await filer;
    }
    expect(filed).toBeGreaterThan(10);
    expect(new Set(seen).size).toBe(seen.length);
    const old = new Set(before);
    expect(seen.filter((id) => old.has(id))).toEqual(before);
    expect(seen.length).toBeGreaterThan(before.length);
  });
});

describe('the query', () => {
  it('when a cursor is forged, then 400 names cursor; a bad limit, state, overdue or date 400 names its field', async () => {
    const good = (await analyst.get(`/v1/complaints?${query({ scope: 'unit:sz', limit: 2 })}`)).body.nextCursor as string;
    const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
    const forged = [
      'x',
      good.slice(0, -3),
      `${good}A`,
      b64('not json'),
      b64({ filedAt: '2026-01-01T00:00:00.000Z', caseId: 'a' }),
      b64(['c1', '2026-01-01T00:00:00.000Z']),
      b64(['c2', '2026-01-01T00:00:00.000Z', 'a']),
      b64(['c1', '2026-02-30T00:00:00.000Z', 'a']),
      b64(['c1', '2026-01-01T00:00:00Z', 'a']),
      b64(['c1', '+275760-09-13T00:00:00.000Z', 'a']),
      b64(['c1', '2026-01-01T00:00:00.000Z', '']),
      b64(['c1', '2026-01-01T00:00:00.000Z', 'a b']),
      b64(['c1', '2026-01-01T00:00:00.000Z', 7]),
      b64(['c1', '2026-01-01T00:00:00.000Z', 'x'.repeat(201)]),
      b64(['c1', '2026-01-01T00:00:00.000Z', 'a\u0000']),
      '%00',
      'a'.repeat(401),
      'ab+/',
      '',
    ];
    for (const cursor of forged) {
      const r = await analyst.get(`/v1/complaints?scope=unit:sz&cursor=${encodeURIComponent(cursor)}`);
      expect([cursor, r.status]).toEqual([cursor, 400]);
      expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual(['cursor']);
    }
    // A well-formed cursor of a place no case is at simply goes on from there.
    const r = await analyst.get(`/v1/complaints?scope=unit:sz&cursor=${b64(['c1', '2025-12-31T16:00:00.000Z', 'zzz'])}`);
    expect(r.status).toBe(200);
    expect(r.body.items.every((i: { occurredAt: string }) => i.occurredAt < '2025-12-31T16:00:00.000Z')).toBe(true);
    const bad = async (params: Record<string, string>, path: string) => {
      const x = await analyst.get(`/v1/complaints?${query({ scope: 'unit:sz', ...params })}`);
      expect([params, x.status]).toEqual([params, 400]);
      expect(x.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    };
    await bad({ limit: '0' }, 'limit');
    await bad({ limit: '201' }, 'limit');
    await bad({ limit: '-1' }, 'limit');
    await bad({ limit: 'ten' }, 'limit');
    await bad({ state: 'verified' }, 'state');
    await bad({ overdue: 'yes' }, 'overdue');
    await bad({ from: '2026-02-30' }, 'from');
    await bad({ to: '1899-12-31' }, 'to');
    await bad({ from: '2026-02-01', to: '2026-01-01' }, 'to');
    await bad({ category: '' }, 'category');
    await bad({ colour: 'red' }, 'colour');
    expect((await analyst.get('/v1/complaints')).status).toBe(400);
    expect((await analyst.get(`/v1/followups?${query({ scope: 'unit:sz', state: 'accepted' })}`)).status).toBe(400);
  });

  it('when readers, clients and others ask, then a leader sees its subtree, a cases:write client its unit, the rest 403; unknown unit 404', async () => {
    const client = async (id: string, scopes: string[], unitId?: string) => {
      const r = await sys.admin.post('/v1/clients', { id, name: id, scopes, ...(unitId ? { unitId } : {}) });
      if (r.status !== 201) throw new Error(`client: ${r.status} ${JSON.stringify(r.body)}`);
      return sys.client(r.body.token);
    };
    const desk = await client('c-ft', ['cases:write'], 'ft');
    const everywhere = await client('c-all', ['cases:write']);
    const filer = await client('c-filer', ['complaints:write'], 'ft');
    const terminal = sys.client((await sys.admin.post('/v1/terminals/t-ft-xm-w1/key', {})).body.apiKey);
    const status = async (who: ApiClient, scope: string, kind = 'complaints') => (await who.get(`/v1/${kind}?scope=${scope}&limit=1`)).status;
    expect(await status(leaderFt, 'unit:ft-xm')).toBe(200);
    expect(await status(leaderFt, 'unit:ns')).toBe(403);
    expect(await status(leaderFt, 'unit:sz')).toBe(403);
    expect(await status(desk, 'unit:ft-xm-jws', 'followups')).toBe(200);
    expect(await status(desk, 'unit:ns')).toBe(403);
    expect(await status(everywhere, 'unit:sz')).toBe(200);
    expect(await status(filer, 'unit:ft')).toBe(403);
    expect(await status(terminal, 'unit:ft')).toBe(403);
    expect(await status(sys.client(), 'unit:ft')).toBe(401);
    expect(await status(sys.admin, 'unit:sz')).toBe(200);
    expect(await status(analyst, 'unit:nowhere')).toBe(404);
    // What a leader sees of its subtree is what the reference lists.
    const { items } = await walk(leaderFt, 'followup', { scope: 'unit:ft', limit: 10 });
    expect(differences(items, ref.ledger('followup', { scope: 'unit:ft' }, Date.now()))).toEqual([]);
  });
});

describe('through the complaints API', () => {
  it('when a complaint is filed with a contact and taken through accept and handle over HTTP, then its ledger item, its rates and GET by id agree, and no list shows the contact', async () => {
    const made = async (id: string, scopes: string[]) => sys.client((await sys.admin.post('/v1/clients', { id, name: id, scopes })).body.token);
    const hotline = await made('c-hotline', ['complaints:write']);
    const desk = await made('c-desk', ['cases:write']);
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
    const filed = await hotline.post('/v1/complaints', {
      id: 'http-1',
      unitId: 'ns-yh',
      channel: 'hotline',
      category: '窗口秩序',
      text: '排队插队无人管\n请处理 🙏',
      occurredAt: at(30),
      contact: { name: '张三', phone: '13800138000' },
    });
    expect(filed.status).toBe(202);
    expect((await desk.post('/v1/complaints/http-1/accept', { stepId: 'a1', occurredAt: at(20) })).status).toBe(200);
    expect((await desk.post('/v1/complaints/http-1/handle', { stepId: 'h1', occurredAt: at(10), summary: '已安排专人维持秩序' })).status).toBe(200);
    await sys.settled();
    const byId = await sys.admin.get('/v1/complaints/http-1');
    expect(byId.status).toBe(200);
    const list = await analyst.get(`/v1/complaints?${query({ scope: 'unit:ns', category: '窗口秩序', state: 'handled' })}`);
    const item = list.body.items.find((i: { id: string }) => i.id === 'http-1');
    expect(item).toEqual({
      id: 'http-1',
      unitId: 'ns-yh',
      responsibleUnitId: 'ns-yh',
      category: '窗口秩序',
      state: 'handled',
      occurredAt: byId.body.occurredAt,
      dueAt: byId.body.dueAt,
      overdue: false,
      text: '排队插队无人管\n请处理 🙏',
    });
    expect(item.dueAt).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\+08:00$/);
    expect(JSON.stringify(list.body)).not.toMatch(/13800138000|张三|contact/);
    const today = new Date(Date.parse(byId.body.occurredAt) + 8 * 3_600_000).toISOString().slice(0, 10);
    const rates = await analyst.get(`/v1/rates?${query({ scope: 'unit:ns-yh', granularity: 'day', from: today, to: today })}`);
    expect(rates.body.series[0].complaints).toMatchObject({ filed: 1, accepted: 1, handled: 1, onTime: 1, overdue: 0, handlingRate: 1, onTimeRate: 1 });
  });
});
