// JSON text as an attacker writes it, not as JSON.stringify would: numbers spelled as given (1e400, -0, 5.0),
// objects whose keys repeat, `__proto__` as a plain member, and bytes that are not UTF-8 inside a string.

/** Text written into the JSON verbatim (a number spelling, or something that is not JSON at all). */
export class Raw {
  constructor(readonly text: string) {}
  toJSON(): string {
    return `<raw ${this.text.length > 60 ? `${this.text.slice(0, 60)}… (${this.text.length} chars)` : this.text}>`;
  }
}

/** An object written member by member, so that a key may appear twice (the last one wins in JSON.parse). */
export class Pairs {
  constructor(readonly pairs: [string, unknown][]) {}
}

/** A JSON string whose content is these bytes, written as they are (not necessarily UTF-8). */
export class Bytes {
  constructor(readonly bytes: Buffer) {}
  toJSON(): string {
    return `<bytes ${this.bytes.toString('hex')}>`;
  }
}

/** An own enumerable member, also for keys such as `__proto__` that an assignment would not create. */
export function withMember(object: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(object)) Object.defineProperty(copy, k, { value: v, enumerable: true, writable: true, configurable: true });
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

function write(value: unknown, out: (string | Buffer)[]): void {
  if (value instanceof Raw) return void out.push(value.text);
  if (value instanceof Bytes) return void out.push('"', value.bytes, '"');
  const members = (pairs: [string, unknown][]) => {
    out.push('{');
    pairs.forEach(([k, v], i) => {
      if (i) out.push(',');
      out.push(JSON.stringify(k), ':');
      write(v, out);
    });
    out.push('}');
  };
  if (value instanceof Pairs) return members(value.pairs);
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((v, i) => {
      if (i) out.push(',');
      write(v, out);
    });
    return void out.push(']');
  }
  if (value !== null && typeof value === 'object') return members(Object.entries(value));
  // undefined is written as null; JSON.stringify writes NaN and ±Infinity as null too.
  out.push(value === undefined ? 'null' : JSON.stringify(value));
}

/** The JSON text of a value, as bytes (strings as UTF-8; lone surrogates are escaped by JSON.stringify). */
export function jsonBytes(value: unknown): Buffer {
  const out: (string | Buffer)[] = [];
  write(value, out);
  return Buffer.concat(out.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c)));
}

/** What a JSON parser makes of the bytes, or undefined when they are not JSON (or not UTF-8). */
export function parsedOf(body: Buffer): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return undefined;
  }
}
