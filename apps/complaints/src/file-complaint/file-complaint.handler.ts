// Files a complaint: the caller authorised for complaints:write and the unit, the text kept exactly as sent, the
// contact sealed (never stored plain) once the filing is known to be new. A retry is told from a clash by the
// hash of the body, whose contact enters only as the vault's keyed digest: a plain hash of a body whose other
// fields are all in the event would give the phone back to anyone hashing candidate numbers, erased or not.
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

/**
 * The body as a retry must match it: the instant, not its spelling; a null contact as none; the contact as its
 * keyed digest (under the subject's key, which erasure deletes — after an erasure a retry is a 409, not a duplicate).
 */
export async function filingHashOf(body: FileComplaintBody, vault: Pick<PersonalDataVault, 'digestOf'>): Promise<string> {
  const { contact, ...rest } = body;
  return contentHash({ ...rest, contact: contact ? await vault.digestOf(contact) : undefined, occurredAt: new Date(body.occurredAt).toISOString() });
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
      requestHash: () => filingHashOf(body, this.vault),
      fields: async () => ({ channel: body.channel, text: body.text, contact: body.contact ? await this.vault.seal(body.contact) : null }),
      principal,
      scope: 'complaints:write',
      correlationId,
    });
  }
}
