// Records a hazard (治安隐患) found on a visit or otherwise: the caller authorised for visits:write and the unit, the
// visit it names checked, then the case filed once under its id (the same content again a duplicate, other 409).
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { contentHash } from '@minyi/contracts';
import { CaseFiling, type FilingOutcome } from '@minyi/case-api';
import type { Principal } from '@minyi/platform';
import { RecordedVisits } from '../application/recorded-visits.js';
import { hazardKind } from '../domain/hazard.kind.js';
import type { FileHazardBody } from './file-hazard.schema.js';

export class FileHazard {
  constructor(
    readonly body: FileHazardBody,
    readonly principal: Principal,
    readonly correlationId: string,
  ) {}
}

@CommandHandler(FileHazard)
export class FileHazardHandler implements ICommandHandler<FileHazard, FilingOutcome> {
  constructor(
    private readonly filing: CaseFiling,
    private readonly visits: RecordedVisits,
  ) {}

  async execute({ body, principal, correlationId }: FileHazard): Promise<FilingOutcome> {
    const visitId = body.visitId ?? null;
    return this.filing.file(hazardKind, {
      caseId: body.id,
      unitId: body.unitId,
      category: body.kind,
      occurredAt: new Date(body.occurredAt),
      // Absent and null alike; the instant, not its spelling.
      requestHash: contentHash({ id: body.id, unitId: body.unitId, kind: body.kind, visitId, location: body.location ?? null, occurredAt: new Date(body.occurredAt).toISOString() }),
      fields: async () => {
        await this.visits.mustExist(visitId);
        return { visitId, location: body.location ?? null };
      },
      principal,
      scope: 'visits:write',
      correlationId,
    });
  }
}
