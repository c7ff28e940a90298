// The request body of POST /v1/personal-data/erase.
import { RequestSchema } from '@minyi/platform';

export interface ErasePersonalDataBody {
  phone: string;
}

export const erasePersonalDataSchema = new RequestSchema<ErasePersonalDataBody>({
  type: 'object',
  additionalProperties: false,
  required: ['phone'],
  properties: {
    phone: {
      type: 'string',
      minLength: 1,
      maxLength: 32,
      // Full-width digits count too (they are the same number once normalised).
      pattern: '[0-9\uFF10-\uFF19]',
      description: 'a phone number with at least one digit, in any spelling (spaces, dashes, parentheses, +86 or none)',
      example: '+86 139-1234-5678',
    },
  },
});
