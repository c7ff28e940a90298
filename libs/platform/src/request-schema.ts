// Strict request validation with compiled JSON Schemas (ajv): unknown fields refused, every error named by path.
import { Injectable, PipeTransform } from '@nestjs/common';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { InvalidInput, type FieldError, type JsonSchema } from '@minyi/contracts';

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

export class RequestSchema<T> {
  private readonly check: ValidateFunction<T>;
  constructor(readonly schema: JsonSchema) {
    this.check = ajv.compile<T>({ ...schema, $async: undefined } as object);
  }

  /** Returns the value typed, or throws InvalidInput naming every bad field. */
  parse(value: unknown, what = 'request body'): T {
    if (this.check(value)) return value;
    throw new InvalidInput(`the ${what} is invalid`, fieldErrors(this.check.errors));
  }

  /** Like parse, but returns the errors instead of throwing (batch items are judged one by one). */
  errorsOf(value: unknown): FieldError[] | null {
    return this.check(value) ? null : fieldErrors(this.check.errors);
  }
}

@Injectable()
export class SchemaPipe<T> implements PipeTransform<unknown, T> {
  constructor(private readonly schema: RequestSchema<T>) {}
  transform(value: unknown): T {
    return this.schema.parse(value ?? undefined);
  }
}
