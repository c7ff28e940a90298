// GET /v1/rankings as a client meets it: every ranking checked against an independent reference over
// seeded random data, plus hand-made ties, small and empty candidates, voids, access and validation.
import { startTestSystem, type ApiClient, type TestSystem } from '@minyi/testing';
import { build, generateRatings, importRatings, query, refOrganisation, voidRatings, type ImportItem, type OrganisationSpec } from './fixtures.js';
import { dateLabel, differences, labelsOverlapping, ReferenceModel, type Granularity, type Ranking } from './reference-model.js';

const CITY: OrganisationSpec = {
  units: [
    { id: 'city', name: '滨海市公安局', parentId: null, kind: 'bureau' },
    { id: 'east', name: '东城分局', parentId: 'city', kind: 'branch' },
    { id: 'west', name: '西城分局', parentId: 'city', kind: 'branch' },
    { id: 'north', name: '北城分局（筹）', parentId: 'city', kind: 'branch' },
    { id: 'south', name: '南城分局', parentId: 'city', kind: 'branch' },
    { id: 'east-a', name: '东湖派出所', parentId: 'east', kind: 'station' },
    { id: 'east-b', name: '东城车管所', parentId: 'east', kind: 'vehicle-office' },
    { id: 'west-a', name: '西山派出所', parentId: 'west', kind: 'station' },
    { id: 'south-a', name: '南港派出所', parentId: 'south', kind: 'station' },
  ],
  windows: [
    { id: 'ea-w1', unitId: 'east-a', name: '东湖户政1号', terminalId: 't-ea-w1' },
    { id: 'ea-w2', unitId: 'east-a', name: '东湖户政2号', terminalId: 't-ea-w2' },
    { id: 'eb-w1', unitId: 'east-b', name: '车管综合窗口', terminalId: 't-eb-w1' },
    { id: 'wa-w1', unitId: 'west-a', name: '西山综合1号', terminalId: 't-wa-w1' },
    { id: 'wa-w2', unitId: 'west-a', name: '西山综合2号', terminalId: 't-wa-w2' },
    { id: 'west-w0', unitId: 'west', name: '西城分局信访窗口', terminalId: 't-west-w0' },
    { id: 'sa-w1', unitId: 'south-a', name: '南港窗口（未启用）', terminalId: 't-sa-w1' },
  ],
  officers: [
    { id: 'o-e0', unitId: 'east', name: '钱东' },
    { id: 'o-ea1', unitId: 'east-a', name: '吴一' },
    { id: 'o-ea2', unitId: 'east-a', name: '郑二' },
    { id: 'o-eb1', unitId: 'east-b', name: '冯三' },
    { id: 'o-wa1', unitId: 'west-a', name: '褚四' },
    { id: 'o-sa1', unitId: 'south-a', name: '卫五' },
  ],
};
const windowOfTerminal = (t: string) => CITY.windows.find((w) => w.terminalId === t)!.id;
const shanghai = (local: string) => Date.parse(`${local}+08:00`);

let sys: TestSystem;
let ref: ReferenceModel;
let analyst: ApiClient;
let leaderEast: ApiClient;
let terminalKeys: Record<string, string>;

/** Hand-made months. 2026-06: exact ties among windows and officers; 2026-07: a tie among units; 2026-08: a void. */
function handMade(): { items: ImportItem[]; toVoid: string[]; voidedInAugust: string } {
  const items: ImportItem[] = [];
  let k = 0;
  const put = (month: string, terminalId: string, scores: number[], officerId?: string) => {
    for (const score of scores) {
      const day = 1 + (k % 27);
      items.push({ id: `hand-${k++}`, terminalId, score, occurredAt: `${month}-${String(day).padStart(2, '0')}T10:00:00+08:00`, ...(officerId ? { officerId } : {}) });
    }
  };
  put('2026-06', 't-ea-w1', [5, 5, 5, 5], 'o-ea1'); // index 100, rate 1, n 4
  put('2026-06', 't-ea-w2', [5, 3], 'o-ea2'); // index 75, rate 1, n 2
  put('2026-06', 't-eb-w1', [4, 4, 4, 4], 'o-eb1'); // index 75, rate 1, n 4
  put('2026-06', 't-wa-w1', [4, 2], 'o-wa1'); // index 50, rate 0.5, n 2
  put('2026-06', 't-wa-w2', [3]); // index 50, rate 1, n 1
  put('2026-06', 't-west-w0', [1, 1, 2]); // index 8.33, rate 0, n 3
  put('2026-06', 't-wa-w1', [1], 'o-wa1'); // voided below: must not count
  const voidedInJune = items[items.length - 1].id;
  put('2026-07', 't-ea-w1', [5, 3]); // east: n 2, mean 4
  put('2026-07', 't-wa-w1', [4]); // west: n 4, mean 4
  put('2026-07', 't-west-w0', [4, 4, 4]);
  put('2026-08', 't-ea-w1', [4]);
  put('2026-08', 't-wa-w1', [5]);
  put('2026-08', 't-wa-w1', [1]); // voided by a test
  const voidedInAugust = items[items.length - 1].id;
  // 2026-09: ties whose values are not exact binary fractions (11/3 = 22/6, 2/3 = 4/6)
  put('2026-09', 't-ea-w2', [5, 4, 2]);
  put('2026-09', 't-eb-w1', [5, 5, 4, 4, 2, 2]);
  put('2026-09', 't-west-w0', [5, 1, 5]);
  put('2026-09', 't-wa-w1', [3, 3, 3, 3, 3, 3, 3, 3, 3]);
  return { items, toVoid: [voidedInJune], voidedInAugust };
}
let augustBadRating: string;

beforeAll(async () => {
  sys = await startTestSystem();
  ref = new ReferenceModel(refOrganisation(CITY), 'Asia/Shanghai');
  ({ terminalKeys } = await build(sys.admin, CITY));
  const reader = async (body: object) => {
    const r = await sys.admin.post('/v1/readers', body);
    if (r.status !== 201) throw new Error(`reader: ${r.status} ${JSON.stringify(r.body)}`);
    return sys.client(r.body.token);
  };
  analyst = await reader({ id: 'r-analyst', role: 'analyst' });
  leaderEast = await reader({ id: 'r-leader-east', role: 'leader', unitId: 'east' });

  const random = generateRatings({
    seed: 77_001,
    prefix: 'rk',
    count: 3000,
    startMs: shanghai('2024-01-01T00:00:00'),
    endMs: shanghai('2026-06-01T00:00:00'),
    voidShare: 0.04,
    windows: [
      { windowId: 'ea-w1', terminalId: 't-ea-w1', officers: ['o-ea1', 'o-e0'], quality: 0.75, weight: 3 },
      { windowId: 'ea-w2', terminalId: 't-ea-w2', officers: ['o-ea2', 'o-e0'], quality: 0.55, weight: 2 },
      { windowId: 'eb-w1', terminalId: 't-eb-w1', officers: ['o-eb1'], quality: 0.4, weight: 2, down: [[shanghai('2025-02-01T00:00:00'), shanghai('2025-04-01T00:00:00')]] },
      { windowId: 'wa-w1', terminalId: 't-wa-w1', officers: ['o-wa1'], quality: 0.6, weight: 2 },
      { windowId: 'wa-w2', terminalId: 't-wa-w2', officers: ['o-wa1'], quality: 0.6, weight: 0.3 },
      { windowId: 'west-w0', terminalId: 't-west-w0', officers: [], quality: 0.2, weight: 0.7 },
    ],
  });
  const hand = handMade();
  augustBadRating = hand.voidedInAugust;
  await importRatings(sys.admin, ref, [...random.items, ...hand.items], windowOfTerminal);
  await voidRatings(sys.admin, ref, [...random.toVoid, ...hand.toVoid]);
  await sys.settled();
}, 120_000);
afterAll(() => sys?.close());

type Params = { parentId: string; of: 'units' | 'windows' | 'officers'; granularity: Granularity; period: string; metric?: 'index' | 'satisfactionRate'; minN?: number };

async function rankings(client: ApiClient, params: Record<string, string | number | undefined>) {
  return client.get(`/v1/rankings?${query(params)}`);
}

/** The answer with `insufficient` sorted by id (its order is not part of the contract). */
function normalised(body: Ranking): Ranking {
  return { ...body, insufficient: [...(body.insufficient ?? [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
}

async function diffOf(p: Params, client = analyst): Promise<string[]> {
  const r = await rankings(client, p);
  const tag = `${p.of} below ${p.parentId} ${p.granularity} ${p.period} ${p.metric ?? '(index)'} minN ${p.minN ?? '(1)'}`;
  if (r.status !== 200) return [`${tag}: HTTP ${r.status} ${JSON.stringify(r.body)}`];
  return differences(normalised(r.body), ref.ranking(p)).map((d) => `${tag}: ${d}`);
}

const brief = (body: Ranking) => ({
  items: body.items.map((i) => [i.rank, i.id, i.n]),
  insufficient: normalised(body).insufficient.map((i) => [i.id, i.n]),
});

describe('the reference itself', () => {
  it('when values tie, then the reference ranks them 1, 2, 2, 4 in order of n then id', () => {
    const r = ref.ranking({ parentId: 'city', of: 'windows', granularity: 'month', period: '2026-06' });
    expect(r.items.map((i) => [i.rank, i.id])).toEqual([
      [1, 'ea-w1'],
      [2, 'eb-w1'],
      [2, 'ea-w2'],
      [4, 'wa-w1'],
      [4, 'wa-w2'],
      [6, 'west-w0'],
    ]);
  });
});

const PERIODS: { granularity: Granularity; periods: string[] }[] = [
  { granularity: 'month', periods: labelsOverlapping('2023-12-01', '2026-10-31', 'month') },
  { granularity: 'quarter', periods: labelsOverlapping('2023-10-01', '2026-09-30', 'quarter') },
  { granularity: 'year', periods: ['2023', '2024', '2025', '2026'] },
  { granularity: 'week', periods: ['2024-W01', '2024-W22', '2024-W52', '2025-W01', '2025-W09', '2025-W30', '2026-W01', '2026-W20', '2026-W22', '2026-W23', '2026-W27'] },
  { granularity: 'day', periods: ['2024-01-01', '2024-02-29', '2024-07-15', '2025-01-01', '2025-03-03', '2025-12-31', '2026-05-31', '2026-06-01', '2026-06-05', '2026-07-02'] },
];
const PARENTS: { of: Params['of']; parents: string[] }[] = [
  { of: 'units', parents: ['city', 'east', 'west', 'south', 'east-a'] },
  { of: 'windows', parents: ['city', 'east', 'west', 'east-a', 'south'] },
  { of: 'officers', parents: ['city', 'east', 'west-a', 'north'] },
];

describe.each(PERIODS)('random data by $granularity', ({ granularity, periods }) => {
  it.each(PARENTS)('when $of are ranked below each parent in every period, by index and by satisfaction rate, then every item equals the reference', async ({ of, parents }) => {
    const diffs: string[] = [];
    for (const parentId of parents) {
      for (const period of periods) {
        diffs.push(...(await diffOf({ parentId, of, granularity, period })));
        diffs.push(...(await diffOf({ parentId, of, granularity, period, metric: 'satisfactionRate', minN: 12 })));
      }
    }
    expect(diffs).toEqual([]);
  });
});

describe('ties, small and empty candidates', () => {
  it('when windows tie exactly on the index, then they share a rank (1, 2, 2, 4, 4, 6), ordered by n then id', async () => {
    const r = await rankings(analyst, { parentId: 'city', of: 'windows', granularity: 'month', period: '2026-06', metric: 'index' });
    expect(r.status).toBe(200);
    expect(brief(r.body)).toEqual({
      items: [
        [1, 'ea-w1', 4],
        [2, 'eb-w1', 4],
        [2, 'ea-w2', 2],
        [4, 'wa-w1', 2],
        [4, 'wa-w2', 1],
        [6, 'west-w0', 3],
      ],
      insufficient: [['sa-w1', 0]],
    });
    expect(r.body.items.map((i: { value: number }) => i.value)).toEqual([100, 75, 75, 50, 50, expect.closeTo(100 / 12, 12)]);
    expect(r.body.items[0]).toMatchObject({ id: 'ea-w1', name: '东湖户政1号' });
    expect(r.body.insufficient).toEqual([{ id: 'sa-w1', name: '南港窗口（未启用）', n: 0 }]);
    expect(await diffOf({ parentId: 'city', of: 'windows', granularity: 'month', period: '2026-06' })).toEqual([]);
  });

  it('when windows tie on the satisfaction rate, then four share rank 1 in order of n then id and the next is 5th', async () => {
    const r = await rankings(analyst, { parentId: 'city', of: 'windows', granularity: 'month', period: '2026-06', metric: 'satisfactionRate' });
    expect(brief(r.body).items).toEqual([
      [1, 'ea-w1', 4],
      [1, 'eb-w1', 4],
      [1, 'ea-w2', 2],
      [1, 'wa-w2', 1],
      [5, 'wa-w1', 2],
      [6, 'west-w0', 3],
    ]);
    expect(await diffOf({ parentId: 'city', of: 'windows', granularity: 'month', period: '2026-06', metric: 'satisfactionRate' })).toEqual([]);
  });

  it('when values tie at thirds (11/3 = 22/6, 2/3 = 4/6), then they still share a rank', async () => {
    const byIndex = await rankings(analyst, { parentId: 'city', of: 'windows', granularity: 'month', period: '2026-09' });
    expect(brief(byIndex.body).items).toEqual([
      [1, 'eb-w1', 6],
      [1, 'ea-w2', 3],
      [1, 'west-w0', 3],
      [4, 'wa-w1', 9],
    ]);
    const byRate = await rankings(analyst, { parentId: 'city', of: 'windows', granularity: 'month', period: '2026-09', metric: 'satisfactionRate' });
    expect(brief(byRate.body).items).toEqual([
      [1, 'wa-w1', 9],
      [2, 'eb-w1', 6],
      [2, 'ea-w2', 3],
      [2, 'west-w0', 3],
    ]);
    expect(await diffOf({ parentId: 'city', of: 'windows', granularity: 'month', period: '2026-09', metric: 'satisfactionRate' })).toEqual([]);
  });

  it('when the interval of an item is read, then it is the Wilson interval of its satisfaction rate (also under metric index)', async () => {
    const r = await rankings(analyst, { parentId: 'west-a', of: 'windows', granularity: 'month', period: '2026-06' });
    const wa1 = r.body.items.find((i: { id: string }) => i.id === 'wa-w1');
    // 1 of 2 satisfied: p = 0.5, z = 1.959964 → 0.5 ± 0.4046…
    const z = 1.959964;
    const half = (z / (1 + (z * z) / 2)) * Math.sqrt(0.25 / 2 + (z * z) / 16);
    expect(wa1.interval[0]).toBeCloseTo(0.5 - half, 12);
    expect(wa1.interval[1]).toBeCloseTo(0.5 + half, 12);
  });

  it('when minN is set, then smaller candidates move to insufficient with their n and ranks close up', async () => {
    const p = { parentId: 'city', of: 'windows' as const, granularity: 'month' as const, period: '2026-06', minN: 3 };
    const r = await rankings(analyst, p);
    expect(brief(r.body)).toEqual({
      items: [
        [1, 'ea-w1', 4],
        [2, 'eb-w1', 4],
        [3, 'west-w0', 3],
      ],
      insufficient: [
        ['ea-w2', 2],
        ['sa-w1', 0],
        ['wa-w1', 2],
        ['wa-w2', 1],
      ],
    });
    expect(await diffOf(p)).toEqual([]);
    expect(await diffOf({ ...p, minN: 100 })).toEqual([]);
  });

  it('when units tie on the index, then they share rank 1, the larger n first, and units with no ratings are insufficient with n = 0', async () => {
    const r = await rankings(analyst, { parentId: 'city', of: 'units', granularity: 'month', period: '2026-07' });
    expect(brief(r.body)).toEqual({
      items: [
        [1, 'west', 4],
        [1, 'east', 2],
      ],
      insufficient: [
        ['north', 0],
        ['south', 0],
      ],
    });
    expect(r.body.insufficient.find((i: { id: string }) => i.id === 'north')).toEqual({ id: 'north', name: '北城分局（筹）', n: 0 });
    expect(await diffOf({ parentId: 'city', of: 'units', granularity: 'month', period: '2026-07' })).toEqual([]);
  });

  it('when units are ranked, then each counts its whole subtree (stations and windows on the branch itself)', async () => {
    const r = await rankings(analyst, { parentId: 'city', of: 'units', granularity: 'month', period: '2026-06' });
    // east = ea-w1 + ea-w2 + eb-w1 = 10; west = wa-w1 + wa-w2 + west-w0 = 6 (the voided rating left out)
    expect(brief(r.body).items).toEqual([
      [1, 'east', 10],
      [2, 'west', 6],
    ]);
    expect(r.body.items[0].value).toBeCloseTo((100 * (44 / 10 - 1)) / 4, 12);
  });

  it('when officers are ranked, then those anywhere below the parent appear, unrated ones as insufficient', async () => {
    const r = await rankings(analyst, { parentId: 'city', of: 'officers', granularity: 'month', period: '2026-06' });
    expect(brief(r.body)).toEqual({
      items: [
        [1, 'o-ea1', 4],
        [2, 'o-eb1', 4],
        [2, 'o-ea2', 2],
        [4, 'o-wa1', 2],
      ],
      insufficient: [
        ['o-e0', 0],
        ['o-sa1', 0],
      ],
    });
    const east = await rankings(analyst, { parentId: 'east', of: 'officers', granularity: 'month', period: '2026-06' });
    expect(brief(east.body).items.map((i) => i[1])).toEqual(['o-ea1', 'o-eb1', 'o-ea2']);
    expect(brief(east.body).insufficient).toEqual([['o-e0', 0]]);
  });

  it('when a rating is voided, then it stops counting in the ranking', async () => {
    const p = { parentId: 'city', of: 'windows' as const, granularity: 'month' as const, period: '2026-08' };
    const before = await rankings(analyst, p);
    expect(brief(before.body).items).toEqual([
      [1, 'ea-w1', 1],
      [2, 'wa-w1', 2],
    ]);
    await voidRatings(sys.admin, ref, [augustBadRating]);
    await sys.settled();
    const after = await rankings(analyst, p);
    expect(brief(after.body).items).toEqual([
      [1, 'wa-w1', 1],
      [2, 'ea-w1', 1],
    ]);
    expect(await diffOf(p)).toEqual([]);
    expect(await diffOf({ ...p, of: 'units' })).toEqual([]);
    expect(await diffOf({ ...p, of: 'officers', granularity: 'year', period: '2026' })).toEqual([]);
  });
});

describe('access and validation', () => {
  const ok = { of: 'windows', granularity: 'month', period: '2026-06' };

  it('when an analyst ranks below any unit, then 200', async () => {
    for (const parentId of CITY.units.map((u) => u.id)) expect([parentId, (await rankings(analyst, { ...ok, parentId })).status]).toEqual([parentId, 200]);
  });

  it('when a leader of east ranks below east or its stations, then 200; below city or west, then 403', async () => {
    for (const parentId of ['east', 'east-a', 'east-b']) {
      const r = await rankings(leaderEast, { ...ok, parentId });
      expect([parentId, r.status]).toEqual([parentId, 200]);
      expect(differences(normalised(r.body), ref.ranking({ parentId, of: 'windows', granularity: 'month', period: '2026-06' }))).toEqual([]);
    }
    for (const parentId of ['city', 'west', 'west-a', 'south']) {
      const r = await rankings(leaderEast, { ...ok, parentId });
      expect([parentId, r.status]).toEqual([parentId, 403]);
      expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
  });

  it('when a terminal key ranks, then 403; with no token, then 401', async () => {
    expect((await rankings(sys.client(terminalKeys['t-ea-w1']), { ...ok, parentId: 'east' })).status).toBe(403);
    expect((await rankings(sys.client(), { ...ok, parentId: 'east' })).status).toBe(401);
  });

  it.each(['atlantis', 'ea-w1', 'o-ea1'])('when the parent unit %s does not exist (or is not a unit), then 404 problem+json', async (parentId) => {
    const r = await rankings(analyst, { ...ok, parentId });
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });

  it('when a period holds a NUL character, then 400 naming period says so; a surrogate’s bytes (not UTF-8) are 400 too', async () => {
    const r = await rankings(analyst, { ...ok, parentId: 'city', period: '2026-0\u0000' });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual(expect.arrayContaining([{ path: 'period', message: expect.stringMatching(/NUL/) }]));
    // A URL carries UTF-8 only: the bytes of a lone surrogate (ED A0 BD) are no UTF-8, whatever they decode to.
    const raw = await analyst.get(`/v1/rankings?${query({ of: ok.of, granularity: ok.granularity, parentId: 'city' })}&period=2026-%ED%A0%BD`);
    expect(raw.status).toBe(400);
  });

  it('when a leader ranks below a unit outside its subtree, then 403 even when the period is malformed or before 1900 (authorised first)', async () => {
    for (const period of ['2026-13', '1899-12']) expect((await rankings(leaderEast, { ...ok, parentId: 'west', period })).status).toBe(403);
  });

  it('when the first week of 1900 (which begins on 1900-01-01) is asked for, then it is a valid period', async () => {
    const r = await rankings(analyst, { ...ok, parentId: 'city', granularity: 'week', period: '1900-W01' });
    expect(r.status).toBe(200);
  });

  it('when a 53-week year’s last week is asked for, then it is a valid period', async () => {
    const r = await rankings(analyst, { ...ok, parentId: 'city', granularity: 'week', period: '2020-W53' });
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual([]);
  });

  it.each([
    ['period is 2026-13 for months', { ...ok, parentId: 'city', period: '2026-13' }, 'period'],
    ['period is a week for months', { ...ok, parentId: 'city', period: '2026-W10' }, 'period'],
    ['period is 2026-W54 for weeks', { ...ok, parentId: 'city', granularity: 'week', period: '2026-W54' }, 'period'],
    ['period is 2025-W53 (2025 has 52 weeks)', { ...ok, parentId: 'city', granularity: 'week', period: '2025-W53' }, 'period'],
    ['period is 2026-02-30 for days', { ...ok, parentId: 'city', granularity: 'day', period: '2026-02-30' }, 'period'],
    ['period is 2026-Q5 for quarters', { ...ok, parentId: 'city', granularity: 'quarter', period: '2026-Q5' }, 'period'],
    ['parentId is missing', { ...ok }, 'parentId'],
    ['of is teams', { ...ok, parentId: 'city', of: 'teams' }, 'of'],
    ['granularity is hour', { ...ok, parentId: 'city', granularity: 'hour' }, 'granularity'],
    ['metric is stars', { ...ok, parentId: 'city', metric: 'stars' }, 'metric'],
    ['minN is -1', { ...ok, parentId: 'city', minN: '-1' }, 'minN'],
    ['minN is many', { ...ok, parentId: 'city', minN: 'many' }, 'minN'],
    ['an unknown parameter is sent', { ...ok, parentId: 'city', sort: 'asc' }, 'sort'],
    // API.md "Limits": no date before 1900; year 0's first week even lies in year −1.
    ['period is 1899-12 (before 1900)', { ...ok, parentId: 'city', period: '1899-12' }, 'period'],
    ['period is 0000-W01 (before 1900, starting in year −1)', { ...ok, parentId: 'city', granularity: 'week', period: '0000-W01' }, 'period'],
    ['period is 0000 for years', { ...ok, parentId: 'city', granularity: 'year', period: '0000' }, 'period'],
  ])('when %s, then 400 problem+json naming the field', async (_what, params, path) => {
    const r = await rankings(analyst, params as Record<string, string>);
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(r.body.status).toBe(400);
    expect((r.body.errors ?? []).map((e: { path: string }) => e.path)).toContain(path);
  });
});

describe('late ratings', () => {
  it('when an offline batch lands in a past day, then that day’s ranking changes and today’s does not', async () => {
    const now = Date.now();
    const at = Math.floor((now - 30 * 86_400_000) / 1000) * 1000;
    const shanghaiDay = (ms: number) => dateLabel(Math.floor((ms + 8 * 3_600_000) / 86_400_000));
    const past = { parentId: 'city', of: 'windows' as const, granularity: 'day' as const, period: shanghaiDay(at) };
    const today = { ...past, period: shanghaiDay(now) };
    const todayBefore = await rankings(analyst, today);
    const r = await sys.client(terminalKeys['t-eb-w1']).post('/v1/ratings/batch', {
      ratings: [
        { id: 'late-rk-1', score: 5, occurredAt: new Date(at).toISOString() },
        { id: 'late-rk-2', score: 3, occurredAt: new Date(at + 1000).toISOString(), officerId: 'o-eb1' },
      ],
    });
    expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(['accepted', 'accepted']);
    ref.add({ id: 'late-rk-1', at, score: 5, windowId: 'eb-w1' }, { id: 'late-rk-2', at: at + 1000, score: 3, windowId: 'eb-w1', officerId: 'o-eb1' });
    await sys.settled();
    const pastAfter = await rankings(analyst, past);
    expect(pastAfter.body.items.find((i: { id: string }) => i.id === 'eb-w1')).toMatchObject({ n: 2, value: 75 });
    expect(await diffOf(past)).toEqual([]);
    expect(await diffOf({ ...past, of: 'officers' })).toEqual([]);
    expect((await rankings(analyst, today)).body).toEqual(todayBefore.body);
  });
});
