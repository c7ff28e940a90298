// Takes a step on a case (API.md "Cases: the shared rules"): the body checked, the caller authorised against
// the case's responsible unit before the step, defaults filled from the case as it is, named units checked, the
// deadline computed from the calendar, then one command through the command kit.
import { Injectable } from '@nestjs/common';
import { Conflict, Forbidden, NotFound, Refused, type CaseEventV1, type Decider } from '@minyi/contracts';
import { EARLIEST_MS, MAX_FUTURE_MS, stepRequestHash, type CaseCommand, type CaseEvent, type CaseState } from '@minyi/cases';
import { EventStore, foldStream, handleCommand, type RecordedEvent } from '@minyi/event-store';
import { actorOf, type Principal } from '@minyi/platform';
import { CaseAccess } from './case-access.js';
import { caseIdOf, type CaseKindApi } from './case-kind-api.js';
import { WorkingCalendars } from './working-calendars.js';

export interface StepRequest {
  /** The case id from the path (checked here). */
  caseId: string;
  step: string;
  body: unknown;
  principal: Principal;
  correlationId: string;
}

/** API.md: `{ id, stepId, status: "done" | "duplicate", state }`, `state` being the case's state after it (or now). */
export interface StepOutcome {
  id: string;
  stepId: string;
  status: 'done' | 'duplicate';
  state: string;
}

/** The stream moved between the authorising read and the command's own: authorise again. */
class StreamMoved extends Error {}

/** The kind's decider, refusing to decide on any other version of the stream than the one authorised. */
function pinnedTo(decider: Decider<CaseCommand, CaseState, CaseEvent>, version: number): Decider<CaseCommand, { inner: CaseState; version: number }, CaseEvent> {
  return {
    initialState: () => ({ inner: decider.initialState(), version: 0 }),
    evolve: (s, e) => ({ inner: decider.evolve(s.inner, e), version: s.version + 1 }),
    decide: (c, s) => {
      if (s.version !== version) throw new StreamMoved();
      return decider.decide(c, s.inner);
    },
  };
}

/** Rounds of read–authorise–decide when others keep writing to the same case. */
const ATTEMPTS = 10;

@Injectable()
export class CaseSteps {
  constructor(
    private readonly store: EventStore,
    private readonly access: CaseAccess,
    private readonly calendars: WorkingCalendars,
  ) {}

  async take(api: CaseKindApi, request: StepRequest): Promise<StepOutcome> {
    const { kind } = api;
    const compiled = api.steps.get(request.step);
    if (!compiled) throw new NotFound(`a ${kind.kind} has no step ${request.step}`);
    const caseId = caseIdOf(request.caseId);
    const { principal } = request;
    if (!this.access.mayTakeSteps(principal)) throw new Forbidden('steps need the admin token or a client with cases:write');
    const body = compiled.schema.parse(request.body);
    const { stepId, occurredAt: at, ...own } = body;
    const occurredAt = new Date(at);
    const requestHash = stepRequestHash(request.step, body);
    const rule = kind.steps[request.step];
    const streamId = kind.streamId(caseId);
    const now = new Date();

    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const events = await this.store.readStream(streamId);
      const state = foldStream(api.decider, events);
      if (!state.filed) throw new NotFound(`${kind.kind} ${caseId} does not exist`);
      const earlier = state.steps.get(stepId);
      const retry = earlier !== undefined && earlier.step === request.step && earlier.requestHash === requestHash;
      // A retry is judged as the first was: against the responsible unit before that step.
      await this.access.authoriseStep(principal, retry ? responsibleBefore(events, stepId) : state.status.responsibleUnitId);

      let fields: Record<string, unknown> = own;
      let dueAt: string | null | undefined;
      if (earlier === undefined) {
        fields = compiled.defaults ? compiled.defaults(own, state.status) : own;
        for (const f of compiled.unitFields ?? []) {
          const unitId = own[f];
          if (typeof unitId === 'string' && (await this.access.unitPath(unitId)) === null) {
            throw new Refused(`unit ${unitId} does not exist`, [{ path: f, message: 'no such unit' }]);
          }
        }
        // An instant the decider will refuse (422) sets no deadline: there is nothing to count from.
        const t = occurredAt.getTime();
        if (rule.deadline && compiled.deadlineDays && t >= EARLIEST_MS && t <= now.getTime() + MAX_FUTURE_MS) {
          dueAt = (await this.calendars.deadlineAfter(occurredAt, Number(fields[compiled.deadlineDays]))).dueAt;
        }
      }
      const command: CaseCommand = { type: 'step', caseId, step: request.step, stepId, occurredAt, fields, requestHash, now, dueAt };
      try {
        const r = await handleCommand(this.store, streamId, pinnedTo(api.decider, events.length), command, {
          actor: actorOf(principal),
          correlationId: request.correlationId,
          now,
          requestHash,
        });
        const after = r.state.inner;
        return { id: caseId, stepId, status: r.events.length > 0 ? 'done' : 'duplicate', state: after.filed ? after.status.state : '' };
      } catch (err) {
        if (!(err instanceof StreamMoved)) throw err;
      }
    }
    throw new Conflict(`${kind.kind} ${caseId} is being changed by others at the same time; retry`);
  }
}

/** The responsible unit just before the step `stepId` (the status of the event before it). */
function responsibleBefore(events: readonly RecordedEvent[], stepId: string): string {
  const i = events.findIndex((e) => (e.data as CaseEventV1<unknown>).stepId === stepId);
  return (events[Math.max(0, i - 1)].data as CaseEventV1<unknown>).status.responsibleUnitId;
}
