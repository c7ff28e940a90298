// What the credential actions (a terminal's new key, a revoke) share at the edge: the id in the path and a body
// that is `{}` and nothing else (API.md "Credentials"). An absent body is taken as `{}`: there is nothing it
// could have said.
import { Injectable, type PipeTransform } from '@nestjs/common';
import { InvalidInput, isClientId } from '@minyi/contracts';
import { RequestSchema } from '@minyi/platform';

export type EmptyBody = Record<string, never>;

export const emptyBodySchema = new RequestSchema<EmptyBody>({
  type: 'object',
  additionalProperties: false,
  properties: {},
  description: 'nothing: `{}`',
});

@Injectable()
export class EmptyBodyPipe implements PipeTransform<unknown, EmptyBody> {
  transform(value: unknown): EmptyBody {
    return emptyBodySchema.parse(value === undefined ? {} : value);
  }
}

/** The holder id in the path, or a 400 naming `id` (such an id can name nothing). */
export function holderIdOf(id: string): string {
  if (!isClientId(id)) throw new InvalidInput('the id in the path is malformed', [{ path: 'id', message: 'must be 1–64 of A-Za-z0-9._:-' }]);
  return id;
}
