// Records a dispute (矛盾纠纷) found on a visit or otherwise: the caller authorised for visits:write and the unit, the
// visit it names checked, then the case filed once under its id (the same content again a duplicate, other 409).
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { contentHash } from '@minyi/contracts';
import { CaseFiling, type FilingOutcome } from '@minyi/case-api';
import type { Principal } from '@minyi/platform';
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

  async execute({ body, principal, correlationId }: FileDispute): Promise<FilingOutcome> {
    const visitId = body.visitId ?? null;
    return this.filing.file(disputeKind, {
      caseId: body.id,
      unitId: body.unitId,
      category: body.kind,
      occurredAt: new Date(body.occurredAt),
      // Absent and null alike; the instant, not its spelling.
      requestHash: contentHash({ id: body.id, unitId: body.unitId, kind: body.kind, visitId, summary: body.summary ?? null, occurredAt: new Date(body.occurredAt).toISOString() }),
      fields: async () => {
        await this.visits.mustExist(visitId);
        return { visitId, summary: body.summary ?? null };
      },
      principal,
      scope: 'visits:write',
      correlationId,
    });
  }
}
