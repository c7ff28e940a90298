// Every route of today's API as the fuzz sees it: how a valid request looks (body, query, path parameter), which
// fields a 400 may name, who may call it, and the odd values worth trying in each field.
import fc from 'fast-check';
import { aroundLength, DAY, edgeTime, hugeString, importTime, lookalikeString, nastyValue, queryDate, recentTime, text, unrecordableText } from './values.js';
import { bodyCases, type BodyCase, type FieldSpec } from './bodies.js';

/** What the fuzz's system holds once set up: ids to name, and the tokens to call with. */
export interface World {
  adminToken: string;
  /** Keys of the terminals the fuzz posts ratings with (never the neighbour's). */
  fuzzTerminalKeys: string[];
  analystToken: string;
  leaderToken: string;
  clientToken: string;
  /** Tokens that look right and are not: revoked, replaced, forged with a real holder id. */
  deadTokens: string[];
  units: string[];
  windows: string[];
  officers: string[];
  /** Terminals an import may name (the neighbour's excluded). */
  terminals: string[];
  /** Terminals, readers and clients the credential routes may replace or revoke (none the fuzz itself uses). */
  spareTerminals: string[];
  spareReaders: string[];
  spareClients: string[];
  /** Ratings the void route may name (none of the neighbour's). */
  ratings: string[];
  now: () => number;
}

export interface FuzzRequest {
  route: string;
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body: Buffer | null;
  label: string;
  /** Top-level names a 400 may give in `errors[].path`: the schema's fields, the path parameter, the query's names. */
  fields: string[];
  /** For a batch or an import: the names an item's problem may give. */
  itemFields?: string[];
  /** The route's body limit. */
  bodyLimit: number;
  /** Sent with the credentials the route admits (else it may be refused before its body is read). */
  admitted: boolean;
  /** A query string the fuzz mangled as a whole (not name=value pairs). */
  rawQuery?: boolean;
}

export interface RouteModel {
  route: string;
  build(world: World): fc.Arbitrary<FuzzRequest>;
}

export const KiB = 1024;
export const MiB = 1024 * KiB;

export const idArb = fc.stringMatching(/^[A-Za-z0-9._:-]{1,64}$/);
export const fuzzId = (prefix: string) => fc.oneof({ weight: 4, arbitrary: fc.uuid().map((u) => `${prefix}-${u}`) }, { weight: 1, arbitrary: idArb });
/** An id: one that exists, a new one, or a malformed one. */
export function idFrom(existing: string[]): fc.Arbitrary<string> {
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...existing) }, { weight: 1, arbitrary: idArb });
}

/** Odd values for an id field: at and past 64 characters, characters outside the set, lookalikes. */
export const oddId: fc.Arbitrary<unknown> = fc.oneof(
  aroundLength(1, 64),
  lookalikeString,
  unrecordableText,
  fc.constantFrom('a b', 'a/b', 'ü', '中', 'a\n', '-', '.', '..', ':', 'a'.repeat(64), 'a'.repeat(65), '😀'),
);
export const oddName = (max: number): fc.Arbitrary<unknown> => fc.oneof(aroundLength(1, max), unrecordableText, hugeString, text(1, max));

// ---------------------------------------------------------------------------------------------- authorization

function authHeader(proper: string, wrongKind: string[], world: World): fc.Arbitrary<{ value: string | null; label: string }> {
  const odd = fc.constantFrom<[string | null, string]>(
    [null, 'no Authorization'],
    ['', 'empty Authorization'],
    ['Bearer', 'Bearer without a token'],
    ['Bearer ', 'Bearer and a space'],
    [`bearer ${proper}`, 'lowercase scheme'],
    [`Bearer  ${proper}`, 'two spaces'],
    [`Bearer ${proper} x`, 'token and more'],
    [`Bearer ${proper}x`, 'token with a character more'],
    [`Bearer ${proper.slice(0, -1)}`, 'token with a character less'],
    [`Bearer ${proper.toUpperCase()}`, 'token upper-cased'],
    [`Bearer ${proper}, Bearer ${proper}`, 'two tokens'],
    [proper, 'token without a scheme'],
    [`Token ${proper}`, 'another scheme'],
    ['Basic dXNlcjpwYXNzd29yZA==', 'basic auth'],
    ['Bearer mk_00_AAAAAAAAAAAAAAAA', 'forged key with a NUL holder'],
    ['Bearer mr_00_AAAAAAAAAAAAAAAA', 'forged reader token with a NUL holder'],
    ['Bearer mc_00_AAAAAAAAAAAAAAAA', 'forged client token with a NUL holder'],
    ['Bearer mk_eda080_AAAAAAAAAAAAAAAA', 'forged key with a lone-surrogate holder'],
    ['Bearer mk_4A_AAAAAAAAAAAAAAAA', 'forged key in uppercase hex'],
    ['Bearer mk_616_AAAAAAAAAAAAAAAA', 'forged key with odd hex'],
    [`Bearer mk_${'61'.repeat(65)}_AAAAAAAAAAAAAAAA`, 'forged key with a 65-character holder'],
    [`Bearer mk_61_${'A'.repeat(65)}`, 'forged key with a long secret'],
    [`Bearer ${'A'.repeat(8000)}`, '8000-character token'],
    [`Bearer ${'A'.repeat(20000)}`, 'a token past the 16 KiB of headers Node reads'],
    ['Bearer \u00e9\u00ff\u00a0', 'Latin-1 bytes'],
    ['Bearer null', 'the word null'],
    ['Bearer undefined', 'the word undefined'],
  );
  return fc.oneof(
    { weight: 36, arbitrary: fc.constant({ value: `Bearer ${proper}`, label: '' }) },
    { weight: 1, arbitrary: fc.constantFrom(...wrongKind).map((t) => ({ value: `Bearer ${t}`, label: 'a token of another kind' })) },
    { weight: 1, arbitrary: fc.constantFrom(...world.deadTokens).map((t) => ({ value: `Bearer ${t}`, label: 'a revoked, replaced or forged token' })) },
    { weight: 2, arbitrary: odd.map(([value, label]) => ({ value, label })) },
  );
}

const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'Application/JSON',
  'application/json ',
  'application/problem+json',
  'application/json-seq',
  'application/jsonx',
  'text/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  '*/*',
  '',
  'application/json, text/plain',
  'json',
];

const contentType = fc.oneof(
  { weight: 30, arbitrary: fc.constant<{ value: string | null; label: string }>({ value: 'application/json', label: '' }) },
  { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES).map((value) => ({ value: value as string | null, label: `content-type ${JSON.stringify(value)}` })) },
  { weight: 1, arbitrary: fc.constant({ value: null, label: 'no content-type' }) },
);

// ---------------------------------------------------------------------------------------------- POST routes

export interface PostSpec {
  route: string;
  /** The path, given the path parameter (if the route has one). */
  path: (world: World) => fc.Arbitrary<{ path: string; label: string }>;
  proper: (world: World) => string;
  wrongKind: (world: World) => string[];
  valid: (world: World) => fc.Arbitrary<unknown>;
  fields: (world: World) => FieldSpec[];
  itemFields?: string[];
  bodyLimit: number;
}

export function postModel(spec: PostSpec): RouteModel {
  return {
    route: spec.route,
    build(world) {
      const fields = spec.fields(world);
      const bodies = bodyCases(spec.valid(world), fields);
      const absent: fc.Arbitrary<BodyCase> = fc.constant({ bytes: null, label: 'no body' });
      const empty: fc.Arbitrary<BodyCase> = fc.constant({ bytes: Buffer.alloc(0), label: 'empty body' });
      const body = fc.oneof({ weight: 30, arbitrary: bodies }, { weight: 1, arbitrary: absent }, { weight: 1, arbitrary: empty });
      return fc
        .record({ path: spec.path(world), body, auth: authHeader(spec.proper(world), spec.wrongKind(world), world), type: contentType })
        .map(({ path, body, auth, type }): FuzzRequest => {
          const headers: Record<string, string> = {};
          if (auth.value !== null) headers.authorization = auth.value;
          if (type.value !== null) headers['content-type'] = type.value;
          return {
            route: spec.route,
            method: 'POST',
            url: path.path,
            headers,
            body: body.bytes,
            label: [path.label, body.label, auth.label, type.label].filter(Boolean).join('; '),
            fields: [...fields.map((f) => f.name), ...(path.label ? ['id'] : [])],
            itemFields: spec.itemFields,
            bodyLimit: spec.bodyLimit,
            admitted: auth.label === '',
          };
        });
    },
  };
}

export const fixedPath = (path: string) => () => fc.constant({ path, label: '' });

/** A path parameter: an id that exists, a new one, or one no id can be (too long, characters outside the set, escapes). */
export function idPath(prefix: string, suffix: string, pool: (w: World) => string[]) {
  return (world: World) =>
    fc
      .oneof(
        { weight: 4, arbitrary: fc.constantFrom(...pool(world)).map((id) => encodeURIComponent(id)) },
        { weight: 2, arbitrary: idArb.map((id) => encodeURIComponent(id)) },
        { weight: 1, arbitrary: fc.oneof(aroundLength(1, 64), unrecordableText.filter((s) => s.isWellFormed()), text(1, 8)).map((id) => encodeURIComponent(id)) },
        {
          weight: 1,
          arbitrary: fc.constantFrom('%00', '%ED%A0%80', '%FF', '%zz', '%', '%2F', 'a%2Fb', '..', '.', '%2E%2E', 'a;b', '~', "'", '%20', '+', 'a%0Ab', 'x'.repeat(65), 'x'.repeat(101), 'x'.repeat(5000)),
        },
      )
      .map((id) => ({ path: `${prefix}/${id}${suffix}`, label: `id ${JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}…` : id)}` }));
}

const admin = (w: World) => w.adminToken;
const notAdmin = (w: World) => [w.fuzzTerminalKeys[0], w.analystToken, w.clientToken];

const unitModel = postModel({
  route: 'POST /v1/units',
  path: fixedPath('/v1/units'),
  proper: admin,
  wrongKind: notAdmin,
  bodyLimit: 16 * KiB,
  valid: (w) => fc.record({ id: fuzzId('fz-u'), name: text(1, 200), parentId: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...w.units) }, { weight: 1, arbitrary: fc.constant(null) }), kind: text(1, 64) }),
  fields: (w) => [
    { name: 'id', odd: fc.oneof(oddId, fc.constantFrom(...w.units)) },
    { name: 'name', odd: oddName(200) },
    { name: 'parentId', odd: fc.oneof(oddId, idArb) },
    { name: 'kind', odd: oddName(64) },
  ],
});

const windowModel = postModel({
  route: 'POST /v1/windows',
  path: fixedPath('/v1/windows'),
  proper: admin,
  wrongKind: notAdmin,
  bodyLimit: 64 * KiB,
  valid: (w) =>
    fc.record(
      { id: fuzzId('fz-w'), unitId: idFrom(w.units), name: text(1, 200), serviceTypes: fc.uniqueArray(text(1, 64), { maxLength: 50 }) },
      { requiredKeys: ['id', 'unitId', 'name'] },
    ),
  fields: (w) => [
    { name: 'id', odd: fc.oneof(oddId, fc.constantFrom(...w.windows)) },
    { name: 'unitId', odd: oddId },
    { name: 'name', odd: oddName(200) },
    {
      name: 'serviceTypes',
      odd: fc.oneof(
        fc.array(fc.oneof(oddName(64), nastyValue), { maxLength: 5 }),
        fc.constantFrom(['a', 'a'], ['户籍办理', '户籍办理'], ['Café', 'Cafe\u0301']),
        fc.integer({ min: 49, max: 52 }).map((n) => Array.from({ length: n }, (_, i) => `s${i}`)),
      ),
    },
  ],
});

const officerModel = postModel({
  route: 'POST /v1/officers',
  path: fixedPath('/v1/officers'),
  proper: admin,
  wrongKind: notAdmin,
  bodyLimit: 16 * KiB,
  valid: (w) => fc.record({ id: fuzzId('fz-o'), unitId: idFrom(w.units), name: text(1, 200) }),
  fields: (w) => [
    { name: 'id', odd: fc.oneof(oddId, fc.constantFrom(...w.officers)) },
    { name: 'unitId', odd: oddId },
    { name: 'name', odd: oddName(200) },
  ],
});

const terminalModel = postModel({
  route: 'POST /v1/terminals',
  path: fixedPath('/v1/terminals'),
  proper: admin,
  wrongKind: notAdmin,
  bodyLimit: 16 * KiB,
  valid: (w) => fc.record({ id: fuzzId('fz-t'), windowId: idFrom(w.windows) }),
  fields: (w) => [
    { name: 'id', odd: fc.oneof(oddId, fc.constantFrom(...w.terminals, ...w.spareTerminals)) },
    { name: 'windowId', odd: oddId },
  ],
});

const readerModel = postModel({
  route: 'POST /v1/readers',
  path: fixedPath('/v1/readers'),
  proper: admin,
  wrongKind: notAdmin,
  bodyLimit: 16 * KiB,
  valid: (w) =>
    fc.oneof(
      fc.record({ id: fuzzId('fz-r'), role: fc.constant('analyst') }),
      fc.record({ id: fuzzId('fz-r'), role: fc.constant('analyst'), unitId: fc.constant(null) }),
      fc.record({ id: fuzzId('fz-r'), role: fc.constant('leader'), unitId: idFrom(w.units) }),
    ),
  fields: (w) => [
    { name: 'id', odd: fc.oneof(oddId, fc.constantFrom(...w.spareReaders)) },
    { name: 'role', odd: fc.constantFrom('Analyst', 'LEADER', 'admin', 'terminal', 'reader', ' analyst', 'leader\u0000', '') },
    { name: 'unitId', odd: fc.oneof(oddId, fc.constantFrom(...w.units), fc.constant(null)) },
  ],
});

const SCOPES = ['complaints:write', 'visits:write', 'surveys:write', 'cases:write'];
const clientModel = postModel({
  route: 'POST /v1/clients',
  path: fixedPath('/v1/clients'),
  proper: admin,
  wrongKind: notAdmin,
  bodyLimit: 16 * KiB,
  valid: (w) =>
    fc.record(
      { id: fuzzId('fz-c'), name: text(1, 200), scopes: fc.shuffledSubarray(SCOPES, { minLength: 1 }), unitId: fc.oneof(fc.constantFrom(...w.units), fc.constant(null)) },
      { requiredKeys: ['id', 'name', 'scopes'] },
    ),
  fields: (w) => [
    { name: 'id', odd: fc.oneof(oddId, fc.constantFrom(...w.spareClients)) },
    { name: 'name', odd: oddName(200) },
    {
      name: 'scopes',
      odd: fc.oneof(
        fc.constantFrom([], ['cases:write', 'cases:write'], ['ratings:write'], ['Cases:write'], 'cases:write', [['cases:write']], [{ scope: 'cases:write' }], ['cases:write\u0000']),
        fc.array(nastyValue, { maxLength: 4 }),
      ),
    },
    { name: 'unitId', odd: fc.oneof(oddId, idArb) },
  ],
});

/** The body `{}` of the credential actions, and what else a client might send there. */
const emptyBodyValid = () => fc.constant({});

const keyModel = postModel({
  route: 'POST /v1/terminals/{id}/key',
  path: idPath('/v1/terminals', '/key', (w) => w.spareTerminals),
  proper: admin,
  wrongKind: notAdmin,
  bodyLimit: 16 * KiB,
  valid: emptyBodyValid,
  fields: () => [{ name: 'apiKey' }, { name: 'id' }],
});

const revokeModel = (kind: 'terminals' | 'readers' | 'clients') =>
  postModel({
    route: `POST /v1/${kind}/{id}/revoke`,
    path: idPath(`/v1/${kind}`, '/revoke', (w) => (kind === 'terminals' ? w.spareTerminals : kind === 'readers' ? w.spareReaders : w.spareClients)),
    proper: admin,
    wrongKind: notAdmin,
    bodyLimit: 16 * KiB,
      valid: emptyBodyValid,
    fields: () => [{ name: 'reason' }, { name: 'id' }],
  });

// ---------------------------------------------------------------------------------------------- ratings

const RATING_FIELDS = ['id', 'score', 'occurredAt', 'officerId', 'serviceType', 'reasons', 'comment'];

function validRating(w: World, time: fc.Arbitrary<string>, extra: Record<string, fc.Arbitrary<unknown>> = {}): fc.Arbitrary<unknown> {
  return fc.record<Record<string, unknown>>(
    {
      id: fuzzId('fz-rt'),
      score: fc.integer({ min: 1, max: 5 }),
      occurredAt: time,
      // Mostly what the fuzz's terminal may name (officer o-wang of its unit, its window's service types), so that
      // most valid ratings are stored; sometimes another officer or service type (422).
      officerId: fc.oneof({ weight: 6, arbitrary: fc.constant(w.officers[0]) }, { weight: 1, arbitrary: fc.constantFrom(...w.officers) }, { weight: 1, arbitrary: idArb }),
      serviceType: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('户籍办理', '身份证办理') }, { weight: 1, arbitrary: text(1, 64) }),
      reasons: fc.array(text(1, 64), { maxLength: 10 }),
      comment: text(0, 500),
      ...extra,
    },
    { requiredKeys: ['id', 'score', 'occurredAt', ...Object.keys(extra)] },
  );
}

function ratingFields(w: World): FieldSpec[] {
  return [
    { name: 'id', odd: fc.oneof(oddId, fc.constantFrom(...w.ratings)) },
    { name: 'score', odd: fc.oneof(fc.constantFrom(0, 6, -1, 1.5, 4.999, 1e308, '5', 'five', null, true, [5], { value: 5 })) },
    { name: 'occurredAt', odd: fc.oneof(edgeTime(w.now), lookalikeString, unrecordableText) },
    { name: 'officerId', odd: fc.oneof(oddId, fc.constantFrom(...w.officers), idArb) },
    { name: 'serviceType', odd: fc.oneof(oddName(64), fc.constantFrom('户籍办理 ', '户籍', '户籍办理\u200b', 'Cafe\u0301')) },
    {
      name: 'reasons',
      odd: fc.oneof(
        fc.array(fc.oneof(oddName(64), nastyValue), { maxLength: 4 }),
        fc.integer({ min: 9, max: 12 }).map((n) => Array.from({ length: n }, (_, i) => `r${i}`)),
        fc.constantFrom('快', [''], [[]], [null]),
      ),
    },
    { name: 'comment', odd: fc.oneof(aroundLength(0, 500), unrecordableText, hugeString) },
  ];
}

const ratingModel = postModel({
  route: 'POST /v1/ratings',
  path: fixedPath('/v1/ratings'),
  proper: (w) => w.fuzzTerminalKeys[0],
  wrongKind: (w) => [w.adminToken, w.analystToken, w.clientToken],
  bodyLimit: 32 * KiB,
  valid: (w) => validRating(w, fc.oneof({ weight: 6, arbitrary: recentTime(w.now) }, { weight: 1, arbitrary: edgeTime(w.now) })),
  fields: ratingFields,
});

/** A list of items: mostly a few, sometimes at and over the limit (small items, so that the body stays small). */
function ratingList(item: fc.Arbitrary<unknown>, tiny: (i: number) => unknown, max: number, atLimitWeight: number): fc.Arbitrary<{ ratings: unknown[] }> {
  return fc.oneof(
    { weight: 120, arbitrary: fc.array(item, { minLength: 1, maxLength: 12 }).map((ratings) => ({ ratings })) },
    // The same item twice, or with its id reused for other content.
    { weight: 20, arbitrary: fc.tuple(item, item).map(([a, b]) => ({ ratings: [a, a, b && typeof b === 'object' && a && typeof a === 'object' ? { ...b, id: (a as { id?: unknown }).id } : b] })) },
    // One over the limit (refused whole), and rarely the limit itself (every item stored).
    { weight: 4, arbitrary: fc.constant(max + 1).map((n) => ({ ratings: Array.from({ length: n }, (_, i) => tiny(i)) })) },
    { weight: atLimitWeight, arbitrary: fc.constant(max).map((n) => ({ ratings: Array.from({ length: n }, (_, i) => tiny(i)) })) },
  );
}

function batchItems(w: World): fc.Arbitrary<unknown> {
  // Each item valid, or an item mutated as a whole body is (items are judged one by one).
  const valid = validRating(w, fc.oneof({ weight: 6, arbitrary: recentTime(w.now) }, { weight: 1, arbitrary: edgeTime(w.now) }));
  return itemCases(valid, ratingFields(w));
}

/** How deep brackets nest in JSON text (strings not skipped: an over-estimate is fine here). */
function nestingOf(bytes: Buffer): number {
  let depth = 0;
  let max = 0;
  for (const b of bytes) {
    if (b === 0x5b || b === 0x7b) max = Math.max(max, ++depth);
    else if (b === 0x5d || b === 0x7d) depth--;
  }
  return max;
}

/** Items for a list: valid ones and mutated ones, as parsed JSON values (the list is written as JSON again). */
function itemCases(valid: fc.Arbitrary<unknown>, fields: FieldSpec[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: valid },
    {
      weight: 2,
      arbitrary: bodyCases(valid, fields)
        .map((c) => {
          try {
            // Only mutations that are still JSON text can be items of a list (__proto__ stays a plain member), and
            // only shallow ones: the list's body is mutated again as a whole, deep nesting included.
            if (!c.bytes || nestingOf(c.bytes) > 200) return Symbol.for('not json');
            return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(c.bytes));
          } catch {
            return Symbol.for('not json');
          }
        })
        .filter((v) => v !== Symbol.for('not json')),
    },
  );
}

const batchModel = postModel({
  route: 'POST /v1/ratings/batch',
  path: fixedPath('/v1/ratings/batch'),
  proper: (w) => w.fuzzTerminalKeys[1],
  wrongKind: (w) => [w.adminToken, w.analystToken, w.clientToken],
  bodyLimit: 16 * MiB,
  valid: (w) => ratingList(batchItems(w), (i) => ({ id: `fz-tiny-${w.now()}-${i}`, score: 1 + (i % 5), occurredAt: new Date(w.now() - DAY).toISOString() }), 1000, 2),
  fields: () => [{ name: 'ratings', odd: fc.constantFrom([], {}, 'x', null, [[]]) }],
  itemFields: RATING_FIELDS,
});

const importModel = postModel({
  route: 'POST /v1/ratings/import',
  path: fixedPath('/v1/ratings/import'),
  proper: admin,
  wrongKind: (w) => [w.fuzzTerminalKeys[0], w.analystToken, w.clientToken],
  bodyLimit: 64 * MiB,
  valid: (w) => {
    const time = fc.oneof({ weight: 6, arbitrary: importTime(w.now) }, { weight: 1, arbitrary: edgeTime(w.now) });
    const valid = validRating(w, time, { terminalId: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...w.terminals) }, { weight: 1, arbitrary: idArb }) });
    const fields = [...ratingFields(w), { name: 'terminalId', odd: fc.oneof(oddId, fc.constantFrom(...w.spareTerminals)) }];
    const tiny = (i: number) => ({ id: `fz-imp-${w.now()}-${i}`, terminalId: w.terminals[i % w.terminals.length], score: 1 + (i % 5), occurredAt: '2020-02-29T12:00:00+08:00' });
    return ratingList(itemCases(valid, fields), tiny, 10000, 1);
  },
  fields: () => [{ name: 'ratings', odd: fc.constantFrom([], {}, 'x', null, [[]]) }],
  itemFields: [...RATING_FIELDS, 'terminalId'],
});

const voidModel = postModel({
  route: 'POST /v1/ratings/{id}/void',
  path: idPath('/v1/ratings', '/void', (w) => w.ratings),
  proper: admin,
  wrongKind: notAdmin,
  bodyLimit: 16 * KiB,
  valid: () => fc.record({ reason: text(1, 500) }),
  fields: () => [{ name: 'reason', odd: fc.oneof(aroundLength(1, 500), unrecordableText, hugeString, lookalikeString) }],
});

// ---------------------------------------------------------------------------------------------- GET routes

export type Pair = [string, string];

export interface GetSpec {
  route: string;
  path: string;
  valid: (world: World) => fc.Arbitrary<Pair[]>;
  /** Odd values per parameter. */
  odd: (world: World) => Record<string, fc.Arbitrary<string>>;
}

/** A query's parameters mangled: one dropped, repeated, added, or given an odd value; its text escaped oddly. */
function queryCases(valid: fc.Arbitrary<Pair[]>, odd: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<{ query: string; label: string; raw: boolean }> {
  const names = Object.keys(odd);
  const anyValue = fc.oneof(text(0, 12), unrecordableText.filter((s) => s.isWellFormed()), lookalikeString, fc.constantFrom('x'.repeat(5000)));
  const encode = (pairs: Pair[]) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  type Q = { pairs: Pair[]; label: string };
  const mutation = fc.oneof(
    { weight: 2, arbitrary: fc.nat().map((n) => (q: Q): Q => (q.pairs.length ? { pairs: q.pairs.filter((_, i) => i !== n % q.pairs.length), label: `${q.label}; dropped ${q.pairs[n % q.pairs.length][0]}` } : q)) },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.nat(), fc.constantFrom(...names)).chain(([n, name]) =>
        odd[name].map((v) => (q: Q): Q => {
          const rest = q.pairs.filter(([k]) => k !== name);
          return n % 3 === 0 ? { pairs: [...q.pairs, [name, v]], label: `${q.label}; ${name} repeated` } : { pairs: [...rest, [name, v]], label: `${q.label}; ${name}=${JSON.stringify(v.slice(0, 40))}` };
        }),
      ),
    },
    { weight: 1, arbitrary: fc.tuple(fc.oneof(fc.constantFrom('foo', 'Scope', 'scope[]', 'scope.x', '__proto__', 'constructor', '', 'a'.repeat(300)), text(1, 8)), anyValue).map(([k, v]) => (q: Q): Q => ({ pairs: [...q.pairs, [k, v]], label: `${q.label}; unknown ${k}` })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...names), anyValue).map(([k, v]) => (q: Q): Q => ({ pairs: [...q.pairs, [k, v]], label: `${q.label}; ${k} repeated with text` })) },
  );
  const pairs = fc.oneof(
    { weight: 2, arbitrary: valid.map((p) => ({ pairs: p, label: 'valid' })) },
    { weight: 5, arbitrary: fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([p, ms]) => ms.reduce((q, m) => m(q), { pairs: p, label: 'mutated' } as Q)) },
  );
  const raw = fc.constantFrom('%00', '%ED%A0%80', '%FF', '%zz', '%', '%C0%80', '%E4%B8', '&&&', '=', '==', '&=&', '%26', '+', '%2B', '#frag', '%23');
  return fc.oneof(
    { weight: 10, arbitrary: pairs.map((q) => ({ query: encode(q.pairs), label: q.label, raw: false })) },
    // A value or a name spelled with escapes that are not UTF-8, or not escapes at all.
    {
      weight: 2,
      arbitrary: fc.tuple(valid, fc.nat(), raw, fc.boolean()).map(([p, n, junk, inName]) => {
        const i = n % p.length;
        const text = p.map(([k, v], j) => (j === i ? (inName ? `${encodeURIComponent(k)}${junk}=${encodeURIComponent(v)}` : `${encodeURIComponent(k)}=${encodeURIComponent(v)}${junk}`) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)).join('&');
        return { query: text, label: `raw ${junk} in ${inName ? 'name' : 'value'} of ${p[i][0]}`, raw: true };
      }),
    },
    { weight: 1, arbitrary: fc.constantFrom('', '&', 'scope', 'scope=', '?', 'a=b=c').map((q) => ({ query: q, label: `query ${JSON.stringify(q)}`, raw: true })) },
  );
}

export function getModel(spec: GetSpec): RouteModel {
  return {
    route: spec.route,
    build(world) {
      const odd = spec.odd(world);
      const proper = fc.constantFrom(world.analystToken, world.adminToken, world.leaderToken);
      return fc
        .record({ q: queryCases(spec.valid(world), odd), token: proper })
        .chain(({ q, token }) => authHeader(token, [world.fuzzTerminalKeys[0], world.clientToken], world).map((auth) => ({ q, auth })))
        .map(({ q, auth }): FuzzRequest => {
          const headers: Record<string, string> = {};
          if (auth.value !== null) headers.authorization = auth.value;
          return {
            route: spec.route,
            method: 'GET',
            url: q.query ? `${spec.path}?${q.query}` : spec.path,
            headers,
            body: null,
            label: [q.label, auth.label].filter(Boolean).join('; '),
            fields: Object.keys(odd),
            bodyLimit: 16 * KiB,
            admitted: auth.label === '',
            rawQuery: q.raw,
          };
        });
    },
  };
}

export const GRANULARITIES = ['day', 'week', 'month', 'quarter', 'year'];
const CHANNELS = ['ratings', 'surveys', 'complaints', 'visits', 'all'];
export const oddGranularity = fc.constantFrom('Day', 'days', 'hour', 'decade', '', 'week ', 'WEEK', 'quarter\u0000', '1');

export function scopes(w: World): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...w.units.map((u) => `unit:${u}`), ...w.windows.map((x) => `window:${x}`), ...w.officers.map((o) => `officer:${o}`)) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('unit', 'window', 'officer'), idArb).map(([k, id]) => `${k}:${id}`) },
  );
}

const DAY_MS = 86_400_000;
/** from ≤ to: mostly a few days to a few years apart (a day series of 10 years is 3,653 periods), sometimes far apart. */
export const dateRange: fc.Arbitrary<[string, string]> = fc
  .tuple(
    fc.integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2030, 0, 1) }),
    fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 1500 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 3_000_000 }) }),
  )
  .map(([from, days]) => [new Date(from).toISOString().slice(0, 10), new Date(Math.min(from + days * DAY_MS, Date.UTC(9999, 11, 31))).toISOString().slice(0, 10)]);

const satisfactionModel = getModel({
  route: 'GET /v1/satisfaction',
  path: '/v1/satisfaction',
  valid: (w) =>
    fc
      .record({
        scope: scopes(w),
        granularity: fc.constantFrom(...GRANULARITIES),
        range: dateRange,
        channel: fc.option(fc.constantFrom(...CHANNELS), { nil: undefined }),
      })
      .map(({ range, ...q }) => Object.entries({ ...q, from: range[0], to: range[1] }).filter((e): e is Pair => e[1] !== undefined)),
  odd: (w) => ({
    scope: fc.oneof(fc.constantFrom('unit:', 'unit', ':sz', 'units:sz', 'UNIT:sz', 'unit:sz:x', 'unit:sz ', 'window:nope', 'officer:' + 'a'.repeat(65), 'unit:中'), scopes(w)),
    granularity: fc.oneof(oddGranularity, fc.constantFrom(...GRANULARITIES)),
    from: queryDate,
    to: queryDate,
    channel: fc.constantFrom('Ratings', 'rating', 'none', '', 'all ', 'ratings,surveys'),
  }),
});

/** A period code of the given granularity: ordinary, at the edges (week 53, 1900), or malformed. */
const periodFor = (g: string, edges = false): fc.Arbitrary<string> => {
  const year = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 2020, max: 2030 }) }, { weight: 1, arbitrary: fc.integer({ min: edges ? 1899 : 1901, max: 9999 }) }).map((y) => String(y));
  const two = (min: number, max: number) => fc.integer({ min: edges ? min - 1 : min, max: edges ? max + 1 : max }).map((n) => String(n).padStart(2, '0'));
  switch (g) {
    case 'day':
      return fc.tuple(year, two(1, 12), two(1, 31)).map(([y, m, d]) => `${y}-${m}-${d}`);
    case 'week':
      return fc.tuple(year, two(1, 53)).map(([y, w]) => `${y}-W${w}`);
    case 'month':
      return fc.tuple(year, two(1, 12)).map(([y, m]) => `${y}-${m}`);
    case 'quarter':
      return fc.tuple(year, fc.integer({ min: edges ? 0 : 1, max: edges ? 5 : 4 })).map(([y, q]) => `${y}-Q${q}`);
    default:
      return year;
  }
};

const rankingsModel = getModel({
  route: 'GET /v1/rankings',
  path: '/v1/rankings',
  valid: (w) =>
    fc
      .constantFrom(...GRANULARITIES)
      .chain((granularity) =>
        fc.record({
          parentId: idFrom(w.units),
          of: fc.constantFrom('units', 'windows', 'officers'),
          granularity: fc.constant(granularity),
          period: periodFor(granularity),
          metric: fc.option(fc.constantFrom('index', 'satisfactionRate'), { nil: undefined }),
          minN: fc.option(fc.oneof(fc.integer({ min: 0, max: 50 }).map(String), fc.constantFrom('0', '999999999')), { nil: undefined }),
        }),
      )
      .map((q) => Object.entries(q).filter((e): e is Pair => e[1] !== undefined)),
  odd: () => ({
    parentId: fc.oneof(fc.constantFrom('', 'a'.repeat(65), 'sz ', '中', 'unit:sz'), idArb),
    of: fc.constantFrom('unit', 'Units', 'terminals', 'readers', ''),
    granularity: fc.oneof(oddGranularity, fc.constantFrom(...GRANULARITIES)),
    period: fc.oneof(
      fc.constantFrom(...GRANULARITIES).chain((g) => periodFor(g, true)),
      fc.constantFrom('2026-W53', '2020-W53', '2026-02-29', '2024-02-29', '1899-12', '1900', '0000', '9999-Q4', '10000', '2026-q1', '2026-w01', '2026-1', '２０２６', '2026-10-21T00:00', ''),
    ),
    metric: fc.constantFrom('Index', 'mean', 'satisfaction_rate', ''),
    minN: fc.constantFrom('-1', '1.5', '1e3', '0x10', '9999999999', ' 1', '', '１', '01'),
  }),
});

export const ROUTES: RouteModel[] = [
  unitModel,
  windowModel,
  officerModel,
  terminalModel,
  readerModel,
  clientModel,
  keyModel,
  revokeModel('terminals'),
  revokeModel('readers'),
  revokeModel('clients'),
  ratingModel,
  batchModel,
  importModel,
  voidModel,
  satisfactionModel,
  rankingsModel,
];
