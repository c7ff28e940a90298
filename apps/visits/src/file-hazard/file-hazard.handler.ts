// Records a hazard (治安隐患) found on a visit or otherwise: the caller authorised for visits:write and the unit, the
// visit it names checked, then the case filed once under its id (the same content again a duplicate, other 409).
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CaseFiling, type FilingOutcome } from '@minyi/case-api';
import type { Principal } from '@minyi/platform';
import { foundCaseFiling } from '../application/found-case-filing.js';
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

  execute({ body, principal, correlationId }: FileHazard): Promise<FilingOutcome> {
    return this.filing.file(hazardKind, foundCaseFiling(body, { location: body.location ?? null }, this.visits, principal, correlationId));
  }
}
