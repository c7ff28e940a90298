// The values the fuzz writes into fields: legal text full of Unicode's odd corners, text no field may hold (NUL,
// lone surrogates), strings at and around each length limit, every JSON type where another is expected, huge and
// oddly spelled numbers, deep nesting, and times and dates at and past every edge.
import fc from 'fast-check';
import { Bytes, Raw } from './json-text.js';

/** Single code points that are legal in any text field yet trip naive code: marks, RTL, BOM, non-characters, astral. */
const ODD_CODE_POINTS = [
  'a', 'Z', '0', ' ', '-', '中', '文', '民', '意', '😀', '🇨', '🇳', '\u0301', '\u0308', '\u200d', '\u200b', '\u200e', '\u200f',
  '\u202e', '\u2066', '\u2069', '\ufeff', '\uffff', '\ufffe', '\ufffd', '\u{10ffff}', '\u{e0001}', '\u{1f9d1}', '\n', '\r', '\t',
  '"', '\\', '/', "'", '<', '>', '&', '%', '\u0001', '\u001f', '\u007f', '\u0085', '\u00a0', '\u2028', '\u2029', '\u3000', 'İ',
  'ß', 'ﬃ', 'Ω', 'Å', 'ǅ',
];

const codePoint = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ODD_CODE_POINTS) },
  // Any scalar value (the surrogate range excluded), NUL excluded: legal in every text field.
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 0x10ffff }).filter((c) => c < 0xd800 || c > 0xdfff).map((c) => String.fromCodePoint(c)) },
);

/** Legal text of min..max code points (what ajv's minLength/maxLength count). */
export function text(min: number, max: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.string({ unit: codePoint, minLength: min, maxLength: Math.min(max, 24) }) },
    { weight: 1, arbitrary: fc.string({ unit: codePoint, minLength: min, maxLength: max }) },
    // The same word in NFC and NFD: two texts that look alike.
    { weight: 1, arbitrary: fc.constantFrom('Café', 'Cafe\u0301', '한국', '\u1112\u1161\u11ab\u1100\u116e\u11a8', 'ℌ', '户籍办理').filter((s) => [...s].length >= min && [...s].length <= max) },
  );
}

/** Text no field may hold: a NUL, or a lone (high or low) surrogate, somewhere in otherwise legal text. */
export const unrecordableText: fc.Arbitrary<string> = fc
  .tuple(fc.string({ unit: codePoint, maxLength: 8 }), fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff', '\ud83d', '\ude00'), fc.string({ unit: codePoint, maxLength: 8 }))
  .map(([a, bad, b]) => a + bad + b);

/** Bytes that are not UTF-8 (a lone surrogate in CESU-8, an overlong NUL, a cut sequence, 0xFF), inside a JSON string. */
export const notUtf8: fc.Arbitrary<Bytes> = fc
  .tuple(fc.constantFrom('ff', 'c080', 'eda080', 'edbfbf', 'e4b8', 'f4908080', 'c3', '80', 'f8a1a1a1a1'), fc.constantFrom('', 'ab', '中'))
  .map(([hex, around]) => new Bytes(Buffer.concat([Buffer.from(around), Buffer.from(hex, 'hex'), Buffer.from(around)])));

/** Strings at, just under and just over a length limit, counted in code points and in UTF-16 units. */
export function aroundLength(min: number, max: number): fc.Arbitrary<string> {
  const lengths = [...new Set([min - 1, min, min + 1, max - 1, max, max + 1].filter((n) => n >= 0))];
  return fc.tuple(fc.constantFrom(...lengths), fc.constantFrom('x', '😀', '中', 'e\u0301', '\u0301')).map(([n, unit]) => {
    // 'e\u0301' is two code points: n of them in half as many units.
    const count = unit.length === 2 && unit !== '😀' ? Math.ceil(n / 2) : n;
    return unit.repeat(count);
  });
}

/** Very long strings: past every field limit, and past the smaller body limits. */
export const hugeString: fc.Arbitrary<string> = fc.constantFrom(1_000, 20_000, 70_000).chain((n) => fc.constantFrom('a'.repeat(n), '中'.repeat(n / 2), '😀'.repeat(n / 4)));

/** Strings that look like something else. */
export const lookalikeString = fc.constantFrom(
  '', ' ', 'NaN', 'Infinity', '-Infinity', '1e999', '-0', '0x1F', '5', ' 5', '5 ', '５', 'null', 'true', 'undefined', '[]', '{}', '__proto__',
  'constructor', 'toString', 'hasOwnProperty', '../../etc/passwd', "'; DROP TABLE events; --", '%00', '%', '${x}', '\\u0000', 'a'.repeat(65),
);

/** Number spellings JSON.stringify would never write. */
export const oddNumberText: fc.Arbitrary<Raw> = fc
  .constantFrom('1e400', '-1e400', '5.0', '5e0', '0.5e1', '5.000000000000000000001', '4.99999999999999999999', '-0', '0e-400', '1'.repeat(400), '3E0', '1.5')
  .map((t) => new Raw(t));

export const oddNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, 1, 5, 6, -1, 0.5, 4.5, 1e308, -1e308, 2 ** 31, 2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, 1e-300),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** `[[[…]]]` or `{"a":{"a":…}}` this deep. */
export const deepNesting: fc.Arbitrary<Raw> = fc
  .tuple(fc.constantFrom(2, 64, 3_000, 200_000), fc.boolean())
  .map(([depth, arrays]) => new Raw(arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)));

const scalarNasty: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: text(0, 12) },
  { weight: 2, arbitrary: unrecordableText },
  { weight: 2, arbitrary: lookalikeString },
  { weight: 2, arbitrary: oddNumber },
  { weight: 1, arbitrary: oddNumberText },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
  { weight: 1, arbitrary: notUtf8 },
);

/** Any value at all, from a scalar of the wrong type to a deep structure, for a field whose type is known or not. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: scalarNasty },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: deepNesting },
  { weight: 2, arbitrary: fc.array(scalarNasty, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.oneof(text(0, 6), fc.constantFrom('__proto__', 'constructor', 'prototype')), scalarNasty, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom([], {}, [[]], [{}], [null]) },
);

/** Names a body's unknown member may have. */
export const nastyKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', '', ' ', 'ID', 'Id', 'id ', 'unit_id', 'terminalId', 'windowId', 'extra', '$ref', 'score\u0000'),
  text(1, 10),
  unrecordableText,
);

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** An instant as ISO 8601 with the given offset (minutes east of UTC). */
export function isoAt(ms: number, offsetMinutes: number, fraction: 0 | 3 | 9 = 3): string {
  const local = new Date(ms + offsetMinutes * MINUTE).toISOString().slice(0, 23);
  const base = fraction === 0 ? local.slice(0, 19) : fraction === 3 ? local : `${local}${String(ms % 7).repeat(6)}`;
  if (offsetMinutes === 0 && fraction !== 9) return `${base}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${base}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const offsets = fc.constantFrom(0, 480, -180, 330, 345, 840, -720, -570);

/** A time a terminal may send: within the last 89 days, or up to 4 minutes ahead. */
export function recentTime(now: () => number): fc.Arbitrary<string> {
  return fc.tuple(fc.integer({ min: -89 * DAY, max: 4 * MINUTE }), offsets, fc.constantFrom(0 as const, 3 as const, 9 as const)).map(([d, o, f]) => isoAt(now() + d, o, f));
}

/** Any time an import may hold: 1900 onwards, up to 4 minutes ahead. */
export function importTime(now: () => number): fc.Arbitrary<string> {
  const earliest = Date.UTC(1900, 0, 1);
  return fc.tuple(fc.integer({ min: earliest, max: now() + 4 * MINUTE }), offsets).map(([t, o]) => isoAt(t, o));
}

/** Times at and past every edge: the 90-day and 5-minute limits ± a minute, 1900, year 0 and 9999, impossible dates. */
export function edgeTime(now: () => number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(-90 * DAY - MINUTE, -90 * DAY + MINUTE, 5 * MINUTE - 10_000, 6 * MINUTE, 365 * DAY, -3650 * DAY).chain((d) => offsets.map((o) => isoAt(now() + d, o))),
    fc.constantFrom(
      '1899-12-31T23:59:59Z', '1900-01-01T00:00:00Z', '1900-01-01T07:59:59+08:00', '0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z',
      '2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T23:60:00Z', '2016-12-31T23:59:60Z', '2026-06-30T23:59:60+08:00',
      '2026-01-01T00:00:00+24:00', '2026-01-01T00:00:00+15:00', '2026-01-01T00:00:00-23:59', '2026-01-01T00:00:00', '2026-01-01', '2026-01-01T00:00Z',
      '2026-01-01t00:00:00z', '2026-01-01 00:00:00Z', '+002026-01-01T00:00:00Z', '２０２６-01-01T00:00:00Z', '2026-01-01T00:00:00.1234567890Z', 'now', '1700000000',
    ),
  );
}

/** Dates for queries: ordinary ones, and every kind of bad one. */
export const queryDate: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) },
  { weight: 1, arbitrary: fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '0000-01-01', '0001-01-01', '1899-12-31', '1900-01-01', '1900-01-02', '9999-12-31', '2026-02-29', '2024-02-29', '2026-02-30', '2026-13-01', '2026-00-10',
      '2026-01-00', '2026-1-1', '20260101', '2026/01/01', '2026-01-01T00:00:00Z', '+02026-01-01', '-2026-01-01', '２０２６-01-01', ' 2026-01-01', '', 'null', '2026-W01',
      '2020-12-28', '2021-01-03', '2026-12-31', '2027-01-01',
    ),
  },
);

export { DAY, MINUTE };
