// Records a visit: the caller authorised for visits:write and the unit, a named officer checked against the unit
// tree (as a rating's is), then the fact decided once under its id — the same content again a duplicate, other
// content 409.
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { contentHash, isOfficerOfRelatedUnit, streamIds, type VisitRecordedV1 } from '@minyi/contracts';
import { CaseAccess, type FilingOutcome } from '@minyi/case-api';
import { EventStore, handleCommand } from '@minyi/event-store';
import { OrganisationDirectory } from '@minyi/organisation';
import { actorOf, type Principal } from '@minyi/platform';
import { visitDecider } from '../domain/visit.decider.js';
import type { RecordVisitBody } from './record-visit.schema.js';

export class RecordVisit {
  constructor(
    readonly body: RecordVisitBody,
    readonly principal: Principal,
    readonly correlationId: string,
  ) {}
}

/** The visit as its event records it: what a request leaves out is null. */
export function visitOf(body: RecordVisitBody): VisitRecordedV1 {
  return {
    visitId: body.id,
    unitId: body.unitId,
    officerId: body.officerId ?? null,
    target: { kind: body.target.kind, ref: body.target.ref ?? null },
    meeting: body.meeting ? { level: body.meeting.level, attendees: body.meeting.attendees } : null,
    notes: body.notes ?? null,
  };
}

/** A retry must match the first: the recorded fields (absent and null alike) and the instant, not its spelling. */
export function visitRequestHash(body: RecordVisitBody): string {
  return contentHash({ ...visitOf(body), occurredAt: new Date(body.occurredAt).toISOString() });
}

@CommandHandler(RecordVisit)
export class RecordVisitHandler implements ICommandHandler<RecordVisit, FilingOutcome> {
  constructor(
    private readonly store: EventStore,
    private readonly access: CaseAccess,
    private readonly directory: OrganisationDirectory,
  ) {}

  async execute({ body, principal, correlationId }: RecordVisit): Promise<FilingOutcome> {
    await this.access.authoriseFiling(principal, 'visits:write', body.unitId);
    const visit = visitOf(body);
    const now = new Date();
    const requestHash = visitRequestHash(body);
    const r = await handleCommand(
      this.store,
      streamIds.visit(body.id),
      visitDecider,
      { type: 'record', visit, occurredAt: new Date(body.occurredAt), requestHash, now, officerRelated: await this.officerRelated(visit) },
      { actor: actorOf(principal), correlationId, now, requestHash },
    );
    return { id: body.id, status: r.events.length > 0 ? 'accepted' : 'duplicate' };
  }

  /** null when none is named; false when there is no such officer or it is of an unrelated unit. */
  private async officerRelated(visit: VisitRecordedV1): Promise<boolean | null> {
    if (visit.officerId === null) return null;
    const officer = await this.directory.officer(visit.officerId);
    if (!officer) return false;
    const [unit, officerUnit] = await Promise.all([this.directory.unit(visit.unitId), this.directory.unit(officer.unitId)]);
    return !!unit && !!officerUnit && isOfficerOfRelatedUnit(unit.path, officerUnit.path);
  }
}
