// What a case kind declares for its API beside its pure definition: each public step's own fields, their
// defaults, the units they name and the field holding the deadline's working days. Compiled once per kind.
import { CASE_ID_PATTERN, ID_PATTERN, InvalidInput, type CaseStatusV1, type JsonSchema } from '@minyi/contracts';
import { caseDecider, publicSteps, type CaseCommand, type CaseEvent, type CaseKindDefinition, type CaseState } from '@minyi/cases';
import type { Decider } from '@minyi/contracts';
import { RequestSchema } from '@minyi/platform';

/** ISO 8601 date-time with an explicit offset (Z or ±hh:mm): a step's occurredAt (API.md "Cases"). */
export const OFFSET_DATE_TIME = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$';
export const occurredAtSchema = {
  type: 'string',
  pattern: OFFSET_DATE_TIME,
  format: 'date-time',
  description: 'an ISO 8601 time with its offset, e.g. 2026-10-21T09:30:00+08:00',
} as const;
export const stepIdSchema = { type: 'string', pattern: ID_PATTERN, description: 'client-made id: 1–64 of A-Za-z0-9._:- (a uuid is recommended)' } as const;

export interface StepDefinition {
  /** The step's own fields (JSON Schemas), beside `stepId` and `occurredAt`. */
  readonly fields: Readonly<Record<string, JsonSchema>>;
  /** The fields a request must send. */
  readonly required?: readonly string[];
  /** Rules between fields, checked with the rest of the body (verify: `valid: false` requires `reason`). */
  readonly rules?: readonly JsonSchema[];
  /**
   * Fills what a request may leave out, from the case as it is before the step (accept's unitId: the responsible
   * unit). Gets the request's own fields; returns the fields the event records (its schema requires them all).
   */
  readonly defaults?: (fields: Record<string, unknown>, status: CaseStatusV1) => Record<string, unknown>;
  /** For a step whose rule sets a deadline: the field holding its working days (after defaults). */
  readonly deadlineDays?: string;
  /** Fields naming a unit, which must exist (else 422 naming the field). */
  readonly unitFields?: readonly string[];
  readonly summary: string;
  readonly description?: string;
  /** The largest body (bytes) and why; default the platform's 16 KiB. */
  readonly bodyLimit?: { readonly bytes: number; readonly reason: string };
}

/** The body of a step request as validated: `stepId`, `occurredAt` and the step's own fields. */
export interface StepBody {
  stepId: string;
  occurredAt: string;
  [field: string]: unknown;
}

export interface CompiledStep extends StepDefinition {
  readonly name: string;
  readonly schema: RequestSchema<StepBody>;
}

/** A kind ready for the shared handlers: its definition, decider and compiled step schemas. */
export interface CaseKindApi {
  readonly kind: CaseKindDefinition;
  readonly decider: Decider<CaseCommand, CaseState, CaseEvent>;
  readonly steps: ReadonlyMap<string, CompiledStep>;
}

/** The JSON Schema of a step's request body. */
export function stepBodySchema(step: StepDefinition): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['stepId', 'occurredAt', ...(step.required ?? [])],
    properties: { stepId: stepIdSchema, occurredAt: occurredAtSchema, ...step.fields },
    ...(step.rules?.length ? { allOf: [...step.rules] } : {}),
  };
}

/**
 * Compiles a kind's API. Every public step (not `system`) needs a definition and nothing else may have one; a
 * step whose rule sets a deadline needs `deadlineDays`. A mismatch is a programming error, thrown at boot.
 */
export function caseKindApi(kind: CaseKindDefinition, definitions: Readonly<Record<string, StepDefinition>>): CaseKindApi {
  const declared = publicSteps(kind);
  const missing = declared.filter((s) => !definitions[s]);
  const extra = Object.keys(definitions).filter((s) => !declared.includes(s));
  if (missing.length || extra.length) throw new Error(`the ${kind.kind} API must define exactly its public steps (${declared.join(', ')}): missing ${missing.join(', ') || 'none'}, extra ${extra.join(', ') || 'none'}`);
  const steps = new Map<string, CompiledStep>();
  for (const name of declared) {
    const d = definitions[name];
    if (kind.steps[name].deadline && !d.deadlineDays) throw new Error(`${kind.kind} step ${name} sets a deadline: its definition must name deadlineDays`);
    steps.set(name, { ...d, name, schema: new RequestSchema<StepBody>(stepBodySchema(d)) });
  }
  return { kind, decider: caseDecider(kind), steps };
}

const CASE_ID = new RegExp(CASE_ID_PATTERN);

/** The case id of a path, or a 400 naming `id` (such an id can name no case). */
export function caseIdOf(id: string): string {
  if (!CASE_ID.test(id)) throw new InvalidInput('the case id in the path is malformed', [{ path: 'id', message: 'must be 1–200 of A-Za-z0-9._:-' }]);
  return id;
}
