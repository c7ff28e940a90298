// What the credential actions (a terminal's new key, a revoke) share at the edge: the id in the path and a body
// that is `{}` and nothing else (API.md "Credentials"). An absent body is taken as `{}`: there is nothing it
// could have said.
import { EmptyBodyPipe, emptyBodySchema, pathIdOf, type EmptyBody } from '@minyi/platform';

// Shared with every action on a thing named in the path (libs/platform empty-body.ts).
export { EmptyBodyPipe, emptyBodySchema, type EmptyBody };

/** The holder id in the path, or a 400 naming `id` (such an id can name nothing). */
export const holderIdOf = pathIdOf;
