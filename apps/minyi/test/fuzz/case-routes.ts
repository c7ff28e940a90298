// The routes of the case channels as the fuzz sees them — filing complaints, visits, opinions, disputes and hazards,
// every step of every case kind, the rates, the ledgers and erasure — built from the same parts as routes.ts.
import fc from 'fast-check';
import { aroundLength, DAY, edgeTime, hugeString, isoAt, lookalikeString, MINUTE, queryDate, recentTime, text, unrecordableText } from './values.js';
import type { FieldSpec } from './bodies.js';
import { dateRange, fixedPath, fuzzId, getModel, GRANULARITIES, idFrom, idPath, KiB, oddGranularity, oddId, oddName, postModel, scopes, type Pair, type RouteModel, type World } from './routes.js';

/** What the case routes need of the fuzz's system beside the World of routes.ts. */
export interface CaseWorld extends World {
  /** A client with complaints:write, visits:write and cases:write, of no unit (it covers them all). */
  casesToken: string;
  complaints: string[];
  followups: string[];
  visits: string[];
  opinions: string[];
  disputes: string[];
  hazards: string[];
}

const cases = (w: World) => (w as CaseWorld).casesToken;
const notCases = (w: World) => [w.fuzzTerminalKeys[0], w.analystToken];
const VIA = ['phone', 'sms', 'visit', 'letter', 'app', 'wechat'];

/** A step's instant: mostly just now (after the case's filing and earlier steps), sometimes at and past every edge. */
const stepTime = (w: World) =>
  fc.oneof({ weight: 6, arbitrary: fc.integer({ min: -MINUTE, max: 2 * MINUTE }).map((d) => isoAt(w.now() + d, 480)) }, { weight: 1, arbitrary: edgeTime(w.now) }, { weight: 1, arbitrary: recentTime(w.now) });
const filingTime = (w: World) => fc.oneof({ weight: 6, arbitrary: fc.integer({ min: -364 * DAY, max: 4 * MINUTE }).map((d) => isoAt(w.now() + d, 480)) }, { weight: 1, arbitrary: edgeTime(w.now) });
const oddTime = (w: World) => fc.oneof(edgeTime(w.now), lookalikeString, unrecordableText, queryDate);
/** Text at its 5000-character limit: CJK, emoji (two UTF-16 units each), NFD and line breaks. */
const longText = fc.constantFrom('中'.repeat(5000), '😀'.repeat(5000), 'e\u0301'.repeat(2500), 'a\r\n'.repeat(1666) + 'ab');
const oddText = (max: number) => fc.oneof(aroundLength(1, max), unrecordableText, hugeString, fc.constantFrom('', ' ', '\r\n'));
const oddScore = fc.constantFrom(0, 6, -1, 1.5, 1e308, '5', null, true, [5]);
const oddDays = fc.constantFrom(0, 61, -1, 1.5, '15', null, 1e9);
const contact = fc.record({ name: text(1, 64), phone: fc.stringMatching(/^1[3-9][0-9]{9}$/) }, { requiredKeys: [] });
const oddContact = fc.oneof(fc.constantFrom(null, 'x', [], { phone: 1 }, { name: '' }, { email: 'a@b' }), fc.record({ name: oddName(64), phone: aroundLength(1, 32) }));

function filing(route: string, path: string, valid: (w: World) => fc.Arbitrary<unknown>, fields: (w: World) => FieldSpec[]): RouteModel {
  return postModel({ route, path: fixedPath(path), proper: cases, wrongKind: notCases, bodyLimit: 64 * KiB, valid, fields });
}

const unitIdField = (w: World): FieldSpec => ({ name: 'unitId', odd: fc.oneof(oddId, idFrom(w.units)) });

const complaintFiling = filing(
  'POST /v1/complaints',
  '/v1/complaints',
  (w) =>
    fc.record(
      {
        id: fuzzId('fz-c'),
        unitId: idFrom(w.units),
        channel: fc.constantFrom('app', 'hotline', 'wechat', 'mailbox', 'in_person', 'reception', 'letter', 'other'),
        category: text(1, 64),
        text: fc.oneof({ weight: 8, arbitrary: text(1, 200) }, { weight: 1, arbitrary: longText }),
        occurredAt: filingTime(w),
        contact,
      },
      { requiredKeys: ['id', 'unitId', 'channel', 'category', 'text', 'occurredAt'] },
    ),
  (w) => [
    { name: 'id', odd: fc.oneof(oddId, fc.constantFrom(...(w as CaseWorld).complaints)) },
    unitIdField(w),
    { name: 'channel', odd: fc.constantFrom('App', 'phone', '', 'survey', 'visit', 1) },
    { name: 'category', odd: oddText(64) },
    { name: 'text', odd: oddText(5000) },
    { name: 'occurredAt', odd: oddTime(w) },
    { name: 'contact', odd: oddContact },
  ],
);

const visitFiling = filing(
  'POST /v1/visits',
  '/v1/visits',
  (w) =>
    fc.record(
      {
        id: fuzzId('fz-vi'),
        unitId: idFrom(w.units),
        officerId: idFrom(w.officers),
        occurredAt: filingTime(w),
        target: fc.record({ kind: fc.constantFrom('household', 'enterprise', 'school', 'community', 'organisation', 'other'), ref: text(1, 128) }, { requiredKeys: ['kind'] }),
        meeting: fc.record({ level: fc.constantFrom('city', 'branch', 'station', 'building'), attendees: fc.nat({ max: 500 }) }),
        notes: text(0, 300),
      },
      { requiredKeys: ['id', 'unitId', 'occurredAt', 'target'] },
    ),
  (w) => [
    { name: 'id', odd: fc.oneof(oddId, fc.constantFrom(...(w as CaseWorld).visits)) },
    unitIdField(w),
    { name: 'officerId', odd: fc.oneof(oddId, idFrom(w.officers)) },
    { name: 'occurredAt', odd: oddTime(w) },
    { name: 'target', odd: fc.constantFrom(null, {}, { kind: 'house' }, { kind: 'household', ref: '' }, { kind: 'household', ref: 'x'.repeat(129) }, 'household') },
    { name: 'meeting', odd: fc.constantFrom(null, {}, { level: 'county', attendees: 1 }, { level: 'city', attendees: -1 }, { level: 'city', attendees: 1.5 }, { level: 'city' }) },
    { name: 'notes', odd: oddText(5000) },
  ],
);

const opinionFiling = filing(
  'POST /v1/opinions',
  '/v1/opinions',
  (w) =>
    fc.record(
      {
        id: fuzzId('fz-o'),
        unitId: idFrom(w.units),
        source: fc.constantFrom('visit', 'meeting', 'hotline', 'wechat', 'mailbox', 'reception', 'app', 'other'),
        visitId: fc.constantFrom(...(w as CaseWorld).visits),
        category: text(1, 64),
        text: fc.oneof({ weight: 8, arbitrary: text(1, 200) }, { weight: 1, arbitrary: longText }),
        occurredAt: filingTime(w),
        contact,
      },
      { requiredKeys: ['id', 'unitId', 'source', 'category', 'text', 'occurredAt'] },
    ),
  (w) => [
    { name: 'id', odd: fc.oneof(oddId, fc.constantFrom(...(w as CaseWorld).opinions)) },
    unitIdField(w),
    { name: 'source', odd: fc.constantFrom('survey', 'Visit', '', null) },
    { name: 'visitId', odd: fc.oneof(oddId, fc.constant('fz-no-such-visit')) },
    { name: 'category', odd: oddText(64) },
    { name: 'text', odd: oddText(5000) },
    { name: 'occurredAt', odd: oddTime(w) },
    { name: 'contact', odd: oddContact },
  ],
);

function foundFiling(plural: 'disputes' | 'hazards', extra: Record<string, fc.Arbitrary<unknown>>, extraFields: FieldSpec[]): RouteModel {
  return filing(
    `POST /v1/${plural}`,
    `/v1/${plural}`,
    (w) =>
      fc.record({ id: fuzzId(`fz-${plural}`), unitId: idFrom(w.units), kind: text(1, 64), occurredAt: filingTime(w), visitId: fc.constantFrom(...(w as CaseWorld).visits), ...extra }, { requiredKeys: ['id', 'unitId', 'kind', 'occurredAt'] }),
    (w) => [
      { name: 'id', odd: fc.oneof(oddId, fc.constantFrom(...(w as CaseWorld)[plural])) },
      unitIdField(w),
      { name: 'kind', odd: oddText(64) },
      { name: 'occurredAt', odd: oddTime(w) },
      { name: 'visitId', odd: fc.oneof(oddId, fc.constant('fz-no-such-visit')) },
      ...extraFields,
    ],
  );
}

/** A step of a case kind on the cases the fuzz filed (and ids that name none): `{ stepId, occurredAt, …fields }`. */
type StepFields = Record<string, fc.Arbitrary<unknown>>;

function stepModel(plural: string, step: string, pool: (w: CaseWorld) => string[], fields: StepFields | ((w: World) => StepFields), required: string[], odd: (w: World) => FieldSpec[]): RouteModel {
  return postModel({
    route: `POST /v1/${plural}/{id}/${step}`,
    path: idPath(`/v1/${plural}`, `/${step}`, (w) => pool(w as CaseWorld)),
    proper: cases,
    wrongKind: notCases,
    bodyLimit: 64 * KiB,
    valid: (w) =>
      fc.record<Record<string, unknown>>(
        { stepId: fc.oneof({ weight: 5, arbitrary: fuzzId('fz-s') }, { weight: 1, arbitrary: fc.constantFrom('fz-s-same', 'fz-s-other') }), occurredAt: stepTime(w), ...(typeof fields === 'function' ? fields(w) : fields) },
        { requiredKeys: ['stepId', 'occurredAt', ...required] },
      ),
    fields: (w) => [{ name: 'stepId', odd: oddId }, { name: 'occurredAt', odd: oddTime(w) }, ...odd(w)],
  });
}

const summary = { summary: text(1, 300) };
const summaryOdd = () => [{ name: 'summary', odd: oddText(5000) }];
const reply = { text: text(1, 300), via: fc.constantFrom(...VIA) };
const replyOdd = () => [{ name: 'text', odd: oddText(5000) }, { name: 'via', odd: fc.constantFrom('email', '', 'Phone', null) }];
const score = { score: fc.integer({ min: 1, max: 5 }) };
const scoreOdd = () => [{ name: 'score', odd: oddScore }];
const reason = { reason: text(1, 300) };
const reasonOdd = () => [{ name: 'reason', odd: oddText(5000) }];

const complaintSteps = (): RouteModel[] => {
  const pool = (w: CaseWorld) => w.complaints;
  return [
    stepModel('complaints', 'accept', pool, (w) => ({ unitId: idFrom(w.units), dueInWorkingDays: fc.integer({ min: 1, max: 60 }) }), [], (w) => [unitIdField(w), { name: 'dueInWorkingDays', odd: oddDays }]),
    stepModel('complaints', 'escalate', pool, (w) => ({ unitId: idFrom(w.units), ...reason }), ['unitId', 'reason'], (w) => [unitIdField(w), ...reasonOdd(), { name: 'dueInWorkingDays', odd: oddDays }]),
    stepModel('complaints', 'handle', pool, summary, ['summary'], summaryOdd),
    stepModel('complaints', 'reply', pool, reply, ['text', 'via'], replyOdd),
    stepModel('complaints', 'callback', pool, score, ['score'], scoreOdd),
    stepModel('complaints', 'reopen', pool, reason, ['reason'], reasonOdd),
    stepModel('complaints', 'close', pool, { final: fc.boolean() }, [], () => [{ name: 'final', odd: fc.constantFrom('true', 1, null, 'yes') }]),
  ];
};

const followupSteps = (): RouteModel[] => {
  const pool = (w: CaseWorld) => w.followups;
  return [
    stepModel('followups', 'verify', pool, { valid: fc.constant(true) }, ['valid'], () => [{ name: 'valid', odd: fc.constantFrom('false', 0, null, 'no') }, { name: 'reason', odd: oddText(500) }]),
    stepModel('followups', 'rectify', pool, summary, ['summary'], summaryOdd),
    stepModel('followups', 'callback', pool, score, ['score'], scoreOdd),
  ];
};

const opinionSteps = (): RouteModel[] => {
  const pool = (w: CaseWorld) => w.opinions;
  return [
    stepModel('opinions', 'assign', pool, (w) => ({ unitId: idFrom(w.units), dueInWorkingDays: fc.integer({ min: 1, max: 60 }) }), ['unitId'], (w) => [unitIdField(w), { name: 'dueInWorkingDays', odd: oddDays }]),
    stepModel('opinions', 'rectify', pool, summary, ['summary'], summaryOdd),
    stepModel('opinions', 'explain', pool, { text: text(1, 300) }, ['text'], () => [{ name: 'text', odd: oddText(5000) }]),
    stepModel('opinions', 'reply', pool, reply, ['text', 'via'], replyOdd),
    stepModel('opinions', 'rate', pool, score, ['score'], scoreOdd),
    stepModel('opinions', 'reopen', pool, reason, ['reason'], reasonOdd),
  ];
};

const LEDGER_STATES: Record<string, string[]> = {
  complaints: ['filed', 'accepted', 'handled', 'replied', 'calledBack', 'reopened', 'closed'],
  followups: ['open', 'verified', 'invalid', 'rectified', 'calledBack', 'voided'],
  opinions: ['collected', 'assigned', 'rectified', 'explained', 'replied', 'rated', 'reopened'],
  disputes: ['found', 'resolved'],
  hazards: ['found', 'rectified'],
};

function ledgerModel(plural: string): RouteModel {
  const states = LEDGER_STATES[plural];
  return getModel({
    route: `GET /v1/${plural}`,
    path: `/v1/${plural}`,
    valid: (w) =>
      fc
        .record({
          scope: fc.constantFrom(...w.units.map((u) => `unit:${u}`)),
          state: fc.option(fc.constantFrom(...states), { nil: undefined }),
          category: fc.option(text(1, 64), { nil: undefined }),
          overdue: fc.option(fc.constantFrom('true', 'false'), { nil: undefined }),
          range: fc.option(dateRange, { nil: undefined }),
          limit: fc.option(fc.integer({ min: 1, max: 200 }).map(String), { nil: undefined }),
        })
        .map(({ range, ...q }) => Object.entries({ ...q, from: range?.[0], to: range?.[1] }).filter((e): e is Pair => e[1] !== undefined)),
    odd: (w) => ({
      scope: fc.oneof(fc.constantFrom('unit:', 'window:ns-yh-w1', 'officer:o-wang', 'unit:nope', 'UNIT:sz'), scopes(w)),
      state: fc.constantFrom('Filed', 'open ', '', 'closed,filed', 'x'.repeat(100)),
      category: fc.oneof(aroundLength(1, 64), fc.constantFrom('', '%', '_', "'; --")),
      overdue: fc.constantFrom('yes', '1', 'TRUE', ''),
      from: queryDate,
      to: queryDate,
      limit: fc.constantFrom('0', '201', '-1', '1.5', '1e2', '', 'ten'),
      cursor: fc.oneof(fc.constantFrom('', 'x', 'eyJ9', 'null', '%00', 'a'.repeat(1000)), fc.base64String({ maxLength: 80 }), text(1, 40)),
    }),
  });
}

const ratesModel = getModel({
  route: 'GET /v1/rates',
  path: '/v1/rates',
  valid: (w) =>
    fc
      .record({ scope: fc.constantFrom(...w.units.map((u) => `unit:${u}`)), granularity: fc.constantFrom(...GRANULARITIES), range: dateRange })
      .map(({ range, ...q }) => Object.entries({ ...q, from: range[0], to: range[1] }) as Pair[]),
  odd: (w) => ({
    scope: fc.oneof(fc.constantFrom('unit:', 'window:ns-yh-w1', 'officer:o-wang', 'unit:nope', 'UNIT:sz', 'unit:sz:x'), scopes(w)),
    granularity: fc.oneof(oddGranularity, fc.constantFrom(...GRANULARITIES)),
    from: queryDate,
    to: queryDate,
  }),
});

const eraseModel = postModel({
  route: 'POST /v1/personal-data/erase',
  path: fixedPath('/v1/personal-data/erase'),
  proper: (w) => w.adminToken,
  wrongKind: (w) => [(w as CaseWorld).casesToken, w.analystToken, w.fuzzTerminalKeys[0]],
  bodyLimit: 16 * KiB,
  // Phones no fuzz complaint was filed with (the erasure of a filed one would change what later GETs show).
  valid: () => fc.record({ phone: fc.stringMatching(/^10[0-9]{9}$/) }),
  fields: () => [{ name: 'phone', odd: fc.oneof(aroundLength(1, 32), unrecordableText, hugeString, fc.constantFrom('', ' ', 13800138000, null)) }],
});

export const CASE_ROUTES: RouteModel[] = [
  complaintFiling,
  ...complaintSteps(),
  ...followupSteps(),
  visitFiling,
  opinionFiling,
  ...opinionSteps(),
  foundFiling('disputes', { summary: text(0, 300) }, [{ name: 'summary', odd: oddText(5000) }]),
  stepModel('disputes', 'resolve', (w) => w.disputes, summary, ['summary'], summaryOdd),
  foundFiling('hazards', { location: text(0, 256) }, [{ name: 'location', odd: oddText(256) }]),
  stepModel('hazards', 'rectify', (w) => w.hazards, summary, ['summary'], summaryOdd),
  ratesModel,
  ...['complaints', 'followups', 'opinions', 'disputes', 'hazards'].map(ledgerModel),
  eraseModel,
];
