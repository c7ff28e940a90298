// Files a complaint: the caller authorised for complaints:write and the unit, the text kept exactly as sent, the
// contact sealed (never stored plain) once the filing is known to be new. A retry is told from a clash by the
// hash of the body as sent, contact included — never by the ciphertext, which differs each time.
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { contentHash } from '@minyi/contracts';
import { CaseFiling, type FilingOutcome } from '@minyi/case-api';
import { PersonalDataVault } from '@minyi/personal-data';
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

/** The body as a retry must match it: the instant, not its spelling; a null contact as none. */
export function filingHashOf(body: FileComplaintBody): string {
  const { contact, ...rest } = body;
  return contentHash({ ...rest, contact: contact ?? undefined, occurredAt: new Date(body.occurredAt).toISOString() });
}

@CommandHandler(FileComplaint)
export class FileComplaintHandler implements ICommandHandler<FileComplaint, FilingOutcome> {
  constructor(
    private readonly filing: CaseFiling,
    private readonly vault: PersonalDataVault,
  ) {}

  execute({ body, principal, correlationId }: FileComplaint): Promise<FilingOutcome> {
    return this.filing.file(complaintKind, {
      caseId: body.id,
      unitId: body.unitId,
      category: body.category,
      occurredAt: new Date(body.occurredAt),
      requestHash: filingHashOf(body),
      fields: async () => ({ channel: body.channel, text: body.text, contact: body.contact ? await this.vault.seal(body.contact) : null }),
      principal,
      scope: 'complaints:write',
      correlationId,
    });
  }
}
