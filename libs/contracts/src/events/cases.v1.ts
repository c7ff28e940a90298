// What every case event carries, version 1 (complaints, bad-rating follow-ups, opinions, disputes, hazards):
// the case's cohort facts and its status after the event, so that every read model counts it without looking
// back (as a void carries what it un-counts), and the step's own fields under `fields`.
import { ID_PATTERN } from '../ids.js';
import type { CaseKind, EventDefinition, JsonSchema } from '../event-definition.js';

/** Any case id: client-made, or derived from others (`<surveyId>:<responseId>:<questionId>`), hence longer. */
export const CASE_ID_PATTERN = '^[A-Za-z0-9._:-]{1,200}$';
const id = { type: 'string', pattern: ID_PATTERN } as const;
const caseId = { type: 'string', pattern: CASE_ID_PATTERN } as const;
const instant = { type: 'string', minLength: 20, maxLength: 40 } as const;

/** The case after an event, as every figure counts it (API.md "Since the latest reopen", "Cohorts"). */
export interface CaseStatusV1 {
  state: string;
  /** The unit of the latest accept, assign or escalate step; before any, the unit filed for. */
  responsibleUnitId: string;
  /** The deadline in force (kept after handling, and through a reopen until a step sets a new one); null if none was ever set. */
  dueAt: string | null;
  /** An accept, assign or escalate step was ever taken. */
  accepted: boolean;
  /** Since the latest reopen: a handling step was taken … */
  handled: boolean;
  /** … and the latest one by its deadline (or with none in force). */
  onTime: boolean;
  /** The latest handling step since the latest reopen (`rectify`, `explain`, `handle`, `resolve`), or null. */
  handling: string | null;
  replied: boolean;
  /** Since the latest reopen: called back (complaints, follow-ups) or rated (opinions) … */
  calledBack: boolean;
  /** … with this score. */
  score: number | null;
  closed: boolean;
  /** Closed for good (停访息诉): never reopened. */
  final: boolean;
  /** Out of every rate (a follow-up found invalid, or voided with its rating): counted apart. */
  excluded: boolean;
}

/** The cohort facts and status every event of a case carries; `fields` are the filing's or the step's own. */
export interface CaseEventV1<F> {
  caseId: string;
  /** The filing's occurredAt: the cohort period. */
  filedAt: string;
  /** The unit the case was filed for. */
  filedUnitId: string;
  /** The ledger's category (a complaint's or opinion's category, a dispute's or hazard's kind, a follow-up's service type). */
  category: string | null;
  status: CaseStatusV1;
  /** The client-made step id (absent on the filing). */
  stepId?: string;
  fields: F;
}

function statusSchema(states: readonly string[]): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['state', 'responsibleUnitId', 'dueAt', 'accepted', 'handled', 'onTime', 'handling', 'replied', 'calledBack', 'score', 'closed', 'final', 'excluded'],
    properties: {
      state: { enum: [...states] },
      responsibleUnitId: id,
      dueAt: { anyOf: [instant, { type: 'null' }] },
      accepted: { type: 'boolean' },
      handled: { type: 'boolean' },
      onTime: { type: 'boolean' },
      handling: { anyOf: [{ type: 'string', minLength: 1, maxLength: 32 }, { type: 'null' }] },
      replied: { type: 'boolean' },
      calledBack: { type: 'boolean' },
      score: { anyOf: [{ type: 'integer', minimum: 1, maximum: 5 }, { type: 'null' }] },
      closed: { type: 'boolean' },
      final: { type: 'boolean' },
      excluded: { type: 'boolean' },
    },
  };
}

/** A case event's definition: the shared envelope around the filing's or step's own fields. */
export function caseEvent<F, N extends string>(spec: {
  type: N;
  context: string;
  kind: CaseKind;
  role: 'filed' | 'step';
  states: readonly string[];
  fields: { required: string[]; properties: Record<string, unknown> };
}): EventDefinition<CaseEventV1<F>, N> {
  const required = ['caseId', 'filedAt', 'filedUnitId', 'category', 'status', 'fields'];
  return {
    type: spec.type,
    version: 1,
    context: spec.context,
    case: { kind: spec.kind, role: spec.role },
    schema: {
      type: 'object',
      additionalProperties: false,
      required: spec.role === 'step' ? [...required, 'stepId'] : required,
      properties: {
        caseId,
        filedAt: instant,
        filedUnitId: id,
        category: { anyOf: [{ type: 'string', minLength: 1, maxLength: 128 }, { type: 'null' }] },
        status: statusSchema(spec.states),
        ...(spec.role === 'step' ? { stepId: id } : {}),
        fields: { type: 'object', additionalProperties: false, required: spec.fields.required, properties: spec.fields.properties },
      },
    },
  };
}

/** Contact details as events hold them: sealed under the subject's key (libs/personal-data), never plain. */
export interface SealedContactV1 {
  /** The key it is sealed under (kept outside the log; erasure deletes it). */
  keyId: string;
  /**
   * Always null in events written today: the blind index of the phone lives only beside the key in pd_keys,
   * which erasure empties (in the log it would outlive the erasure and could be reversed by hashing numbers).
   */
  subject: string | null;
  /** base64 of nonce, tag and AES-256-GCM ciphertext of `{ name?, phone? }`. */
  sealed: string;
}

export const sealedContactSchema: JsonSchema = {
  anyOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['keyId', 'subject', 'sealed'],
      properties: {
        keyId: { type: 'string', pattern: '^[0-9a-f-]{36}$' },
        subject: { anyOf: [{ type: 'string', pattern: '^[0-9a-f]{64}$' }, { type: 'null' }] },
        sealed: { type: 'string', minLength: 1, maxLength: 2000, pattern: '^[A-Za-z0-9+/=]+$' },
      },
    },
    { type: 'null' },
  ],
};

/** Text a step records (a summary, a reason, a reply): 1–5000 characters. */
export const stepText = { type: 'string', minLength: 1, maxLength: 5000 } as const;
export const score5 = { type: 'integer', minimum: 1, maximum: 5 } as const;
export const workingDays = { type: 'integer', minimum: 1, maximum: 60 } as const;
export const replyVia = { enum: ['phone', 'sms', 'visit', 'letter', 'app', 'wechat'] } as const;
export { id as unitIdSchema };
