// The shape of one entry in the event catalogue: a named, versioned, schema-checked fact.

export type JsonSchema = Record<string, unknown>;

export interface EventDefinition<T> {
  readonly type: string;
  readonly version: number;
  /** The bounded context that publishes it; names its Kafka topic `minyi.<context>.events.v1`. */
  readonly context: string;
  readonly schema: JsonSchema;
  /** Type-only marker so that `EventDefinition<T>` carries its payload type. */
  readonly _payload?: T;
}

/** Turns the payload of an older version into the next version's; old events are never rewritten. */
export interface Upcaster {
  readonly type: string;
  readonly fromVersion: number;
  upcast(data: unknown): unknown;
}
