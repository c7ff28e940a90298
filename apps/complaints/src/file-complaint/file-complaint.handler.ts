// Files a complaint: the caller authorised for complaints:write and the unit, the text kept exactly as sent, the
// contact sealed (never stored plain) once the filing is known to be new; a retry told from a clash by the hash of
// the body with the contact as the vault's keyed digest (libs/personal-data contact-filing.ts).
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CaseFiling, type FilingOutcome } from '@minyi/case-api';
import { contactFilingHash, PersonalDataVault } from '@minyi/personal-data';
import type { Principal } from '@minyi/platform';
import { complaintKind } from '../domain/complaint.kind.js';
import type { FileComplaintBody } from './file-complaint.schema.js';

export class FileComplaint {
  constructor(
    readonly body: FileComplaintBody,
    readonly principal: Principal,
    readonly correlationId: string,
  ) {}
}

@CommandHandler(FileComplaint)
export class FileComplaintHandler implements ICommandHandler<FileComplaint, FilingOutcome> {
  constructor(
    private readonly filing: CaseFiling,
    private readonly vault: PersonalDataVault,
  ) {}

  async execute({ body, principal, correlationId }: FileComplaint): Promise<FilingOutcome> {
    return this.filing.file(complaintKind, {
      caseId: body.id,
      unitId: body.unitId,
      category: body.category,
      occurredAt: new Date(body.occurredAt),
      requestHash: () => contactFilingHash(body, this.vault),
      fields: async () => ({ channel: body.channel, text: body.text, contact: body.contact ? await this.vault.seal(body.contact) : null }),
      principal,
      scope: 'complaints:write',
      correlationId,
    });
  }
}
