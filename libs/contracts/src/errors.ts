// Domain errors: what the domain refuses, said without any HTTP or framework vocabulary.
// One exception filter (libs/platform) maps each kind to an RFC 9457 problem.

export interface FieldError {
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind: 'invalid' | 'refused' | 'conflict' | 'not-found' | 'unauthenticated' | 'forbidden';
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The input is malformed: a field is missing, of the wrong type or out of range (400). */
export class InvalidInput extends DomainError {
  readonly kind = 'invalid' as const;
}

/** Well-formed, but the domain will not do it: unknown window, too old, in the future (422). */
export class Refused extends DomainError {
  readonly kind = 'refused' as const;
}

/** Clashes with what is already recorded: another body under the same id, a stale version (409). */
export class Conflict extends DomainError {
  readonly kind = 'conflict' as const;
}

/** The thing read or acted on does not exist (404). */
export class NotFound extends DomainError {
  readonly kind = 'not-found' as const;
}

/** No credentials, or credentials nobody issued (401). */
export class Unauthenticated extends DomainError {
  readonly kind = 'unauthenticated' as const;
}

/** Valid credentials acting outside their scope (403). */
export class Forbidden extends DomainError {
  readonly kind = 'forbidden' as const;
}
