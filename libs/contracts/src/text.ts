// Text minyi can record: no NUL character and no lone UTF-16 surrogate. Both are legal in a JSON string and in a
// JavaScript string, but PostgreSQL's jsonb refuses them (and with them the whole grouped commit they travel in),
// and a lone surrogate is no Unicode text at all. API.md "Limits": such text is refused (400 naming the field).
import type { FieldError } from './errors.js';

declare global {
  interface String {
    /** ES2024 (Node 20): false when the string holds a lone surrogate. */
    isWellFormed(): boolean;
  }
}

/** Why a string cannot be recorded, or null when it can. */
export function textProblemOf(s: string): string | null {
  if (s.includes('\u0000')) return 'must not contain a NUL character (U+0000)';
  if (!s.isWellFormed()) return 'must be well-formed Unicode text (it holds a lone surrogate)';
  return null;
}

/** A dotted field path, as problem+json `errors` name them (`ratings.3.reasons.1`). */
export function joinPath(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${key}`;
}

/**
 * The first string in `value` (any depth, object keys included) that cannot be recorded, with its path; null
 * when there is none. For values that are stored whole, such as an event's data.
 */
export function unrecordableText(value: unknown, path = ''): FieldError | null {
  if (typeof value === 'string') {
    const problem = textProblemOf(value);
    return problem === null ? null : { path, message: problem };
  }
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unrecordableText(value[i], joinPath(path, i));
      if (found) return found;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    const keyProblem = textProblemOf(key);
    if (keyProblem !== null) return { path: joinPath(path, key), message: `field name ${keyProblem}` };
    const found = unrecordableText((value as Record<string, unknown>)[key], joinPath(path, key));
    if (found) return found;
  }
  return null;
}
