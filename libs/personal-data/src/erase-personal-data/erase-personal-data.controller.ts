// POST /v1/personal-data/erase: the administrator makes every contact with a phone number unreadable for good.
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Allow, BodyLimit, KiB, SchemaPipe } from '@minyi/platform';
import { PersonalDataVault } from '../personal-data.vault.js';
import { erasePersonalDataSchema, type ErasePersonalDataBody } from './erase-personal-data.schema.js';

@ApiTags('personal data')
@ApiBearerAuth()
@Controller('v1/personal-data')
export class ErasePersonalDataController {
  constructor(private readonly vault: PersonalDataVault) {}

  @Post('erase')
  @HttpCode(200)
  @Allow('admin')
  @BodyLimit(1 * KiB, 'a phone number of 32 characters, each sent as a \\uXXXX escape of a surrogate pair, is under 400 bytes')
  @ApiOperation({
    summary: 'Erase a phone number’s contacts (PIPL): every contact with that number becomes unreadable for good',
    description:
      'Deletes the keys the contacts with this phone number are sealed under. Their cases keep every event and count in ' +
      'every figure as before; `GET /v1/<kind>/{id}` shows `contact: null, contactErased: true`. The number is matched in ' +
      'its canonical form: digits only (full-width digits too), +86 or 0086 the same as none, any other country code kept ' +
      '("+86 138-0013-8000" = "13800138000"; "+852 9123 4567" ≠ "91234567"). A contact without a phone number cannot be ' +
      'found by one. What the complainant wrote into a complaint\'s text is not a contact and is not erased. A contact ' +
      'filed with the number after the erasure is sealed under a new key, and a later erasure counts it. ' +
      'Answers `{ erased }`: how many cases became unreadable — 0 when the number has nothing (left) to erase.',
  })
  @ApiBody({ schema: erasePersonalDataSchema.schema })
  @ApiResponse({ status: 200, description: '{ erased: <number of cases whose contact became unreadable> }; again: { erased: 0 }' })
  @ApiResponse({ status: 400, description: 'phone is missing, longer than 32 characters, or holds no digit' })
  async erase(@Body(new SchemaPipe(erasePersonalDataSchema)) body: ErasePersonalDataBody): Promise<{ erased: number }> {
    return { erased: await this.vault.erase(body.phone) };
  }
}
