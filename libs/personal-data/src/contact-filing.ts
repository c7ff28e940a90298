// What every case kind that keeps a contact (complaints, opinions) does with it at filing and at reading, written
// once: a retry told from a clash by a hash in which the contact enters only as the vault's keyed digest, and the
// filed fields shown with the contact opened for those who may see it (API.md "Personal data").
import { Injectable } from '@nestjs/common';
import { contentHash, type SealedContactV1 } from '@minyi/contracts';
import { PersonalDataVault, type Contact } from './personal-data.vault.js';

/** A contact as a filing's request sends it (API.md: complaints, opinions); absent or null: none. */
export const contactRequestSchema = {
  type: ['object', 'null'],
  additionalProperties: false,
  minProperties: 1,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 64, example: '张女士' },
    phone: { type: 'string', minLength: 1, maxLength: 32, example: '13800138000' },
  },
} as const;

/**
 * The body as a retry must match it: the instant, not its spelling; a null contact as none; the contact as its
 * keyed digest (under the subject's key, which erasure deletes — after an erasure a retry is a 409, not a
 * duplicate). A plain hash of a body whose other fields are all in the event would give the phone back to anyone
 * hashing candidate numbers, erased or not.
 */
export async function contactFilingHash<B extends { occurredAt: string; contact?: Contact | null }>(body: B, vault: Pick<PersonalDataVault, 'digestOf'>): Promise<string> {
  const { contact, ...rest } = body;
  return contentHash({ ...rest, contact: contact ? await vault.digestOf(contact) : undefined, occurredAt: new Date(body.occurredAt).toISOString() });
}

/**
 * Shows a case's filed fields: the contact opened for callers allowed it (`contact: null, contactErased: true` once
 * erased), left out for everyone else. A case presenter (libs/case-api CasePresenter) for kinds with a contact.
 */
@Injectable()
export class ContactPresenter {
  constructor(private readonly vault: PersonalDataVault) {}

  async filedFields(fields: Record<string, unknown>, access: { contact: boolean }): Promise<Record<string, unknown>> {
    const { contact, ...shown } = fields;
    if (!access.contact) return shown;
    const opened = await this.vault.open((contact ?? null) as SealedContactV1 | null);
    return { ...shown, contact: opened.contact, contactErased: opened.erased };
  }
}
