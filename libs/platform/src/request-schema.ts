// Strict request validation with compiled JSON Schemas (ajv): unknown fields refused, every error named by path.
import { Injectable, PipeTransform } from '@nestjs/common';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { InvalidInput, textProblemOf, type FieldError, type JsonSchema } from '@minyi/contracts';

const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, verbose: true });
addFormats(ajv);

function pathOf(e: ErrorObject): string {
  const base = e.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
  const extra =
    e.keyword === 'required'
      ? (e.params as { missingProperty: string }).missingProperty
      : e.keyword === 'additionalProperties'
        ? (e.params as { additionalProperty: string }).additionalProperty
        : '';
  return [base, extra].filter(Boolean).join('.');
}

function messageOf(e: ErrorObject): string {
  if (e.keyword === 'required') return 'is required';
  if (e.keyword === 'additionalProperties') return 'is not a known field';
  if (e.keyword === 'pattern' && e.parentSchema && (e.parentSchema as { description?: string }).description) {
    return `must be ${(e.parentSchema as { description: string }).description}`;
  }
  return e.message ?? 'is invalid';
}

/** Field errors, one per path (the first message wins), in the order ajv found them. */
export function fieldErrors(errors: ErrorObject[] | null | undefined): FieldError[] {
  const seen = new Map<string, FieldError>();
  for (const e of errors ?? []) {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') continue;
    const path = pathOf(e);
    if (!seen.has(path)) seen.set(path, { path, message: messageOf(e) });
  }
  return [...seen.values()];
}

type SchemaNode = JsonSchema | boolean;

/** Checks the strings of a value against what no field may hold; `path` is the stack of keys above it. */
type TextWalker = (value: unknown, path: (string | number)[], out: FieldError[]) => void;

/** The schema and every branch it composes (anyOf, oneOf, allOf, if/then/else), flattened. */
function branchesOf(schema: SchemaNode, out: SchemaNode[] = []): SchemaNode[] {
  out.push(schema);
  if (typeof schema === 'object' && schema !== null) {
    for (const k of ['anyOf', 'oneOf', 'allOf'] as const) {
      const list = schema[k];
      if (Array.isArray(list)) for (const s of list) branchesOf(s as SchemaNode, out);
    }
    for (const k of ['if', 'then', 'else'] as const) if (schema[k] !== undefined) branchesOf(schema[k] as SchemaNode, out);
  }
  return out;
}

function report(path: (string | number)[], message: string, out: FieldError[]): void {
  out.push({ path: path.join('.'), message });
}

function checkString(value: string, path: (string | number)[], out: FieldError[]): void {
  const problem = textProblemOf(value);
  if (problem !== null) report(path, problem, out);
}

function checkKey(key: string, path: (string | number)[], out: FieldError[]): boolean {
  const problem = textProblemOf(key);
  if (problem === null) return true;
  path.push(key);
  report(path, `field name ${problem}`, out);
  path.pop();
  return false;
}

/** Every string of the value, at any depth, keys included: what a schema of `true` (anything) describes. */
const walkEverything: TextWalker = (value, path, out) => {
  if (typeof value === 'string') return checkString(value, path, out);
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walkEverything(value[i], path, out);
      path.pop();
    }
    return;
  }
  for (const key of Object.keys(value)) {
    if (!checkKey(key, path, out)) continue;
    path.push(key);
    walkEverything((value as Record<string, unknown>)[key], path, out);
    path.pop();
  }
};

/**
 * Compiles, once per schema, the walk that checks every string the schema describes — field values, array
 * items and object keys, at any depth — for what no field may hold (a NUL character, a lone surrogate),
 * whatever the field. A part the schema leaves open (an array without `items`, such as a batch's list of
 * ratings) is not entered: it is validated on its own later, and its problems belong to it (a batch item's
 * own result).
 */
function compileTextWalker(schema: SchemaNode): TextWalker {
  const branches = branchesOf(schema);
  if (branches.some((b) => b === true)) return walkEverything;
  const objects = branches.filter((b): b is JsonSchema => typeof b === 'object' && b !== null);
  const walkerOf = (schemas: SchemaNode[]): TextWalker | null => (schemas.length === 0 ? null : compileTextWalker(schemas.length === 1 ? schemas[0] : { allOf: schemas }));

  const items = walkerOf(objects.flatMap((b) => (b.items !== undefined && b.items !== false && !Array.isArray(b.items) ? [b.items as SchemaNode] : [])));
  const prefixes = objects.map((b) => b.prefixItems).filter((p): p is SchemaNode[] => Array.isArray(p));
  const prefixWalkers = prefixes.length ? Array.from({ length: Math.max(...prefixes.map((p) => p.length)) }, (_, i) => walkerOf(prefixes.flatMap((p) => (i < p.length ? [p[i]] : [])))) : [];
  const propertySchemas = new Map<string, SchemaNode[]>();
  for (const b of objects) {
    for (const [k, sub] of Object.entries((b.properties as Record<string, SchemaNode> | undefined) ?? {})) propertySchemas.set(k, [...(propertySchemas.get(k) ?? []), sub]);
  }
  const properties = new Map<string, TextWalker | null>([...propertySchemas].map(([k, list]) => [k, walkerOf(list)]));
  const patterns = objects.flatMap((b) => Object.entries((b.patternProperties as Record<string, SchemaNode> | undefined) ?? {}).map(([re, sub]) => ({ re: new RegExp(re, 'u'), sub })));
  // additionalProperties describes the members no property or pattern names (JSON Schema's rule).
  const extra = walkerOf(objects.flatMap((b) => (b.additionalProperties !== undefined && b.additionalProperties !== false ? [b.additionalProperties as SchemaNode] : [])));
  const describesMembers = properties.size > 0 || patterns.length > 0 || extra !== null;
  const memberWalker = (key: string): TextWalker | null => {
    if (patterns.length === 0) return properties.get(key) ?? extra;
    const named = [...(propertySchemas.get(key) ?? []), ...patterns.filter((p) => p.re.test(key)).map((p) => p.sub)];
    return named.length ? walkerOf(named) : extra;
  };

  return (value, path, out) => {
    if (typeof value === 'string') return checkString(value, path, out);
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const walk = i < prefixWalkers.length ? prefixWalkers[i] : items;
        if (!walk) continue;
        path.push(i);
        walk(value[i], path, out);
        path.pop();
      }
      return;
    }
    if (!describesMembers) return;
    for (const key of Object.keys(value)) {
      // A property's own name is the schema's, so only other names are checked.
      if (!properties.has(key) && !checkKey(key, path, out)) continue;
      const walk = memberWalker(key);
      if (!walk) continue;
      path.push(key);
      walk((value as Record<string, unknown>)[key], path, out);
      path.pop();
    }
  };
}

export class RequestSchema<T> {
  private readonly check: ValidateFunction<T>;
  private readonly checkText: TextWalker;
  constructor(readonly schema: JsonSchema) {
    this.check = ajv.compile<T>({ ...schema, $async: undefined } as object);
    this.checkText = compileTextWalker(schema);
  }

  /** Returns the value typed, or throws InvalidInput naming every bad field. */
  parse(value: unknown, what = 'request body'): T {
    const errors = this.errorsOf(value);
    if (errors === null) return value as T;
    throw new InvalidInput(`the ${what} is invalid`, errors);
  }

  /** Like parse, but returns the errors instead of throwing (batch items are judged one by one). */
  errorsOf(value: unknown): FieldError[] | null {
    const valid = this.check(value);
    const text: FieldError[] = [];
    this.checkText(value, [], text);
    if (valid && text.length === 0) return null;
    const errors = valid ? [] : fieldErrors(this.check.errors);
    for (const t of text) if (!errors.some((e) => e.path === t.path)) errors.push(t);
    return errors;
  }
}

@Injectable()
export class SchemaPipe<T> implements PipeTransform<unknown, T> {
  constructor(private readonly schema: RequestSchema<T>) {}
  transform(value: unknown): T {
    return this.schema.parse(value ?? undefined);
  }
}
