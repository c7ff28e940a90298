// What an action on a thing named in the path shares at the edge (a credential's new key or revocation, a survey's
// publication or closing): the id in the path, and a body that is `{}` and nothing else. An absent body is taken
// as `{}`: there is nothing it could have said.
import { Injectable, type PipeTransform } from '@nestjs/common';
import { InvalidInput, isClientId } from '@minyi/contracts';
import { RequestSchema } from './request-schema.js';

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

/** A client-made id in the path, or a 400 naming `id` (such an id can name nothing). */
export function pathIdOf(id: string): string {
  if (!isClientId(id)) throw new InvalidInput('the id in the path is malformed', [{ path: 'id', message: 'must be 1–64 of A-Za-z0-9._:-' }]);
  return id;
}
