// The shape of one entry in the event catalogue: a named, versioned, schema-checked fact.

export type JsonSchema = Record<string, unknown>;

/** The kinds of case (API.md "Cases: the shared rules"): items filed once that then move through steps. */
export type CaseKind = 'complaint' | 'followup' | 'opinion' | 'dispute' | 'hazard';

export interface EventDefinition<T, N extends string = string> {
  readonly type: N;
  readonly version: number;
  /** The bounded context that publishes it; names its Kafka topic `minyi.<context>.events.v1`. */
  readonly context: string;
  readonly schema: JsonSchema;
  /** Set on a case's events: which kind, and whether it files the case or records a step. */
  readonly case?: { readonly kind: CaseKind; readonly role: 'filed' | 'step' };
  /** Type-only marker so that `EventDefinition<T>` carries its payload type. */
  readonly _payload?: T;
}

/** Turns the payload of an older version into the next version's; old events are never rewritten. */
export interface Upcaster {
  readonly type: string;
  readonly fromVersion: number;
  upcast(data: unknown): unknown;
}
