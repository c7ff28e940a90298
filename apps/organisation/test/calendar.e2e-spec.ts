// The working-day calendar over HTTP (API.md "The working-day calendar"): PUT replaces a year's lists, GET reads
// them back (empty when never set), the same lists again record nothing, and what is refused stores nothing.
import { randomUUID } from 'node:crypto';
import { ApiClient, startTestSystem, type ApiResponse, type TestSystem } from '@minyi/testing';

let sys: TestSystem;
let admin: ApiClient;

beforeAll(async () => {
  sys = await startTestSystem();
  admin = sys.admin;
  const u = await admin.post('/v1/units', { id: 'root', name: '深圳市公安局', parentId: null, kind: 'bureau' });
  if (u.status !== 201) throw new Error(`unit: ${u.status} ${JSON.stringify(u.body)}`);
});
afterAll(() => sys?.close());

const put = (year: string | number, body: unknown, c: ApiClient = admin) => c.request('PUT', `/v1/calendar/${year}`, body);
const get = (year: string | number, c: ApiClient = admin) => c.get(`/v1/calendar/${year}`);

async function calendarEvents(year: number): Promise<{ type: string; data: unknown; unit_id: string | null }[]> {
  const { rows } = await sys.db.pools.owner.query(`SELECT type, data, unit_id FROM events WHERE stream_id = $1 ORDER BY stream_version`, [`calendar-${year}`]);
  return rows;
}

async function eventCount(): Promise<number> {
  const { rows } = await sys.db.pools.owner.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
  return rows[0].n;
}

function expectProblem(r: ApiResponse, status: number, paths: string[] = []): void {
  expect({ status: r.status, type: r.headers.get('content-type') }).toEqual({ status, type: expect.stringMatching(/^application\/problem\+json/) });
  const named = ((r.body.errors ?? []) as { path: string }[]).map((e) => e.path);
  for (const p of paths) expect(named).toContain(p);
}

describe('PUT and GET /v1/calendar/{year}', () => {
  it('when a year was never set, then GET answers its empty lists', async () => {
    const r = await get(2031);
    expect({ status: r.status, body: r.body }).toEqual({ status: 200, body: { year: 2031, holidays: [], workdays: [] } });
  });

  it('when a year is set, then it is answered and read back sorted, each date once, and stored as one CalendarYearSet', async () => {
    const body = { holidays: ['2026-10-08', '2026-10-01', '2026-10-02', '2026-10-01'], workdays: ['2026-10-10', '2026-09-27'] };
    const expected = { year: 2026, holidays: ['2026-10-01', '2026-10-02', '2026-10-08'], workdays: ['2026-09-27', '2026-10-10'] };
    const r = await put(2026, body);
    expect({ status: r.status, body: r.body }).toEqual({ status: 200, body: expected });
    expect((await get(2026)).body).toEqual(expected);
    expect(await calendarEvents(2026)).toEqual([{ type: 'CalendarYearSet', data: expected, unit_id: null }]);
  });

  it('when the same lists come again, in another order, then 200 and no new event', async () => {
    const body = { holidays: ['2027-02-10', '2027-02-11'], workdays: ['2027-02-07'] };
    expect((await put(2027, body)).status).toBe(200);
    const r = await put(2027, { holidays: ['2027-02-11', '2027-02-10'], workdays: ['2027-02-07'] });
    expect({ status: r.status, body: r.body }).toEqual({ status: 200, body: { year: 2027, ...body } });
    expect(await calendarEvents(2027)).toHaveLength(1);
  });

  it('when other lists come, then they replace the year’s lists whole', async () => {
    expect((await put(2028, { holidays: ['2028-01-03'], workdays: ['2028-01-08'] })).status).toBe(200);
    const r = await put(2028, { holidays: ['2028-05-01'], workdays: [] });
    expect(r.body).toEqual({ year: 2028, holidays: ['2028-05-01'], workdays: [] });
    expect((await get(2028)).body).toEqual({ year: 2028, holidays: ['2028-05-01'], workdays: [] });
    expect(await calendarEvents(2028)).toHaveLength(2);
  });

  it('when the lists hold 366 dates each at most, then they are kept; 367, 400', async () => {
    const days = Array.from({ length: 366 }, (_, i) => new Date(Date.UTC(2032, 0, 1 + i)).toISOString().slice(0, 10));
    const r = await put(2032, { holidays: days.filter((_, i) => i % 2 === 0), workdays: days.filter((_, i) => i % 2 === 1) });
    expect(r.status).toBe(200);
    expect(r.body.holidays.length + r.body.workdays.length).toBe(366);
    expectProblem(await put(2033, { holidays: Array(367).fill('2033-01-01'), workdays: [] }), 400, ['holidays']);
  });
});

describe('what is refused (400 naming the field, nothing stored)', () => {
  const cases: [string, string | number, unknown, string[]][] = [
    ['a year that is not a number', 'abc', { holidays: [], workdays: [] }, ['year']],
    ['a year before 1900', 1899, { holidays: [], workdays: [] }, ['year']],
    ['a year after 9999', 10000, { holidays: [], workdays: [] }, ['year']],
    ['a year of five digits with a leading zero', '02026', { holidays: [], workdays: [] }, ['year']],
    ['a year with a sign', '+2026', { holidays: [], workdays: [] }, ['year']],
    ['no holidays', 2029, { workdays: [] }, ['holidays']],
    ['no workdays', 2029, { holidays: [] }, ['workdays']],
    ['an unknown field', 2029, { holidays: [], workdays: [], note: 'x' }, ['note']],
    ['a date of another year', 2029, { holidays: ['2029-01-01', '2030-01-01'], workdays: [] }, ['holidays.1']],
    ['a date that does not exist', 2029, { holidays: ['2029-02-29'], workdays: [] }, ['holidays.0']],
    ['a malformed date', 2029, { holidays: [], workdays: ['2029-1-5'] }, ['workdays.0']],
    ['a date with a NUL', 2029, { holidays: ['2029-01-0\u0000'], workdays: [] }, ['holidays.0']],
    ['a date that is not a string', 2029, { holidays: [20290101], workdays: [] }, ['holidays.0']],
    ['a date in both lists', 2029, { holidays: ['2029-10-01', '2029-10-06'], workdays: ['2029-09-29', '2029-10-06'] }, ['workdays.1']],
    ['a body that is a list', 2029, [], ['']],
  ];
  it.each(cases)('when %s, then 400 naming it', async (_what, year, body, paths) => {
    const before = await eventCount();
    expectProblem(await put(year, body), 400, paths);
    expect(await eventCount()).toBe(before);
  });

  it('when GET asks for a year outside 1900–9999, then 400 naming the year', async () => {
    expectProblem(await get(1899), 400, ['year']);
    expectProblem(await get('20x6'), 400, ['year']);
  });

  it('when the body is larger than 64 KiB, then 413', async () => {
    const r = await put(2029, { holidays: [], workdays: [], pad: 'x'.repeat(70 * 1024) });
    expect(r.status).toBe(413);
  });
});

describe('who may set and read the calendar', () => {
  it('when no token, a reader, a terminal or a client calls, then 401 / 403', async () => {
    const reader = await admin.post('/v1/readers', { id: `r-${randomUUID()}`, role: 'analyst' });
    const client = await admin.post('/v1/clients', { id: `c-${randomUUID()}`, name: '热线', scopes: ['cases:write'] });
    const window = await admin.post('/v1/windows', { id: `w-${randomUUID()}`, unitId: 'root', name: '窗口' });
    const terminal = await admin.post('/v1/terminals', { id: `t-${randomUUID()}`, windowId: window.body.id });
    const body = { holidays: ['2030-01-01'], workdays: [] };
    expectProblem(await put(2030, body, sys.client()), 401);
    expectProblem(await get(2030, sys.client()), 401);
    for (const token of [reader.body.token, client.body.token, terminal.body.apiKey]) {
      expectProblem(await put(2030, body, sys.client(token)), 403);
      expectProblem(await get(2030, sys.client(token)), 403);
    }
    expect(await calendarEvents(2030)).toEqual([]);
  });
});
