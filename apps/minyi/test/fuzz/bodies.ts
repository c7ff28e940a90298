// From an arbitrary of valid bodies, an arbitrary of bodies that are valid, slightly wrong or very wrong: a field
// dropped, added or replaced (at any depth), the body replaced as a whole, or its JSON text mangled.
import fc from 'fast-check';
import { Bytes, jsonBytes, Pairs, Raw, withMember } from './json-text.js';
import { deepNesting, nastyKey, nastyValue, notUtf8 } from './values.js';

export interface BodyCase {
  /** The body's bytes; null: no body at all. */
  bytes: Buffer | null;
  /** What was done to the valid body, for the failure message. */
  label: string;
}

/** A field of the route's schema, with the values worth trying in it beyond nastyValue. */
export interface FieldSpec {
  name: string;
  odd?: fc.Arbitrary<unknown>;
}

type Path = (string | number)[];

/** Every path into a JSON value (its members and items, at any depth), the value itself first. */
function pathsOf(value: unknown, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...path, i], out));
  else if (value !== null && typeof value === 'object' && !(value instanceof Raw) && !(value instanceof Bytes) && !(value instanceof Pairs)) {
    for (const [k, v] of Object.entries(value)) pathsOf(v, [...path, k], out);
  }
  return out;
}

/** The value with the member or item at `path` replaced (`replacement` undefined: removed). */
function replaceAt(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (rest.length === 0 && replacement === undefined) copy.splice(head as number, 1);
    else copy[head as number] = replaceAt(copy[head as number], rest, replacement);
    return copy;
  }
  const object = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(object)) {
    if (k !== head) Object.defineProperty(copy, k, { value: v, enumerable: true, writable: true, configurable: true });
    else if (rest.length > 0 || replacement !== undefined) Object.defineProperty(copy, k, { value: rest.length ? replaceAt(v, rest, replacement) : replacement, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

const pick = <T>(list: T[], n: number): T => list[n % list.length];

type Mutation = (value: unknown) => { value: unknown; label: string };

function mutationOf(fields: FieldSpec[]): fc.Arbitrary<Mutation> {
  const named = fields.length ? fc.constantFrom(...fields) : fc.constant({ name: 'id' } as FieldSpec);
  return fc.oneof(
    // A member of the body, or an item or member of one, dropped.
    {
      weight: 2,
      arbitrary: fc.nat().map((n): Mutation => (v) => {
        const paths = pathsOf(v).filter((p) => p.length > 0);
        if (!paths.length) return { value: v, label: 'nothing to drop' };
        const p = pick(paths, n);
        return { value: replaceAt(v, p, undefined), label: `dropped ${p.join('.')}` };
      }),
    },
    // An unknown member added (to the body or to an object inside it).
    {
      weight: 2,
      arbitrary: fc.tuple(fc.nat(), nastyKey, nastyValue).map(([n, key, x]): Mutation => (v) => {
        const objects = pathsOf(v).filter((p) => {
          const at = p.reduce<any>((o, k) => o?.[k], v);
          return at !== null && typeof at === 'object' && !Array.isArray(at) && !(at instanceof Raw) && !(at instanceof Bytes) && !(at instanceof Pairs);
        });
        if (!objects.length) return { value: v, label: 'no object to add to' };
        const p = pick(objects, n);
        const target = p.reduce<any>((o, k) => o[k], v) as Record<string, unknown>;
        return { value: replaceAt(v, p, withMember(target, key, x)), label: `added ${[...p, key].join('.')}` };
      }),
    },
    // A field of the schema (present or not) given an odd value: the wrong type, a length at its limit, …
    {
      weight: 5,
      arbitrary: named.chain((f) =>
        (f.odd ? fc.oneof({ weight: 2, arbitrary: f.odd }, { weight: 1, arbitrary: nastyValue }) : nastyValue).map((x): Mutation => (v) => {
          if (v === null || typeof v !== 'object' || Array.isArray(v)) return { value: v, label: 'not an object' };
          return { value: withMember(replaceAt(v, [f.name], undefined) as Record<string, unknown>, f.name, x), label: `set ${f.name}` };
        }),
      ),
    },
    // Any member or item at any depth replaced by an odd value.
    {
      weight: 3,
      arbitrary: fc.tuple(fc.nat(), nastyValue).map(([n, x]): Mutation => (v) => {
        const paths = pathsOf(v).filter((p) => p.length > 0);
        if (!paths.length) return { value: x, label: 'replaced the body' };
        const p = pick(paths, n);
        return { value: replaceAt(v, p, x), label: `replaced ${p.join('.')}` };
      }),
    },
    // A member written twice, the second time with another value (JSON.parse keeps the last).
    {
      weight: 1,
      arbitrary: fc.tuple(fc.nat(), nastyValue, fc.boolean()).map(([n, x, first]): Mutation => (v) => {
        if (v === null || typeof v !== 'object' || Array.isArray(v)) return { value: v, label: 'not an object' };
        const entries = Object.entries(v);
        if (!entries.length) return { value: new Pairs([['id', x], ['id', 'again']]), label: 'duplicate id' };
        const [k] = pick(entries, n);
        const pairs: [string, unknown][] = first ? [[k, x], ...entries] : [...entries, [k, x]];
        return { value: new Pairs(pairs), label: `duplicate key ${k} (the odd value ${first ? 'first' : 'last'})` };
      }),
    },
    // `__proto__` and `constructor.prototype` as members (secure-json-parse's refusals).
    {
      weight: 1,
      arbitrary: fc.constantFrom('__proto__', 'constructor').map((key): Mutation => (v) => {
        if (v === null || typeof v !== 'object' || Array.isArray(v)) return { value: v, label: 'not an object' };
        const poison = key === '__proto__' ? { isAdmin: true, score: 5 } : { prototype: { isAdmin: true } };
        return { value: new Pairs([...Object.entries(v), [key, poison]]), label: `member ${key}` };
      }),
    },
    // A string somewhere in the body replaced by bytes that are not UTF-8.
    {
      weight: 1,
      arbitrary: fc.tuple(fc.nat(), notUtf8).map(([n, bytes]): Mutation => (v) => {
        const strings = pathsOf(v).filter((p) => typeof p.reduce<any>((o, k) => o?.[k], v) === 'string');
        if (!strings.length) return { value: replaceAt(v, [], bytes), label: 'body replaced by bytes' };
        const p = pick(strings, n);
        return { value: replaceAt(v, p, bytes), label: `${p.join('.')} not UTF-8` };
      }),
    },
  );
}

/** The body as a whole replaced: by an array holding it, a scalar, deep nesting, or text that is not JSON. */
function wholeBody(valid: fc.Arbitrary<unknown>): fc.Arbitrary<{ value: unknown; label: string }> {
  return fc.oneof(
    valid.map((v) => ({ value: [v], label: 'the body in an array' })),
    fc.constantFrom<unknown>([], null, 0, 5, '', 'x', true, [[]], [{}]).map((v) => ({ value: v, label: `the body is ${JSON.stringify(v)}` })),
    deepNesting.map((v) => ({ value: v, label: 'deeply nested body' })),
    fc
      .constantFrom('{', '}', '{"id":', '{"id":"a",}', "{'id':'a'}", '{"id":"a"}{"id":"b"}', '{"id":"a"} x', 'NaN', '{"id":NaN}', '{"score":Infinity}', '/*c*/{}', '\ufeff{}', '{"a":"\\x41"}', '{"a":"\\u12"}', '{"a":"\\ud800\\u0041"}', '  ', '\u0000{}', '{"a"\u0000:1}', '[1,2', '"unterminated', '{"a":1}\n\n\n')
      .map((t) => ({ value: new Raw(t), label: `raw text ${JSON.stringify(t)}` })),
  );
}

/** Valid bodies, and their mutations: one to three mutations applied, or the body replaced, or its text cut short. */
export function bodyCases(valid: fc.Arbitrary<unknown>, fields: FieldSpec[]): fc.Arbitrary<BodyCase> {
  const mutation = mutationOf(fields);
  const toCase = ({ value, label }: { value: unknown; label: string }): BodyCase => ({ bytes: jsonBytes(value), label });
  return fc.oneof(
    { weight: 4, arbitrary: valid.map((value) => toCase({ value, label: 'valid' })) },
    { weight: 8, arbitrary: fc.tuple(valid, mutation).map(([v, m]) => toCase(m(v))) },
    {
      weight: 3,
      arbitrary: fc.tuple(valid, fc.array(mutation, { minLength: 2, maxLength: 3 })).map(([v, ms]) =>
        toCase(
          ms.reduce(
            (acc, m) => {
              const r = m(acc.value);
              return { value: r.value, label: `${acc.label}; ${r.label}` };
            },
            { value: v, label: 'mutated' },
          ),
        ),
      ),
    },
    { weight: 1, arbitrary: wholeBody(valid).map(toCase) },
    {
      weight: 1,
      arbitrary: fc.tuple(valid, fc.nat()).map(([v, n]): BodyCase => {
        const bytes = jsonBytes(v);
        const cut = bytes.length ? n % bytes.length : 0;
        return { bytes: bytes.subarray(0, cut), label: `JSON cut after ${cut} bytes` };
      }),
    },
  );
}
