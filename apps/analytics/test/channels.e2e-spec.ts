// Two channels as a client meets them in /v1/satisfaction and /v1/rankings: window ratings and complaint callbacks
// (at the responsible unit as it was when the callback was taken, unit scopes only), each answer counted once under
// `all` (the default), and `channel` choosing one; a window or officer scope has no complaint answers.
import { buildOrganisation, SMALL_CITY, startTestSystem, type ApiClient, type TestSystem } from '@minyi/testing';
import { complaintCallback } from '../../projector/test/answers.js';

let sys: TestSystem;
let analyst: ApiClient;

// June 2026 in Asia/Shanghai. Ratings: ft-xm 3 (5, 5, 1), ns-yh 2 (4, 2). Callbacks: ft-xm 2 (5, 4), ns-crj 1 (1),
// ns-yh 1 (3), one taken at ft (the branch) after an escalation: 2.
const RATINGS = [
  { id: 'r1', terminalId: 't-ft-xm-w1', score: 5 },
  { id: 'r2', terminalId: 't-ft-xm-w1', score: 5 },
  { id: 'r3', terminalId: 't-ft-xm-w2', score: 1 },
  { id: 'r4', terminalId: 't-ns-yh-w1', score: 4 },
  { id: 'r5', terminalId: 't-ns-yh-w1', score: 2 },
];
const CALLBACKS = [
  { id: 'c1', unitId: 'ft-xm', score: 5 },
  { id: 'c2', unitId: 'ft-xm', score: 4 },
  { id: 'c3', unitId: 'ns-crj', score: 1 },
  { id: 'c4', unitId: 'ns-yh', score: 3 },
  { id: 'c5', unitId: 'ft', score: 2, filedUnitId: 'ft-xm' },
];

beforeAll(async () => {
  sys = await startTestSystem();
  await buildOrganisation(sys.admin, SMALL_CITY);
  analyst = sys.client((await sys.admin.post('/v1/readers', { id: 'analyst', role: 'analyst' })).body.token);
  const imported = await sys.admin.post('/v1/ratings/import', { ratings: RATINGS.map((r, i) => ({ ...r, occurredAt: `2026-06-${10 + i}T10:00:00+08:00` })) });
  expect(imported.status).toBe(200);
  for (const [i, c] of CALLBACKS.entries()) await sys.store.append(`complaint-${c.id}`, 0, [complaintCallback({ ...c, at: `2026-06-${20 + i}T10:00:00+08:00` })]);
  await sys.settled();
}, 120_000);
afterAll(() => sys?.close());

const june = (scope: string, channel?: string) => analyst.get(`/v1/satisfaction?scope=${scope}&granularity=month&from=2026-06-01&to=2026-06-30${channel ? `&channel=${channel}` : ''}`);
const levels = (r: { body: { series: { levels: Record<string, number> }[] } }) => r.body.series[0].levels;

it('when a unit\'s satisfaction is asked per channel, then ratings and callbacks count apart, and `all` (the default) counts each once', async () => {
  expect(levels(await june('unit:sz', 'ratings'))).toEqual({ '1': 1, '2': 1, '3': 0, '4': 1, '5': 2 });
  expect(levels(await june('unit:sz', 'complaints'))).toEqual({ '1': 1, '2': 1, '3': 1, '4': 1, '5': 1 });
  expect(levels(await june('unit:sz', 'all'))).toEqual({ '1': 2, '2': 2, '3': 1, '4': 2, '5': 3 });
  expect(levels(await june('unit:sz'))).toEqual(levels(await june('unit:sz', 'all')));
  expect((await june('unit:sz', 'surveys')).body.series[0].n).toBe(0);
  // The callback taken at the branch counts there and above, not at the station the complaint was filed for.
  expect((await june('unit:ft', 'complaints')).body.series[0].n).toBe(3);
  expect((await june('unit:ft-xm', 'complaints')).body.series[0].n).toBe(2);
});

it('when a window or officer scope is asked for complaints, then it answers 200 with n = 0 (only ratings have those scopes)', async () => {
  for (const scope of ['window:ft-xm-w1', 'officer:o-wang']) {
    const r = await june(scope, 'complaints');
    expect(r.status).toBe(200);
    expect(r.body.series.map((p: { n: number }) => p.n)).toEqual([0]);
  }
  expect((await june('window:ft-xm-w1', 'all')).body.series[0].n).toBe(2);
});

const rank = (params: string) => analyst.get(`/v1/rankings?parentId=sz&granularity=month&period=2026-06&${params}`);
const byId = (r: { body: { items: { id: string; n: number }[] } }) => Object.fromEntries(r.body.items.map((i) => [i.id, i.n]));

it('when units are ranked per channel, then each channel\'s answers rank them, and `all` (the default) adds them up', async () => {
  expect(byId(await rank('of=units&channel=ratings'))).toEqual({ ft: 3, ns: 2 });
  expect(byId(await rank('of=units&channel=complaints'))).toEqual({ ft: 3, ns: 2 });
  expect(byId(await rank('of=units&channel=all'))).toEqual({ ft: 6, ns: 4 });
  expect(await rank('of=units')).toMatchObject({ status: 200, body: (await rank('of=units&channel=all')).body });
  const complaints = (await rank('of=units&channel=complaints')).body.items;
  // ft: 5, 4, 2 → mean 11/3; ns: 1, 3 → mean 2.
  expect(complaints.map((i: { id: string; rank: number }) => [i.id, i.rank])).toEqual([['ft', 1], ['ns', 2]]);
});

it('when windows are ranked for complaints, then none has an answer (all are insufficient), while their ratings rank them', async () => {
  const complaints = await rank('of=windows&channel=complaints');
  expect(complaints.status).toBe(200);
  expect(complaints.body.items).toEqual([]);
  expect(complaints.body.insufficient.map((i: { id: string; n: number }) => i.n)).toEqual(complaints.body.insufficient.map(() => 0));
  expect(byId(await rank('of=windows&channel=ratings'))).toEqual({ 'ft-xm-w1': 2, 'ft-xm-w2': 1, 'ns-yh-w1': 2 });
});

it('when the channel is not one of the channels, then 400 names it', async () => {
  const r = await rank('of=units&channel=letters');
  expect(r.status).toBe(400);
  expect(r.body.errors).toEqual([expect.objectContaining({ path: 'channel' })]);
});
