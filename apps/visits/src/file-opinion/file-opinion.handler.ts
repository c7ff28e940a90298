// Collects an opinion: the caller authorised for visits:write and the unit, the visit it names checked, the text
// kept exactly as sent, the contact sealed (never stored plain) once the filing is known to be new; a retry told
// from a clash by the hash of the body with the contact as the vault's keyed digest.
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CaseFiling, type FilingOutcome } from '@minyi/case-api';
import { contactFilingHash, PersonalDataVault } from '@minyi/personal-data';
import type { Principal } from '@minyi/platform';
import { RecordedVisits } from '../application/recorded-visits.js';
import { opinionKind } from '../domain/opinion.kind.js';
import type { FileOpinionBody } from './file-opinion.schema.js';

export class FileOpinion {
  constructor(
    readonly body: FileOpinionBody,
    readonly principal: Principal,
    readonly correlationId: string,
  ) {}
}

@CommandHandler(FileOpinion)
export class FileOpinionHandler implements ICommandHandler<FileOpinion, FilingOutcome> {
  constructor(
    private readonly filing: CaseFiling,
    private readonly vault: PersonalDataVault,
    private readonly visits: RecordedVisits,
  ) {}

  async execute({ body, principal, correlationId }: FileOpinion): Promise<FilingOutcome> {
    const visitId = body.visitId ?? null;
    return this.filing.file(opinionKind, {
      caseId: body.id,
      unitId: body.unitId,
      category: body.category,
      occurredAt: new Date(body.occurredAt),
      requestHash: () => contactFilingHash({ ...body, visitId }, this.vault),
      fields: async () => {
        await this.visits.mustExist(visitId);
        return { source: body.source, visitId, text: body.text, contact: body.contact ? await this.vault.seal(body.contact) : null };
      },
      principal,
      scope: 'visits:write',
      correlationId,
    });
  }
}
