// Files a case (API.md "Cases: the shared rules"): the caller authorised for the channel and the unit, then the
// filing decided once under its id — the same content again is a duplicate, other content 409. The kind's own
// handler validates its body and hashes it as sent; the fields it stores (sealed contact details) are made only
// once the filing is known to be new, so a duplicate or a refusal seals nothing.
import { Injectable } from '@nestjs/common';
import { caseDecider, type CaseKindDefinition } from '@minyi/cases';
import { EventStore, foldStream, handleCommand } from '@minyi/event-store';
import { actorOf, type ClientScope, type Principal } from '@minyi/platform';
import { CaseAccess } from './case-access.js';

export interface FilingRequest {
  caseId: string;
  unitId: string;
  category: string | null;
  occurredAt: Date;
  /**
   * The hash of the request as sent (never of what is stored from it: sealed text differs each time). A function
   * when computing it has effects (a contact's keyed digest makes the subject's key): it is then called only after
   * the caller was authorised and the filing was not refused.
   */
  requestHash: string | (() => Promise<string>);
  /** The fields the event records; called only for a filing that is new. */
  fields: () => Promise<Record<string, unknown>>;
  principal: Principal;
  /** The channel's scope a client needs (`complaints:write`). */
  scope: ClientScope;
  correlationId: string;
}

/** API.md: 202 `{ id, status: "accepted" }`, or 200 `{ id, status: "duplicate" }`. */
export interface FilingOutcome {
  id: string;
  status: 'accepted' | 'duplicate';
}

@Injectable()
export class CaseFiling {
  private readonly deciders = new Map<CaseKindDefinition, ReturnType<typeof caseDecider>>();

  constructor(
    private readonly store: EventStore,
    private readonly access: CaseAccess,
  ) {}

  async file(kind: CaseKindDefinition, request: FilingRequest): Promise<FilingOutcome> {
    await this.access.authoriseFiling(request.principal, request.scope, request.unitId);
    const decider = this.deciderOf(kind);
    const streamId = kind.streamId(request.caseId);
    const now = new Date();
    const base = {
      type: 'file' as const,
      caseId: request.caseId,
      unitId: request.unitId,
      category: request.category,
      occurredAt: request.occurredAt,
      now,
      checkAge: true,
    };
    const before = foldStream(decider, await this.store.readStream(streamId));
    // A new filing's instant is judged before its hash is made (a refusal makes nothing).
    if (!before.filed) decider.decide({ ...base, requestHash: '', fields: {} }, before);
    const requestHash = typeof request.requestHash === 'string' ? request.requestHash : await request.requestHash();
    const command = { ...base, requestHash };
    // Judged first without its fields: a duplicate answers at once, a clash or a refused instant throws.
    if (decider.decide({ ...command, fields: {} }, before).length === 0) return { id: request.caseId, status: 'duplicate' };
    const fields = await request.fields();
    const r = await handleCommand(this.store, streamId, decider, { ...command, fields }, {
      actor: actorOf(request.principal),
      correlationId: request.correlationId,
      now,
      requestHash,
    });
    return { id: request.caseId, status: r.events.length > 0 ? 'accepted' : 'duplicate' };
  }

  private deciderOf(kind: CaseKindDefinition) {
    let d = this.deciders.get(kind);
    if (!d) this.deciders.set(kind, (d = caseDecider(kind)));
    return d;
  }
}
