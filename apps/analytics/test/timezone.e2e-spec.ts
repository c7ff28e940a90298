// Periods cut in a time zone with daylight saving (MINYI_TZ=Europe/Berlin): satisfaction and rankings
// checked against the independent reference, with ratings packed around local midnights and DST switches.
import { mulberry32, startTestSystem, type ApiClient, type TestSystem } from '@minyi/testing';
import { build, generateRatings, importRatings, isoWithOffset, query, refOrganisation, type ImportItem, type OrganisationSpec } from './fixtures.js';
import { differences, labelsOverlapping, localDay, dateLabel, ReferenceModel, type Granularity, type Ranking } from './reference-model.js';

const TZ = 'Europe/Berlin';
// Ids may hold ':' and '.' (API.md conventions), so scopes such as `unit:de:be` must work.
const ORG: OrganisationSpec = {
  units: [
    { id: 'de', name: 'Landespolizei', parentId: null, kind: 'bureau' },
    { id: 'de:be', name: 'Direktion Berlin', parentId: 'de', kind: 'branch' },
    { id: 'de:hh', name: 'Direktion Hamburg', parentId: 'de', kind: 'branch' },
    { id: 'de:be.mitte', name: 'Abschnitt Mitte', parentId: 'de:be', kind: 'station' },
  ],
  windows: [
    { id: 'de:be.mitte.w1', unitId: 'de:be.mitte', name: 'Bürgerservice 1', terminalId: 't:be.1' },
    { id: 'de:be.w0', unitId: 'de:be', name: 'Direktion Empfang', terminalId: 't:be.0' },
    { id: 'de:hh.w1', unitId: 'de:hh', name: 'Hamburg Empfang', terminalId: 't:hh.1' },
    { id: 'de:hh.w2', unitId: 'de:hh', name: 'Hamburg Nachtschalter', terminalId: 't:hh.2' },
  ],
  officers: [
    { id: 'o.mueller', unitId: 'de:be.mitte', name: 'Müller' },
    { id: 'o.schulz', unitId: 'de:hh', name: 'Schulz' },
  ],
};
const windowOfTerminal = (t: string) => ORG.windows.find((w) => w.terminalId === t)!.id;
/** Midnights (local) of the days on which Berlin switches to or from summer time. */
const DST_DAYS = ['2024-03-31', '2024-10-27', '2025-03-30', '2025-10-26', '2026-03-29', '2026-10-25'];

let sys: TestSystem;
let ref: ReferenceModel;
let analyst: ApiClient;

/** Ratings every 13 minutes from 20:00 UTC the day before a DST switch to 04:00 UTC the day after. */
function aroundSwitches(): ImportItem[] {
  const rng = mulberry32(4242);
  const terminals = ['t:be.1', 't:be.0', 't:hh.1'];
  const items: ImportItem[] = [];
  for (const day of DST_DAYS) {
    const start = Date.parse(`${day}T00:00:00Z`) - 4 * 3_600_000;
    const end = Date.parse(`${day}T00:00:00Z`) + 28 * 3_600_000;
    for (let at = start; at < end; at += 13 * 60_000) {
      const terminalId = terminals[Math.floor(rng() * terminals.length)];
      items.push({
        id: `dst-${items.length}`,
        terminalId,
        score: 1 + Math.floor(rng() ** 0.6 * 5),
        occurredAt: isoWithOffset(at, [0, 60, 120, 480][Math.floor(rng() * 4)]),
        ...(terminalId === 't:be.1' && rng() < 0.8 ? { officerId: 'o.mueller' } : {}),
      });
    }
  }
  return items;
}

const EDGE: ImportItem[] = [
  // 23:59:59 and 00:00:00 Berlin on either side of the spring switch (CET, +01:00)
  { id: 'e-spring-1', terminalId: 't:hh.2', score: 5, occurredAt: '2025-03-29T23:59:59+01:00' },
  { id: 'e-spring-2', terminalId: 't:hh.2', score: 1, occurredAt: '2025-03-30T00:00:00+01:00' },
  // … and of the autumn switch (summer time, +02:00, before it)
  { id: 'e-autumn-1', terminalId: 't:hh.2', score: 4, occurredAt: '2025-10-25T23:59:59+02:00' },
  { id: 'e-autumn-2', terminalId: 't:hh.2', score: 2, occurredAt: '2025-10-26T00:00:00+02:00' },
  // the same instant is 2026 in Berlin but still 2025 in UTC … and 2025 in Berlin but 2026 in Shanghai
  { id: 'e-year-1', terminalId: 't:hh.2', score: 3, occurredAt: '2025-12-31T23:30:00Z' },
  { id: 'e-year-2', terminalId: 't:hh.2', score: 5, occurredAt: '2026-01-01T06:30:00+08:00' },
];

beforeAll(async () => {
  sys = await startTestSystem({ MINYI_TZ: TZ });
  ref = new ReferenceModel(refOrganisation(ORG), TZ);
  await build(sys.admin, ORG);
  const r = await sys.admin.post('/v1/readers', { id: 'r-analyst', role: 'analyst' });
  analyst = sys.client(r.body.token);
  const random = generateRatings({
    seed: 9_001,
    prefix: 'de',
    count: 1500,
    startMs: Date.parse('2024-01-01T00:00:00+01:00'),
    endMs: Date.parse('2026-11-01T00:00:00+01:00'),
    voidShare: 0,
    windows: [
      { windowId: 'de:be.mitte.w1', terminalId: 't:be.1', officers: ['o.mueller'], quality: 0.7, weight: 2 },
      { windowId: 'de:be.w0', terminalId: 't:be.0', officers: [], quality: 0.4, weight: 1 },
      { windowId: 'de:hh.w1', terminalId: 't:hh.1', officers: ['o.schulz'], quality: 0.5, weight: 1 },
    ],
  });
  await importRatings(sys.admin, ref, [...random.items, ...aroundSwitches(), ...EDGE], windowOfTerminal);
  await sys.settled();
}, 120_000);
afterAll(() => sys?.close());

const SCOPES = [...ORG.units.map((u) => `unit:${u.id}`), ...ORG.windows.map((w) => `window:${w.id}`), ...ORG.officers.map((o) => `officer:${o.id}`)];

async function read(params: { scope: string; granularity: Granularity; from: string; to: string }) {
  return analyst.get(`/v1/satisfaction?${query(params)}`);
}

const RANGES: { granularity: Granularity; from: string; to: string }[] = [
  ...DST_DAYS.map((d) => {
    const n = Date.parse(`${d}T00:00:00Z`) / 86_400_000;
    return { granularity: 'day' as const, from: dateLabel(n - 2), to: dateLabel(n + 2) };
  }),
  { granularity: 'day', from: '2025-12-29', to: '2026-01-02' },
  { granularity: 'week', from: '2023-12-25', to: '2026-11-08' },
  { granularity: 'month', from: '2024-01-01', to: '2026-11-20' },
  { granularity: 'quarter', from: '2024-01-01', to: '2026-11-20' },
  { granularity: 'year', from: '2023-01-01', to: '2026-11-20' },
];

it.each(RANGES)('when every scope is read by $granularity from $from to $to in Europe/Berlin, then every field equals the reference', async (range) => {
  const diffs: string[] = [];
  for (const scope of SCOPES) {
    const r = await read({ scope, ...range });
    if (r.status !== 200) diffs.push(`${scope}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    else diffs.push(...differences(r.body, ref.satisfaction({ scope, ...range })).map((d) => `${scope} ${d}`));
  }
  expect(diffs).toEqual([]);
});

it('when a series is read, then the timezone is echoed as Europe/Berlin and scopes with ":" and "." in their ids work', async () => {
  const r = await read({ scope: 'window:de:be.mitte.w1', granularity: 'month', from: '2025-01-01', to: '2025-01-31' });
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ scope: 'window:de:be.mitte.w1', granularity: 'month', timezone: TZ });
});

it('when ratings fall at 23:59:59 and 00:00:00 Berlin time around the DST switches, then they land in consecutive local days', async () => {
  // the reference agrees with the hand-worked answer …
  expect(dateLabel(localDay(Date.parse('2025-03-30T00:00:00+01:00'), TZ))).toBe('2025-03-30');
  expect(dateLabel(localDay(Date.parse('2025-10-25T23:59:59+02:00'), TZ))).toBe('2025-10-25');
  const levels = (l: Record<string, number>) => ({ '1': 0, '2': 0, '3': 0, '4': 0, '5': 0, ...l });
  const brief = (body: { series: { period: string; n: number; levels: object }[] }) => body.series.map((e) => [e.period, e.levels]);
  const scope = 'window:de:hh.w2';
  const cases: [Granularity, string, string, [string, object][]][] = [
    ['day', '2025-03-29', '2025-03-30', [['2025-03-29', levels({ '5': 1 })], ['2025-03-30', levels({ '1': 1 })]]],
    ['day', '2025-10-25', '2025-10-26', [['2025-10-25', levels({ '4': 1 })], ['2025-10-26', levels({ '2': 1 })]]],
    ['day', '2025-12-31', '2026-01-01', [['2025-12-31', levels({ '5': 1 })], ['2026-01-01', levels({ '3': 1 })]]],
    ['year', '2025-01-01', '2026-12-31', [['2025', levels({ '1': 1, '2': 1, '4': 1, '5': 2 })], ['2026', levels({ '3': 1 })]]],
    // Saturday 2025-03-29 closes 2025-W13; Sunday 2025-03-30 too; 2025-10-25/26 are both in 2025-W43
    ['week', '2025-03-29', '2025-03-30', [['2025-W13', levels({ '1': 1, '5': 1 })]]],
  ];
  for (const [granularity, from, to, expected] of cases) {
    const q = { scope, granularity, from, to };
    const r = await read(q);
    expect([granularity, from, brief(r.body)]).toEqual([granularity, from, expected]);
    expect(differences(r.body, ref.satisfaction(q))).toEqual([]);
  }
});

it('when rankings are read in Europe/Berlin, then every item equals the reference', async () => {
  const diffs: string[] = [];
  const cases: { granularity: Granularity; periods: string[] }[] = [
    { granularity: 'day', periods: DST_DAYS.flatMap((d) => labelsOverlapping(d, dateLabel(Date.parse(`${d}T00:00:00Z`) / 86_400_000 + 1), 'day')) },
    { granularity: 'week', periods: ['2025-W13', '2025-W14', '2025-W43', '2025-W44', '2026-W01'] },
    { granularity: 'month', periods: labelsOverlapping('2025-01-01', '2026-10-31', 'month') },
    { granularity: 'year', periods: ['2024', '2025', '2026'] },
  ];
  for (const { granularity, periods } of cases) {
    for (const period of periods) {
      for (const [parentId, of] of [
        ['de', 'units'],
        ['de', 'windows'],
        ['de:be', 'windows'],
        ['de', 'officers'],
      ] as const) {
        const p = { parentId, of, granularity, period };
        const r = await analyst.get(`/v1/rankings?${query(p)}`);
        const body = r.body as Ranking;
        const actual = r.status === 200 ? { ...body, insufficient: [...body.insufficient].sort((a, b) => (a.id < b.id ? -1 : 1)) } : r.body;
        diffs.push(...differences(actual, ref.ranking(p)).map((d) => `${of} below ${parentId} ${period}: ${d}`));
      }
    }
  }
  expect(diffs).toEqual([]);
});
