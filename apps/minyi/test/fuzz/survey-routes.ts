// The survey routes as the fuzz sees them — definitions, publish and close, invitations and responses (by a client,
// and by an invitation token in the body with no other credential) — built from the same parts as routes.ts.
import fc from 'fast-check';
import { aroundLength, edgeTime, hugeString, isoAt, lookalikeString, MINUTE, queryDate, text, unrecordableText } from './values.js';
import { fixedPath, fuzzId, idFrom, idPath, KiB, oddId, postModel, type RouteModel, type World } from './routes.js';

/** What the survey routes need of the fuzz's system beside the World of routes.ts. */
export interface SurveyWorld extends World {
  /** A client with surveys:write, of no unit. */
  surveysToken: string;
  /** The open survey responses go to (never closed by the fuzz), and its questions. */
  openSurvey: string;
  /** Surveys the publish, close and invitation routes may act on. */
  spareSurveys: string[];
  /** Invitation tokens of the open survey, each good for one response. */
  tokens: string[];
}

const MiB = 1024 * KiB;
const admin = (w: World) => w.adminToken;
const notAdmin = (w: World) => [(w as SurveyWorld).surveysToken, w.analystToken, w.fuzzTerminalKeys[0]];
/** The open survey's questionnaire (as the spec's setup defines it). */
export const FUZZ_QUESTIONS = [
  { id: 'q1', kind: 'level5', text: '您对窗口服务是否满意？', satisfaction: true, required: true },
  { id: 'q2', kind: 'nps', text: '您会向亲友推荐吗？' },
  { id: 'q3', kind: 'single', text: '您办理的业务', options: ['户籍', '出入境', '车驾管'] },
  { id: 'q4', kind: 'multi', text: '您认为哪些方面需要改进', options: ['等候时间', '服务态度', '办事指南', '停车'] },
  { id: 'q5', kind: 'text', text: '您的意见和建议' },
];

const question = fc.oneof(
  fc.record({ id: fuzzId('q'), kind: fc.constant('level5'), text: text(1, 100), required: fc.boolean(), satisfaction: fc.boolean() }, { requiredKeys: ['id', 'kind', 'text'] }),
  fc.record({ id: fuzzId('q'), kind: fc.constant('nps'), text: text(1, 100), required: fc.boolean() }, { requiredKeys: ['id', 'kind', 'text'] }),
  fc.record({ id: fuzzId('q'), kind: fc.constantFrom('single', 'multi'), text: text(1, 100), options: fc.uniqueArray(text(1, 64), { minLength: 2, maxLength: 6 }), required: fc.boolean() }, { requiredKeys: ['id', 'kind', 'text', 'options'] }),
  fc.record({ id: fuzzId('q'), kind: fc.constant('text'), text: text(1, 100), required: fc.boolean() }, { requiredKeys: ['id', 'kind', 'text'] }),
);

const defineModel = postModel({
  route: 'POST /v1/surveys',
  path: fixedPath('/v1/surveys'),
  proper: admin,
  wrongKind: notAdmin,
  bodyLimit: 6 * MiB,
  valid: (w) =>
    fc.record(
      {
        id: fuzzId('fz-sv'),
        unitId: idFrom(w.units),
        title: text(1, 100),
        audience: fc.constantFrom('residents', 'staff', 'enterprises'),
        anonymous: fc.boolean(),
        targetSize: fc.integer({ min: 1, max: 100_000 }),
        questions: fc.array(question, { minLength: 1, maxLength: 6 }),
      },
      { requiredKeys: ['id', 'unitId', 'title', 'audience', 'anonymous', 'questions'] },
    ),
  fields: (w) => [
    { name: 'id', odd: fc.oneof(oddId, fc.constantFrom((w as SurveyWorld).openSurvey, ...(w as SurveyWorld).spareSurveys)) },
    { name: 'unitId', odd: fc.oneof(oddId, idFrom(w.units)) },
    { name: 'title', odd: fc.oneof(aroundLength(1, 200), unrecordableText, hugeString) },
    { name: 'audience', odd: fc.constantFrom('Residents', 'public', '', null) },
    { name: 'anonymous', odd: fc.constantFrom('true', 1, null) },
    { name: 'targetSize', odd: fc.constantFrom(0, -1, 1.5, '10', 1e308) },
    {
      name: 'questions',
      odd: fc.oneof(
        fc.constantFrom([], null, {}, [{}], [{ id: 'a', kind: 'level5', text: 'x' }, { id: 'a', kind: 'nps', text: 'y' }], [{ id: 'a', kind: 'single', text: 'x' }], [{ id: 'a', kind: 'single', text: 'x', options: ['o', 'o'] }], [{ id: 'a', kind: 'nps', text: 'x', satisfaction: true }], [{ id: 'a', kind: 'text', text: 'x', options: ['a', 'b'] }], [{ id: 'a', kind: 'essay', text: 'x' }]),
        fc.integer({ min: 100, max: 101 }).map((n) => Array.from({ length: n }, (_, i) => ({ id: `q${i}`, kind: 'level5', text: '满意吗' }))),
      ),
    },
  ],
});

const statusModel = (step: 'publish' | 'close'): RouteModel =>
  postModel({
    route: `POST /v1/surveys/{id}/${step}`,
    path: idPath('/v1/surveys', `/${step}`, (w) => (w as SurveyWorld).spareSurveys),
    proper: admin,
    wrongKind: notAdmin,
    bodyLimit: 16 * KiB,
    valid: () => fc.constant({}),
    fields: () => [],
  });

const invitationsModel = postModel({
  route: 'POST /v1/surveys/{id}/invitations',
  path: idPath('/v1/surveys', '/invitations', (w) => [(w as SurveyWorld).openSurvey, ...(w as SurveyWorld).spareSurveys]),
  proper: admin,
  wrongKind: notAdmin,
  bodyLimit: 16 * KiB,
  valid: () => fc.record({ id: fuzzId('fz-inv'), count: fc.oneof({ weight: 20, arbitrary: fc.integer({ min: 1, max: 20 }) }, { weight: 1, arbitrary: fc.constant(10_000) }) }),
  fields: () => [
    { name: 'id', odd: oddId },
    { name: 'count', odd: fc.constantFrom(0, 10_001, -1, 1.5, '5', null, 1e308) },
  ],
});

/** Answers to the open survey's questions: each valid, sometimes missing, sometimes a value of the wrong kind. */
const answers = fc.record(
  {
    q1: fc.integer({ min: 1, max: 5 }),
    q2: fc.integer({ min: 0, max: 10 }),
    q3: fc.constantFrom('户籍', '出入境', '车驾管'),
    q4: fc.uniqueArray(fc.constantFrom('等候时间', '服务态度', '办事指南', '停车'), { minLength: 1, maxLength: 4 }),
    q5: fc.oneof(text(1, 200), fc.constantFrom(' ', '\n', '排队时间太长😀')),
  },
  { requiredKeys: [] },
);
const oddAnswers = fc.oneof(
  fc.constantFrom(null, [], 'x', { q1: 0 }, { q1: 6 }, { q1: 4.5 }, { q1: '5' }, { q2: 11 }, { q2: -1 }, { q3: '其他' }, { q3: ['户籍'] }, { q4: [] }, { q4: ['停车', '停车'] }, { q4: ['飞行'] }, { q5: '' }, { q5: 5 }, { q9: 1 }, { __proto__: 1 }),
  fc.record({ q5: fc.oneof(aroundLength(1, 2000), unrecordableText, hugeString) }),
);

const responsesModel = postModel({
  route: 'POST /v1/surveys/{id}/responses',
  path: idPath('/v1/surveys', '/responses', (w) => [(w as SurveyWorld).openSurvey, (w as SurveyWorld).openSurvey, (w as SurveyWorld).openSurvey, ...(w as SurveyWorld).spareSurveys]),
  proper: (w) => (w as SurveyWorld).surveysToken,
  wrongKind: (w) => [w.analystToken, w.fuzzTerminalKeys[0]],
  bodyLimit: 4 * MiB,
  valid: (w) =>
    fc.record(
      {
        id: fuzzId('fz-resp'),
        // Mostly no token (the client answers for a kiosk), sometimes one of the open survey's (each lets one response in).
        token: fc.constantFrom(...(w as SurveyWorld).tokens),
        answers,
        submittedAt: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: -3 * MINUTE, max: MINUTE }).map((d) => isoAt(w.now() + d, 480)) }, { weight: 1, arbitrary: edgeTime(w.now) }),
      },
      { requiredKeys: ['id', 'answers', 'submittedAt'] },
    ),
  fields: (w) => [
    { name: 'id', odd: oddId },
    { name: 'token', odd: fc.oneof(fc.constantFrom('', 'mi_00_x', `mi_${'a'.repeat(300)}`, (w as SurveyWorld).tokens[0].slice(0, -1), (w as SurveyWorld).tokens[0].toUpperCase()), aroundLength(1, 256), lookalikeString) },
    { name: 'answers', odd: oddAnswers },
    { name: 'submittedAt', odd: fc.oneof(edgeTime(w.now), lookalikeString, unrecordableText, queryDate) },
  ],
});

export const SURVEY_ROUTES: RouteModel[] = [defineModel, statusModel('publish'), statusModel('close'), invitationsModel, responsesModel];
