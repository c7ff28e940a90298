// GET /v1/satisfaction as a client meets it: every figure of every period checked against an independent
// reference computed from API.md's formulas, over seeded random data and hand-made edge cases.
import { Client } from 'pg';
import { SMALL_CITY, startTestSystem, type ApiClient, type TestSystem } from '@minyi/testing';
import { build, spendTransactionIdsUpTo, generateRatings, importRatings, isoWithOffset, query, refOrganisation, voidRatings, type ImportItem, type OrganisationSpec } from './fixtures.js';
import {
  dateLabel,
  differences,
  isoWeek,
  isoWeeksIn,
  labelsOverlapping,
  localDay,
  localDayFixedOffset,
  periodLabel,
  ReferenceModel,
  wilson,
  yearEarlierLabel,
  type Channel,
  type Granularity,
} from './reference-model.js';

const CITY: OrganisationSpec = {
  units: [...SMALL_CITY.units, { id: 'lab', name: '边界测试所', parentId: 'sz', kind: 'station' }],
  windows: [
    ...SMALL_CITY.windows,
    { id: 'ft-xm-w3', unitId: 'ft-xm', name: '户政3号窗口（未启用）', terminalId: 't-ft-xm-w3' },
    { id: 'lab-w1', unitId: 'lab', name: '边界窗口', terminalId: 't-lab-w1' },
  ],
  officers: [
    ...SMALL_CITY.officers,
    { id: 'o-chen', unitId: 'ft-xm', name: '陈志强' },
    { id: 'o-zhao', unitId: 'ns-crj', name: '赵丽华' },
    { id: 'o-idle', unitId: 'ns', name: '孙闲' },
    { id: 'o-lab', unitId: 'lab', name: '周边界' },
  ],
};
const windowOfTerminal = (t: string) => CITY.windows.find((w) => w.terminalId === t)!.id;
const shanghai = (local: string) => Date.parse(`${local}+08:00`);

let sys: TestSystem;
let ref: ReferenceModel;
let analyst: ApiClient;
let leaderFt: ApiClient;
let terminalKeys: Record<string, string>;
let randomItems: ImportItem[];
let voided: string[];

/** Hand-made ratings at the edges of days, weeks and years, all on the lab window. */
const EDGE: { id: string; occurredAt: string; score: number; officerId?: string }[] = [
  // a year boundary, in +08:00 and in UTC form
  { id: 'edge-ye-1', occurredAt: '2025-12-31T23:59:59+08:00', score: 5, officerId: 'o-lab' },
  { id: 'edge-ye-2', occurredAt: '2025-12-31T15:59:59Z', score: 4 },
  { id: 'edge-ye-3', occurredAt: '2026-01-01T00:00:00+08:00', score: 2, officerId: 'o-lab' },
  { id: 'edge-ye-4', occurredAt: '2025-12-31T16:00:00Z', score: 1 },
  { id: 'edge-dec-5', occurredAt: '2025-12-05T10:00:00+08:00', score: 3 },
  // 2024-12-30 (a Monday) opens 2025-W01
  { id: 'edge-w-1', occurredAt: '2024-12-29T23:59:59+08:00', score: 4 },
  { id: 'edge-w-2', occurredAt: '2024-12-30T00:00:00+08:00', score: 5 },
  // 2020 has 53 ISO weeks: 2020-12-28 … 2021-01-03 is 2020-W53
  { id: 'edge-w53-1', occurredAt: '2021-01-03T12:00:00+08:00', score: 5 },
  { id: 'edge-w53-2', occurredAt: '2020-12-28T00:00:00+08:00', score: 3 },
  { id: 'edge-w01-1', occurredAt: '2021-01-04T00:00:00+08:00', score: 4 },
  { id: 'edge-w01-2', occurredAt: '2021-01-04T07:59:59+08:00', score: 2 },
  { id: 'edge-2019-w52', occurredAt: '2019-12-25T12:00:00+08:00', score: 4 },
  { id: 'edge-2020-w01', occurredAt: '2019-12-31T12:00:00+08:00', score: 5 },
  // 29 February
  { id: 'edge-feb-1', occurredAt: '2024-02-29T08:00:00+08:00', score: 5 },
  { id: 'edge-feb-2', occurredAt: '2024-02-29T23:30:00+08:00', score: 4 },
  { id: 'edge-feb-3', occurredAt: '2024-02-28T16:00:00Z', score: 2 },
  { id: 'edge-feb-4', occurredAt: '2023-02-28T12:00:00+08:00', score: 5 },
  { id: 'edge-feb-5', occurredAt: '2023-02-28T20:00:00+08:00', score: 1 },
  { id: 'edge-mar-1', occurredAt: '2024-03-01T09:00:00+08:00', score: 4 },
];

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
  leaderFt = await reader({ id: 'r-leader-ft', role: 'leader', unitId: 'ft' });

  const { items, toVoid } = generateRatings({
    seed: 20260521,
    prefix: 'rnd',
    count: 4000,
    startMs: shanghai('2024-06-01T00:00:00'),
    endMs: shanghai('2026-11-01T00:00:00'),
    voidShare: 0.03,
    windows: [
      { windowId: 'ft-xm-w1', terminalId: 't-ft-xm-w1', officers: ['o-wang', 'o-chen'], quality: 0.8, weight: 3 },
      { windowId: 'ft-xm-w2', terminalId: 't-ft-xm-w2', officers: ['o-chen'], quality: 0.5, weight: 2, down: [[shanghai('2025-03-01T00:00:00'), shanghai('2025-04-01T00:00:00')]] },
      { windowId: 'ns-yh-w1', terminalId: 't-ns-yh-w1', officers: ['o-li'], quality: 0.25, weight: 2, down: [[shanghai('2025-06-10T00:00:00'), shanghai('2025-07-20T00:00:00')]] },
      { windowId: 'ns-crj-w1', terminalId: 't-ns-crj-w1', officers: ['o-zhao'], quality: 0.6, weight: 1.5 },
    ],
  });
  randomItems = items;
  voided = toVoid;
  const edge: ImportItem[] = EDGE.map((e) => ({ ...e, terminalId: 't-lab-w1' }));
  await importRatings(sys.admin, ref, [...items, ...edge], windowOfTerminal);
  await voidRatings(sys.admin, ref, toVoid);
  await sys.settled();
}, 120_000);
afterAll(() => sys?.close());

async function read(client: ApiClient, params: Record<string, string | undefined>) {
  return client.get(`/v1/satisfaction?${query(params)}`);
}

/** Reads one series and returns its differences from the reference (prefixed by the scope). */
async function diffOf(params: { scope: string; granularity: Granularity; from: string; to: string; channel?: Channel }, client = analyst): Promise<string[]> {
  const r = await read(client, params);
  if (r.status !== 200) return [`${params.scope}: HTTP ${r.status} ${JSON.stringify(r.body)}`];
  return differences(r.body, ref.satisfaction(params)).map((d) => `${params.scope} ${params.granularity} ${d}`);
}

const UNITS = CITY.units.map((u) => `unit:${u.id}`);
const WINDOWS = CITY.windows.map((w) => `window:${w.id}`);
const OFFICERS = CITY.officers.map((o) => `officer:${o.id}`);

describe('the reference itself', () => {
  it('when ISO weeks and the Wilson interval are computed, then they match known values', () => {
    expect(periodLabel(Date.UTC(2024, 11, 30) / 86_400_000, 'week')).toBe('2025-W01');
    expect(periodLabel(Date.UTC(2021, 0, 3) / 86_400_000, 'week')).toBe('2020-W53');
    expect(isoWeek(Date.UTC(2026, 0, 1) / 86_400_000)).toEqual({ year: 2026, week: 1 });
    expect([2019, 2020, 2021, 2026].map(isoWeeksIn)).toEqual([52, 53, 52, 53]);
    expect(labelsOverlapping('2020-12-20', '2021-01-10', 'week')).toEqual(['2020-W51', '2020-W52', '2020-W53', '2021-W01']);
    expect(yearEarlierLabel('2024-02-29', 'day')).toBe('2023-02-28');
    expect(yearEarlierLabel('2020-W53', 'week')).toBeNull();
    // Wilson 95 % for 8 of 10 (Newcombe 1998): 0.4902 … 0.9433; for 0 of 10: 0 … 0.2775
    const [lo, hi] = wilson(8, 10);
    expect(lo).toBeCloseTo(0.4902, 4);
    expect(hi).toBeCloseTo(0.9433, 4);
    expect(wilson(0, 10)[0]).toBeCloseTo(0, 12);
    expect(wilson(0, 10)[1]).toBeCloseTo(0.2775, 4);
  });

  it('when every rating is cut in Asia/Shanghai through Intl, then it agrees with fixed +08:00 arithmetic', () => {
    const disagree = ref.all().filter((r) => localDay(r.at, 'Asia/Shanghai') !== localDayFixedOffset(r.at, 480));
    expect(disagree).toEqual([]);
    expect(ref.all().length).toBe(4000 + EDGE.length);
  });
});

const RANGES: { granularity: Granularity; from: string; to: string; what: string }[] = [
  { granularity: 'day', from: '2025-06-25', to: '2025-07-15', what: 'a summer stretch with a terminal down' },
  { granularity: 'day', from: '2024-12-25', to: '2025-01-06', what: 'days across a new year' },
  { granularity: 'day', from: '2026-02-20', to: '2026-03-05', what: 'late February with a year-earlier' },
  { granularity: 'week', from: '2024-05-20', to: '2026-11-08', what: 'every week of the data and some empty ones' },
  { granularity: 'month', from: '2024-01-01', to: '2026-11-20', what: '35 months' },
  { granularity: 'quarter', from: '2023-10-01', to: '2026-11-20', what: '13 quarters' },
  { granularity: 'year', from: '2019-01-01', to: '2026-11-20', what: '8 years' },
];

describe.each(RANGES)('random data by $granularity ($what, $from … $to)', (range) => {
  it.each([
    ['unit', UNITS],
    ['window', WINDOWS],
    ['officer', OFFICERS],
  ])('when every %s scope is read, then every field of every entry equals the reference', async (_kind, scopes) => {
    const diffs: string[] = [];
    for (const scope of scopes as string[]) diffs.push(...(await diffOf({ scope, granularity: range.granularity, from: range.from, to: range.to })));
    expect(diffs).toEqual([]);
  });
});

describe('the shape of an answer', () => {
  it('when a series is read, then scope, granularity and timezone are echoed and empty periods are present with nulls', async () => {
    const r = await read(analyst, { scope: 'window:ft-xm-w3', granularity: 'month', from: '2025-01-01', to: '2025-03-31' });
    expect(r.status).toBe(200);
    expect(r.body.scope).toBe('window:ft-xm-w3');
    expect(r.body.granularity).toBe('month');
    expect(r.body.timezone).toBe('Asia/Shanghai');
    const empty = { n: 0, levels: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 }, satisfactionRate: null, satisfactionRateInterval: null, badRate: null, meanScore: null, index: null, yoy: null, pop: null };
    expect(r.body.series).toEqual([
      { period: '2025-01', ...empty },
      { period: '2025-02', ...empty },
      { period: '2025-03', ...empty },
    ]);
  });

  it('when a terminal was down for a month, then that month is present for its window with n = 0 and the next month has no PoP', async () => {
    const r = await read(analyst, { scope: 'window:ft-xm-w2', granularity: 'month', from: '2025-02-01', to: '2025-04-30' });
    expect(r.body.series.map((e: { period: string; n: number }) => [e.period, e.n > 0])).toEqual([
      ['2025-02', true],
      ['2025-03', false],
      ['2025-04', true],
    ]);
    expect(r.body.series[1].pop).toEqual({ nChange: -1, satisfactionRateDelta: null, indexDelta: null });
    expect(r.body.series[2].pop).toBeNull();
  });
});

describe('channels', () => {
  it('when channel is ratings or all (or left out), then the figures are the same and equal the reference', async () => {
    const base = { scope: 'unit:sz', granularity: 'month' as const, from: '2024-05-01', to: '2026-11-20' };
    const all = await read(analyst, { ...base, channel: 'all' });
    const ratings = await read(analyst, { ...base, channel: 'ratings' });
    const implicit = await read(analyst, base);
    expect(ratings.body).toEqual(all.body);
    expect(implicit.body).toEqual(all.body);
    expect(differences(all.body, ref.satisfaction(base))).toEqual([]);
    expect(await diffOf({ scope: 'officer:o-chen', granularity: 'week', from: '2025-01-01', to: '2025-06-30', channel: 'ratings' })).toEqual([]);
  });

  it.each(['surveys', 'complaints', 'visits'] as const)('when channel is %s, then n = 0 and every figure is null in every period', async (channel) => {
    const q = { scope: 'unit:sz', granularity: 'quarter' as const, from: '2024-01-01', to: '2026-11-20', channel };
    const r = await read(analyst, q);
    expect(r.status).toBe(200);
    expect(r.body.series.length).toBe(12);
    expect(r.body.series.every((e: { n: number }) => e.n === 0)).toBe(true);
    expect(differences(r.body, ref.satisfaction(q))).toEqual([]);
  });
});

describe('period edges', () => {
  const levels = (l: Partial<Record<'1' | '2' | '3' | '4' | '5', number>>) => ({ '1': 0, '2': 0, '3': 0, '4': 0, '5': 0, ...l });
  const brief = (body: { series: { period: string; n: number; levels: object }[] }) => body.series.map((e) => ({ period: e.period, n: e.n, levels: e.levels }));

  it('when ratings fall at 23:59:59 and 00:00:00 Shanghai time across a new year (in +08:00 and UTC form), then they land in consecutive days, months, quarters and years', async () => {
    const scope = 'window:lab-w1';
    const day = await read(analyst, { scope, granularity: 'day', from: '2025-12-31', to: '2026-01-01' });
    expect(brief(day.body)).toEqual([
      { period: '2025-12-31', n: 2, levels: levels({ '4': 1, '5': 1 }) },
      { period: '2026-01-01', n: 2, levels: levels({ '1': 1, '2': 1 }) },
    ]);
    const month = await read(analyst, { scope, granularity: 'month', from: '2025-12-01', to: '2026-01-31' });
    expect(brief(month.body)).toEqual([
      { period: '2025-12', n: 3, levels: levels({ '3': 1, '4': 1, '5': 1 }) },
      { period: '2026-01', n: 2, levels: levels({ '1': 1, '2': 1 }) },
    ]);
    const quarter = await read(analyst, { scope, granularity: 'quarter', from: '2025-10-01', to: '2026-03-31' });
    expect(brief(quarter.body).map((e) => [e.period, e.n])).toEqual([
      ['2025-Q4', 3],
      ['2026-Q1', 2],
    ]);
    const year = await read(analyst, { scope, granularity: 'year', from: '2025-01-01', to: '2026-01-01' });
    expect(brief(year.body).map((e) => [e.period, e.n])).toEqual([
      ['2025', 3],
      ['2026', 2],
    ]);
    // both sides of the boundary lie in ISO week 2026-W01 (29 December 2025 … 4 January 2026)
    const week = await read(analyst, { scope, granularity: 'week', from: '2025-12-31', to: '2026-01-01' });
    expect(brief(week.body)).toEqual([{ period: '2026-W01', n: 4, levels: levels({ '1': 1, '2': 1, '4': 1, '5': 1 }) }]);
    // the officer named on two of them sees one on each side
    const officer = await read(analyst, { scope: 'officer:o-lab', granularity: 'day', from: '2025-12-31', to: '2026-01-01' });
    expect(officer.body.series.map((e: { n: number }) => e.n)).toEqual([1, 1]);
  });

  it('when ratings fall on either side of an ISO week-year edge, then 2024-12-29 is 2024-W52, 2024-12-30 is 2025-W01, 2021-01-03 is 2020-W53', async () => {
    const scope = 'window:lab-w1';
    const a = await read(analyst, { scope, granularity: 'week', from: '2024-12-29', to: '2024-12-30' });
    expect(brief(a.body)).toEqual([
      { period: '2024-W52', n: 1, levels: levels({ '4': 1 }) },
      { period: '2025-W01', n: 1, levels: levels({ '5': 1 }) },
    ]);
    const b = await read(analyst, { scope, granularity: 'week', from: '2021-01-03', to: '2021-01-04' });
    expect(brief(b.body)).toEqual([
      { period: '2020-W53', n: 2, levels: levels({ '3': 1, '5': 1 }) },
      { period: '2021-W01', n: 2, levels: levels({ '2': 1, '4': 1 }) },
    ]);
  });

  it('when a week range crosses a year, then its labels run 2020-W51, 2020-W52, 2020-W53, 2021-W01 and 2020-W53 has no YoY', async () => {
    const q = { scope: 'window:lab-w1', granularity: 'week' as const, from: '2020-12-20', to: '2021-01-10' };
    const r = await read(analyst, q);
    expect(r.body.series.map((e: { period: string }) => e.period)).toEqual(['2020-W51', '2020-W52', '2020-W53', '2021-W01']);
    const [w51, w52, w53, w01] = r.body.series;
    expect(w51.yoy).toBeNull();
    expect(w51.pop).toBeNull();
    // 2019-W52 had a rating, 2020-W52 none
    expect(w52.yoy).toEqual({ nChange: -1, satisfactionRateDelta: null, indexDelta: null });
    // there is no 2019-W53: the same ISO week number a year earlier does not exist
    expect(w53.yoy).toBeNull();
    expect(w53.pop).toBeNull();
    expect(w53.index).toBeCloseTo(75, 12);
    // 2021-W01 {2, 4} against 2020-W01 {5} (31 December 2019 lies in 2020-W01) and 2020-W53 {3, 5}
    expect(w01.yoy.nChange).toBeCloseTo(1, 12);
    expect(w01.yoy.satisfactionRateDelta).toBeCloseTo(-0.5, 12);
    expect(w01.yoy.indexDelta).toBeCloseTo(-50, 12);
    expect(w01.pop.nChange).toBeCloseTo(0, 12);
    expect(w01.pop.satisfactionRateDelta).toBeCloseTo(-0.5, 12);
    expect(w01.pop.indexDelta).toBeCloseTo(-25, 12);
    expect(differences(r.body, ref.satisfaction(q))).toEqual([]);
  });

  it('when from and to cut a period in the middle, then the whole period is returned with the whole period’s figures', async () => {
    const scope = 'window:lab-w1';
    const cases = [
      { granularity: 'month' as const, from: '2025-12-31', to: '2025-12-31', expect: [['2025-12', 3]] },
      { granularity: 'week' as const, from: '2025-12-31', to: '2025-12-31', expect: [['2026-W01', 4]] },
      { granularity: 'quarter' as const, from: '2025-11-15', to: '2026-01-01', expect: [['2025-Q4', 3], ['2026-Q1', 2]] },
      { granularity: 'year' as const, from: '2026-01-01', to: '2026-01-01', expect: [['2026', 2]] },
    ];
    for (const c of cases) {
      const q = { scope, granularity: c.granularity, from: c.from, to: c.to };
      const r = await read(analyst, q);
      expect(r.body.series.map((e: { period: string; n: number }) => [e.period, e.n])).toEqual(c.expect);
      expect(differences(r.body, ref.satisfaction(q))).toEqual([]);
    }
    // and for random data: a month cut on both sides equals the same month read whole
    const cut = await read(analyst, { scope: 'unit:sz', granularity: 'month', from: '2025-03-15', to: '2025-05-10' });
    const whole = await read(analyst, { scope: 'unit:sz', granularity: 'month', from: '2025-03-01', to: '2025-05-31' });
    expect(cut.body).toEqual(whole.body);
  });
});

describe('YoY and PoP', () => {
  it('when 29 February, an empty day before it and a day after are read, then YoY compares with 28 February a year earlier and PoP/YoY follow the null rules', async () => {
    const q = { scope: 'window:lab-w1', granularity: 'day' as const, from: '2024-02-28', to: '2024-03-01' };
    const r = await read(analyst, q);
    expect(r.status).toBe(200);
    const [d28, d29, m01] = r.body.series;
    expect([d28.period, d29.period, m01.period]).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    // 28 Feb 2024 is empty, 28 Feb 2023 was not: nChange = -1, deltas null
    expect(d28.n).toBe(0);
    expect(d28.yoy).toEqual({ nChange: -1, satisfactionRateDelta: null, indexDelta: null });
    expect(d28.pop).toBeNull();
    // 29 Feb 2024 {2, 4, 5} against 28 Feb 2023 {1, 5}; the day before it is empty, so no PoP
    expect(d29.n).toBe(3);
    expect(d29.yoy.nChange).toBeCloseTo(0.5, 12);
    expect(d29.yoy.satisfactionRateDelta).toBeCloseTo(2 / 3 - 1 / 2, 12);
    expect(d29.yoy.indexDelta).toBeCloseTo((100 * (11 / 3 - 1)) / 4 - 50, 12);
    expect(d29.pop).toBeNull();
    // 1 March 2024 {4}: nothing on 1 March 2023; PoP against 29 February
    expect(m01.yoy).toBeNull();
    expect(m01.pop.nChange).toBeCloseTo(-2 / 3, 12);
    expect(m01.pop.satisfactionRateDelta).toBeCloseTo(1 / 3, 12);
    expect(m01.pop.indexDelta).toBeCloseTo(75 - (100 * (11 / 3 - 1)) / 4, 12);
    expect(differences(r.body, ref.satisfaction(q))).toEqual([]);
  });

  it('when 28 February 2025 is read, then its YoY is 28 February 2024 (empty, so null), not 29 February', async () => {
    const q = { scope: 'window:lab-w1', granularity: 'day' as const, from: '2025-02-28', to: '2025-03-01' };
    const r = await read(analyst, q);
    expect(r.body.series[0].yoy).toBeNull();
    expect(r.body.series[1].yoy).toEqual({ nChange: -1, satisfactionRateDelta: null, indexDelta: null });
    expect(differences(r.body, ref.satisfaction(q))).toEqual([]);
  });

  it('when months, quarters and years around the leap day are read, then YoY and PoP equal the reference', async () => {
    for (const granularity of ['month', 'quarter', 'year'] as const) {
      expect(await diffOf({ scope: 'window:lab-w1', granularity, from: '2023-01-01', to: '2025-12-31' })).toEqual([]);
      expect(await diffOf({ scope: 'unit:lab', granularity, from: '2019-01-01', to: '2026-06-30' })).toEqual([]);
    }
  });
});

describe('access and validation', () => {
  const ok = { granularity: 'month', from: '2025-01-01', to: '2025-03-31' };

  it('when an analyst reads any scope, then the answer is 200', async () => {
    for (const scope of [...UNITS, ...WINDOWS, ...OFFICERS]) expect([scope, (await read(analyst, { ...ok, scope })).status]).toEqual([scope, 200]);
  });

  it('when a leader of ft reads ft, its stations, windows and officers, then 200; anything outside, then 403', async () => {
    for (const scope of ['unit:ft', 'unit:ft-xm', 'window:ft-xm-w1', 'window:ft-xm-w2', 'officer:o-wang', 'officer:o-chen']) {
      const r = await read(leaderFt, { ...ok, scope });
      expect([scope, r.status]).toEqual([scope, 200]);
      expect(differences(r.body, ref.satisfaction({ ...ok, scope, granularity: 'month' }))).toEqual([]);
    }
    for (const scope of ['unit:sz', 'unit:ns', 'unit:ns-yh', 'window:ns-yh-w1', 'window:lab-w1', 'officer:o-li']) {
      const r = await read(leaderFt, { ...ok, scope });
      expect([scope, r.status]).toEqual([scope, 403]);
      expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
  });

  it('when a terminal key reads, then 403; with no token or an unknown one, then 401', async () => {
    const q = { ...ok, scope: 'unit:ft' };
    expect((await read(sys.client(terminalKeys['t-ft-xm-w1']), q)).status).toBe(403);
    expect((await read(sys.client(), q)).status).toBe(401);
    expect((await read(sys.client('no-such-token'), q)).status).toBe(401);
  });

  it.each(['unit:nowhere', 'window:nowhere', 'officer:nobody'])('when %s does not exist, then 404 problem+json', async (scope) => {
    const r = await read(analyst, { ...ok, scope });
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(r.body.status).toBe(404);
  });

  it.each([
    ['scope is missing', { granularity: 'month', from: '2025-01-01', to: '2025-03-31' }, ['scope']],
    ['scope is foo:1', { ...ok, scope: 'foo:1' }, ['scope']],
    ['granularity is hour', { ...ok, scope: 'unit:sz', granularity: 'hour' }, ['granularity']],
    ['from is 2026-02-30', { ...ok, scope: 'unit:sz', from: '2026-02-30' }, ['from']],
    ['to is not a date', { ...ok, scope: 'unit:sz', to: '31/03/2025' }, ['to']],
    ['to is before from', { ...ok, scope: 'unit:sz', from: '2025-03-01', to: '2025-02-28' }, ['to', 'from']],
    ['channel is sms', { ...ok, scope: 'unit:sz', channel: 'sms' }, ['channel']],
    ['an unknown parameter is sent', { ...ok, scope: 'unit:sz', colour: 'red' }, ['colour']],
  ])('when %s, then 400 problem+json naming the field', async (_what, params, paths) => {
    const r = await read(analyst, params as Record<string, string>);
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(r.body).toMatchObject({ status: 400, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
    const named = (r.body.errors ?? []).map((e: { path: string }) => e.path);
    expect(named.some((p: string) => paths.includes(p))).toBe(true);
  });
});

describe('limits (API.md "Limits")', () => {
  const problemPaths = (r: { body: { errors?: { path: string }[] } }) => (r.body.errors ?? []).map((e) => e.path);

  it('when every date there is is asked for by day (0000-01-01 to 9999-12-31), then 400 naming from, at once', async () => {
    const r = await read(analyst, { scope: 'unit:sz', granularity: 'day', from: '0000-01-01', to: '9999-12-31' });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(problemPaths(r)).toContain('from');
  });

  it('when 1900-01-01 to 9999-12-31 is asked for at any granularity but year, then 400 naming to (more than 4000 periods)', async () => {
    for (const granularity of ['day', 'week', 'month', 'quarter']) {
      const r = await read(analyst, { scope: 'unit:sz', granularity, from: '1900-01-01', to: '9999-12-31' });
      expect([granularity, r.status, problemPaths(r)]).toEqual([granularity, 400, ['to']]);
    }
  });

  it('when exactly 4000 days are asked for, then 200 with 4000 entries; 4001 days, then 400 naming to', async () => {
    const from = '2016-01-01';
    const dayAfter = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    const r = await read(analyst, { scope: 'unit:sz', granularity: 'day', from, to: dayAfter(from, 3999) });
    expect(r.status).toBe(200);
    expect(r.body.series).toHaveLength(4000);
    const over = await read(analyst, { scope: 'unit:sz', granularity: 'day', from, to: dayAfter(from, 4000) });
    expect([over.status, problemPaths(over)]).toEqual([400, ['to']]);
  });

  it('when years 1900 to 9999 are asked for by year, then 400: 1900–5899 (4000 years) is the most', async () => {
    expect((await read(analyst, { scope: 'unit:sz', granularity: 'year', from: '1900-01-01', to: '9999-12-31' })).status).toBe(400);
    const r = await read(analyst, { scope: 'window:lab-w1', granularity: 'year', from: '1900-06-01', to: '5899-12-31' });
    expect(r.status).toBe(200);
    expect(r.body.series.map((e: { period: string }) => e.period).slice(0, 2)).toEqual(['1900', '1901']);
    expect(r.body.series.at(-1).period).toBe('5899');
  });

  it.each(['day', 'week', 'month', 'quarter', 'year'])('when a %s series touches year 0 or 1899, then 400 naming the date (never 500)', async (granularity) => {
    for (const [from, to, path] of [
      ['0000-01-01', '0000-01-10', 'from'],
      ['1899-12-31', '1900-01-07', 'from'],
      ['0000-01-01', '0000-01-01', 'to'],
    ]) {
      const r = await read(analyst, { scope: 'unit:sz', granularity, from, to });
      expect([from, to, r.status]).toEqual([from, to, 400]);
      expect(problemPaths(r)).toContain(path);
    }
  });

  it('when the first week of 1900 is read, then 200 with 1900-W01 (1900-01-01 was a Monday) and its pop 1899-W52 counted as empty', async () => {
    const r = await read(analyst, { scope: 'unit:sz', granularity: 'week', from: '1900-01-01', to: '1900-01-07' });
    expect(r.status).toBe(200);
    expect(r.body.series).toEqual([expect.objectContaining({ period: '1900-W01', n: 0, pop: null, yoy: null })]);
  });

  it('when a leader asks outside its subtree, then 403 whatever the range (the scope is authorised before anything else)', async () => {
    for (const [from, to] of [
      ['0000-01-01', '9999-12-31'],
      ['2026-02-30', '2026-03-01'],
    ]) {
      expect((await read(leaderFt, { scope: 'unit:ns', granularity: 'day', from, to })).status).toBe(403);
    }
  });
});

describe('counted once', () => {
  const everything = async () => [
    ...(await diffOf({ scope: 'unit:sz', granularity: 'month', from: '2024-05-01', to: '2026-11-20' })),
    ...(await diffOf({ scope: 'unit:sz', granularity: 'day', from: '2025-06-01', to: '2025-06-30' })),
    ...(await diffOf({ scope: 'officer:o-chen', granularity: 'quarter', from: '2024-01-01', to: '2026-11-20' })),
  ];

  it('when ratings are imported again, then they are duplicates (or conflicts when changed) and no figure moves', async () => {
    // the first 300, and every voided one: a voided rating sent again is a duplicate, not a new count
    const again = [...randomItems.slice(0, 300), ...randomItems.filter((it) => voided.includes(it.id) && randomItems.indexOf(it) >= 300)];
    const r = await sys.admin.post('/v1/ratings/import', { ratings: again });
    expect(r.status).toBe(200);
    expect(new Set(r.body.results.map((x: { status: string }) => x.status))).toEqual(new Set(['duplicate']));
    const changed = randomItems.slice(300, 310).map((it) => ({ ...it, score: it.score === 5 ? 1 : 5 }));
    const c = await sys.admin.post('/v1/ratings/import', { ratings: changed });
    expect(new Set(c.body.results.map((x: { status: string }) => x.status))).toEqual(new Set(['rejected']));
    await sys.settled();
    expect(await everything()).toEqual([]);
  });

  it('when voided ratings are voided again, then the answer is duplicate and they are not taken out twice', async () => {
    for (const id of voided.slice(0, 10)) {
      const r = await sys.admin.post(`/v1/ratings/${id}/void`, { reason: '重复作废' });
      expect([id, r.status, r.body.status]).toEqual([id, 200, 'duplicate']);
    }
    await sys.settled();
    expect(await everything()).toEqual([]);
  });
});

describe('late ratings', () => {
  it('when an offline terminal sends a batch from 30 days ago, then that past day and month change and today does not', async () => {
    const now = Date.now();
    const at = Math.floor((now - 30 * 86_400_000) / 1000) * 1000;
    const lateDay = localDay(at, 'Asia/Shanghai');
    const today = localDay(now, 'Asia/Shanghai');
    const days = { scope: 'window:ns-crj-w1', granularity: 'day' as const, from: dateLabel(lateDay - 1), to: dateLabel(today) };
    const months = { scope: 'unit:ns', granularity: 'month' as const, from: dateLabel(lateDay), to: dateLabel(today) };
    const beforeDays = (await read(analyst, days)).body;
    const beforeMonths = (await read(analyst, months)).body;

    const batch = [5, 4, 1].map((score, i) => ({ id: `late-${i}`, score, occurredAt: isoWithOffset(at + i * 1000, 480), officerId: 'o-zhao' }));
    const r = await sys.client(terminalKeys['t-ns-crj-w1']).post('/v1/ratings/batch', { ratings: batch });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(['accepted', 'accepted', 'accepted']);
    ref.add(...batch.map((b) => ({ id: b.id, at: Date.parse(b.occurredAt), score: b.score as 1 | 4 | 5, windowId: 'ns-crj-w1', officerId: 'o-zhao' })));
    await sys.settled();

    const afterDays = (await read(analyst, days)).body;
    const afterMonths = (await read(analyst, months)).body;
    const lateLabel = dateLabel(lateDay);
    const lateMonth = periodLabel(lateDay, 'month');
    const nOf = (b: { series: { period: string; n: number }[] }) => Object.fromEntries(b.series.map((e) => [e.period, e.n]));
    const expectedDays = nOf(beforeDays);
    expectedDays[lateLabel] += 3;
    expect(nOf(afterDays)).toEqual(expectedDays);
    expect(afterDays.series.at(-1)).toEqual(beforeDays.series.at(-1));
    const expectedMonths = nOf(beforeMonths);
    expectedMonths[lateMonth] += 3;
    expect(nOf(afterMonths)).toEqual(expectedMonths);
    expect(differences(afterDays, ref.satisfaction(days))).toEqual([]);
    expect(differences(afterMonths, ref.satisfaction(months))).toEqual([]);
    expect(await diffOf({ scope: 'officer:o-zhao', granularity: 'week', from: dateLabel(lateDay - 14), to: dateLabel(today) })).toEqual([]);
  });
});

describe('transaction ids of every length', () => {
  // The projector reads the log in (transaction id, position) order. Transaction ids grow from 999 to 1000,
  // from 9999 to 10000 …; ratings committed on both sides of such a step and projected in one batch must
  // still be counted once each.
  it('when ratings commit on both sides of a power-of-ten transaction id and are projected together, then each counts once', async () => {
    const db = new Client({ connectionString: sys.database.url });
    const holder = new Client({ connectionString: sys.database.url });
    await db.connect();
    await holder.connect();
    const terminal = sys.client(terminalKeys['t-ft-xm-w3']);
    const sent: { id: string; xid: bigint }[] = [];
    let boundary = 0n;
    try {
      const xidNow = async () => BigInt((await db.query('SELECT pg_current_xact_id()::text AS x')).rows[0].x);
      // Find a power of ten ahead, spend transaction ids (cheaply, as subtransactions) up to just below it,
      // then hold a transaction open so that the projector sees nothing newer until it ends.
      for (let attempt = 0; attempt < 5 && boundary === 0n; attempt++) {
        const now = await xidNow();
        let target = 10n ** BigInt(String(now).length);
        if (target - now < 60n) target *= 10n;
        await spendTransactionIdsUpTo(db, target - 40n);
        await holder.query('BEGIN');
        const held = BigInt((await holder.query('SELECT pg_current_xact_id()::text AS x')).rows[0].x);
        if (held < target - 5n) boundary = target;
        else await holder.query('ROLLBACK');
      }
      expect(boundary).toBeGreaterThan(0n);
      // Ratings, each its own commit, until one lands at or past the boundary.
      for (let i = 0; i < 300 && !sent.some((s) => s.xid >= boundary); i++) {
        const id = `xid-step-${i}`;
        const r = await terminal.post('/v1/ratings', { id, score: 4, occurredAt: new Date().toISOString() });
        expect(r.status).toBe(202);
        const x = (await db.query(`SELECT transaction_id::text AS x FROM events WHERE stream_id = $1`, [`rating-${id}`])).rows[0].x;
        sent.push({ id, xid: BigInt(x) });
      }
      expect(sent.some((s) => s.xid < boundary)).toBe(true);
      expect(sent.some((s) => s.xid >= boundary)).toBe(true);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
      await db.end();
    }
    await sys.settled();
    const today = dateLabel(localDay(Date.now(), 'Asia/Shanghai'));
    const r = await read(analyst, { scope: 'window:ft-xm-w3', granularity: 'year', from: today, to: today });
    expect({ boundary: String(boundary), n: r.body.series[0].n }).toEqual({ boundary: String(boundary), n: sent.length });
    // Past 100,000 ids in the cluster (a whole suite's worth) the next boundary is 1,000,000: ~900k ids to spend.
  }, 240_000);
});
