// How a complaint's filed fields are shown: the contact opened for the admin and clients with cases:write
// covering the complaint (`contact: null, contactErased: true` once erased), left out for everyone else.
import { Injectable } from '@nestjs/common';
import type { SealedContactV1 } from '@minyi/contracts';
import type { CasePresenter, CaseReadAccess } from '@minyi/case-api';
import { PersonalDataVault } from '@minyi/personal-data';

@Injectable()
export class ComplaintPresenter implements CasePresenter {
  constructor(private readonly vault: PersonalDataVault) {}

  async filedFields(fields: Record<string, unknown>, access: CaseReadAccess): Promise<Record<string, unknown>> {
    const { contact, ...shown } = fields;
    if (!access.contact) return shown;
    const opened = await this.vault.open((contact ?? null) as SealedContactV1 | null);
    return { ...shown, contact: opened.contact, contactErased: opened.erased };
  }
}
