// Records a dispute (矛盾纠纷) found on a visit or otherwise: the caller authorised for visits:write and the unit, the
// visit it names checked, then the case filed once under its id (the same content again a duplicate, other 409).
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CaseFiling, type FilingOutcome } from '@minyi/case-api';
import type { Principal } from '@minyi/platform';
import { foundCaseFiling } from '../application/found-case-filing.js';
import { RecordedVisits } from '../application/recorded-visits.js';
import { disputeKind } from '../domain/dispute.kind.js';
import type { FileDisputeBody } from './file-dispute.schema.js';

export class FileDispute {
  constructor(
    readonly body: FileDisputeBody,
    readonly principal: Principal,
    readonly correlationId: string,
  ) {}
}

@CommandHandler(FileDispute)
export class FileDisputeHandler implements ICommandHandler<FileDispute, FilingOutcome> {
  constructor(
    private readonly filing: CaseFiling,
    private readonly visits: RecordedVisits,
  ) {}

  execute({ body, principal, correlationId }: FileDispute): Promise<FilingOutcome> {
    return this.filing.file(disputeKind, foundCaseFiling(body, { summary: body.summary ?? null }, this.visits, principal, correlationId));
  }
}
