// The follow-up reactor in given/when/then on real PostgreSQL: which ratings open a follow-up (and with which
// deadline), what an invalid verification and an administrator's void cause — each spec also redelivers the
// whole log from its start and finds nothing new.
import { caseDecider, type CaseCommand, type CaseEvent } from '@minyi/cases';
import { ReactorSpecification, useTestStore, type LogEntry, type TestStore } from '@minyi/testing';
import { followUpKind } from '../domain/followup.kind.js';
import { followUpReactionTo } from '../domain/followup.reactions.js';
import { followUpReactor } from './followup.reactor.js';

let t: TestStore;
useTestStore((s) => (t = s));
const spec = ReactorSpecification.for(followUpReactor, () => t);

// 2026-09-30 is a Wednesday; 国庆: 1–7 October off, Sunday 27 September and Saturday 10 October worked (调休).
const AT = '2026-09-30T10:00:00+08:00';
const calendar: LogEntry = {
  streamId: 'calendar-2026',
  type: 'CalendarYearSet',
  data: { year: 2026, holidays: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'], workdays: ['2026-09-27', '2026-10-10'] },
  occurredAt: new Date('2026-01-05T00:00:00Z'),
  unitId: null,
};
// Five working days after 30 September: 8, 9, 10 (Saturday, worked), 12, 13 October; due at the end of the 13th.
const DUE_5 = '2026-10-14T00:00:00+08:00';

/** A fixed event id per rating, so that a fixture can name the reactor's commands it caused. */
const eventIdOf = (id: string) => `00000000-0000-4000-8000-${Buffer.from(id.padEnd(6, '_')).toString('hex').slice(0, 12)}`;

function rating(id: string, score: number, over: { source?: string; serviceType?: string | null; at?: string; officerId?: string | null } = {}): LogEntry {
  return {
    eventId: eventIdOf(id),
    streamId: `rating-${id}`,
    type: 'RatingSubmitted',
    data: { ratingId: id, terminalId: 't1', windowId: 'w1', unitId: 'st-1', score, officerId: over.officerId === undefined ? 'o1' : over.officerId, serviceType: over.serviceType === undefined ? '户籍办理' : over.serviceType, reasons: [], comment: null, source: over.source ?? 'terminal' },
    occurredAt: new Date(over.at ?? AT),
    unitId: 'st-1',
    metadata: { actor: 'terminal:t1', correlationId: `corr-${id}`, requestHash: `h-${id}` },
  };
}

const voidedByAdmin = (id: string, reason = '评价器故障导致的误触', score = 1): LogEntry => ({
  streamId: `rating-${id}`,
  type: 'RatingVoided',
  data: { ratingId: id, reason, rating: { score, occurredAt: new Date(AT).toISOString(), windowId: 'w1', unitId: 'st-1', officerId: 'o1' } },
  occurredAt: new Date('2026-10-02T09:00:00+08:00'),
  unitId: 'st-1',
  metadata: { actor: 'admin', correlationId: 'corr-void' },
});

const followUps = caseDecider(followUpKind);
/** The follow-up of rating `id` (score 1) as the reactor opens it, then these steps (taken as a client would), as log entries. */
function followUp(id: string, steps: [string, Record<string, unknown>, string][] = []): LogEntry[] {
  const now = new Date('2026-12-01T00:00:00Z');
  const cause = rating(id, 1);
  const open = followUpReactionTo({ eventId: cause.eventId!, type: cause.type, data: cause.data, occurredAt: cause.occurredAt }, 5);
  if (open?.type !== 'OpenFollowUp') throw new Error('a rating of 1 opens a follow-up');
  const hashes = [open.command.requestHash];
  const events: CaseEvent[] = followUps.decide({ ...open.command, now, dueAt: DUE_5 }, followUps.initialState());
  for (const [step, fields, at] of steps) {
    const state = events.reduce((s, e, i) => followUps.evolve(s, { ...e, occurredAt: e.occurredAt!, requestHash: hashes[i] }), followUps.initialState());
    const command: CaseCommand = { type: 'step', caseId: id, step, stepId: `${step}-1`, occurredAt: new Date(at), fields, requestHash: `h-${step}`, now };
    events.push(...followUps.decide(command, state));
    hashes.push(`h-${step}`);
  }
  return events.map((e, i) => ({
    streamId: `followup-${id}`,
    type: e.type,
    data: e.data,
    occurredAt: e.occurredAt!,
    unitId: e.unitId ?? null,
    metadata: i === 0 ? { actor: 'terminal:t1', correlationId: `corr-${id}`, causationId: cause.eventId!, requestHash: hashes[i] } : { actor: 'client:desk', correlationId: 'corr-step', requestHash: hashes[i] },
  }));
}
const invalid = (id: string) => followUp(id, [['verify', { valid: false, reason: '申诉复核：恶意差评' }, '2026-10-08T10:00:00+08:00']]);

describe('a bad rating opens its follow-up', () => {
  it('given the calendar, when a terminal’s rating of 1 is in the log, then its follow-up is open at its unit, due 5 working days after it', async () => {
    await spec.given([calendar]).when([rating('r1', 1)]).then({
      'rating-r1': ['RatingSubmitted'],
      'followup-r1': [
        {
          type: 'FollowUpOpened',
          occurredAt: new Date(AT),
          unitId: 'st-1',
          data: {
            caseId: 'r1',
            filedAt: new Date(AT).toISOString(),
            filedUnitId: 'st-1',
            category: '户籍办理',
            status: { state: 'open', responsibleUnitId: 'st-1', dueAt: DUE_5, handled: false, excluded: false },
            fields: { ratingId: 'r1', windowId: 'w1', officerId: 'o1', score: 1, dueInWorkingDays: 5 },
          },
          metadata: { actor: 'terminal:t1', correlationId: 'corr-r1' },
        },
      ],
    });
    const [cause] = await t.store.readStream('rating-r1');
    const [opened] = await t.store.readStream('followup-r1');
    expect(opened.metadata.causationId).toBe(cause.eventId);
  });

  it('when a rating of 2 came in a terminal’s batch, without a service type or officer, then it opens one too (category null)', async () => {
    await spec.given([]).when([rating('r2', 2, { source: 'batch', serviceType: null, officerId: null })]).then({
      'followup-r2': [{ type: 'FollowUpOpened', data: { category: null, fields: { score: 2, officerId: null }, status: { state: 'open' } } }],
    });
  });

  it('when a rating of 1 was imported, then no follow-up opens (the old system kept its own)', async () => {
    await spec.given([]).when([rating('r3', 1, { source: 'import' })]).thenNothingHappened();
  });

  it('when ratings of 3, 4 and 5 come from terminals, then none opens a follow-up', async () => {
    await spec.given([]).when([rating('r4', 3), rating('r5', 4, { source: 'batch' }), rating('r6', 5)]).thenNothingHappened();
  });

  it('when MINYI_FOLLOWUP_DUE_DAYS is 1, then the deadline is the end of the first working day after the rating (the holiday skipped)', async () => {
    const days1 = ReactorSpecification.for(followUpReactor, () => t, { env: { MINYI_FOLLOWUP_DUE_DAYS: '1' } });
    await days1.given([calendar]).when([rating('r7', 1)]).then({
      'followup-r7': [{ type: 'FollowUpOpened', data: { status: { dueAt: '2026-10-09T00:00:00+08:00' }, fields: { dueInWorkingDays: 1 } } }],
    });
  });

  it('when no calendar was ever set, then working days are Monday to Friday', async () => {
    // Wednesday 30 September + 5: 1, 2, 5, 6, 7 October.
    await spec.given([]).when([rating('r8', 1)]).then({ 'followup-r8': [{ type: 'FollowUpOpened', data: { status: { dueAt: '2026-10-08T00:00:00+08:00' } } }] });
  });
});

describe('a follow-up found invalid voids its rating', () => {
  it('given an open follow-up, when it is verified invalid, then the rating is voided with that reason, caused by the verification, and the follow-up stays invalid', async () => {
    await spec.given([rating('r1', 1), ...followUp('r1')]).when(invalid('r1').slice(1)).then({
      'rating-r1': ['RatingSubmitted', { type: 'RatingVoided', unitId: 'st-1', data: { ratingId: 'r1', reason: '申诉复核：恶意差评', rating: { score: 1, windowId: 'w1', unitId: 'st-1', officerId: 'o1' } }, metadata: { actor: 'client:desk', correlationId: 'corr-step', requestHash: expect.any(String) } }],
      'followup-r1': ['FollowUpOpened', { type: 'FollowUpVerified', data: { status: { state: 'invalid', excluded: true } } }],
    });
    const verified = (await t.store.readStream('followup-r1'))[1];
    const voided = (await t.store.readStream('rating-r1'))[1];
    expect(voided.metadata.causationId).toBe(verified.eventId);
  });

  it('given an open follow-up, when it is verified valid, then nothing follows', async () => {
    const valid = followUp('r1', [['verify', { valid: true, reason: null }, '2026-10-08T10:00:00+08:00']]);
    await spec.given([rating('r1', 1), ...valid.slice(0, 1)]).when(valid.slice(1)).thenNothingHappened();
  });

  it('given an administrator’s void and an invalid verification that raced it (both in the log before the reactor saw either), then the rating is voided once, with the administrator’s reason, and the follow-up stays invalid', async () => {
    await spec.given([rating('r1', 1), ...followUp('r1'), voidedByAdmin('r1'), ...invalid('r1').slice(1)]).then({
      'rating-r1': ['RatingSubmitted', { type: 'RatingVoided', data: { reason: '评价器故障导致的误触' } }],
      'followup-r1': ['FollowUpOpened', { type: 'FollowUpVerified', data: { status: { state: 'invalid' } } }],
    });
  });
});

describe('a rating voided by the administrator voids its follow-up', () => {
  it('given an open follow-up, when the administrator voids the rating, then the follow-up’s system step void is taken with the reason (stepId from the void)', async () => {
    await spec.given([rating('r1', 1), ...followUp('r1')]).when([voidedByAdmin('r1')]).then({
      'followup-r1': ['FollowUpOpened', { type: 'FollowUpVoided', occurredAt: new Date('2026-10-02T09:00:00+08:00'), data: { fields: { reason: '评价器故障导致的误触' }, status: { state: 'voided', excluded: true } }, metadata: { actor: 'admin' } }],
    });
    const [, voided] = await t.store.readStream('rating-r1');
    const [, step] = await t.store.readStream('followup-r1');
    expect(step.data).toMatchObject({ stepId: `void-${voided.eventId}` });
    expect(step.metadata.causationId).toBe(voided.eventId);
  });

  it('given a rectified and called-back follow-up, when the rating is voided, then it is voided — no earlier than its latest step', async () => {
    const steps = followUp('r1', [
      ['rectify', { summary: '增设叫号提示' }, '2026-10-05T10:00:00+08:00'],
      ['callback', { score: 4 }, '2026-10-06T10:00:00+08:00'],
    ]);
    await spec.given([rating('r1', 1), ...steps]).when([voidedByAdmin('r1')]).then({
      'followup-r1': ['FollowUpOpened', 'FollowUpRectified', 'FollowUpCalledBack', { type: 'FollowUpVoided', occurredAt: new Date('2026-10-06T10:00:00+08:00'), data: { status: { state: 'voided', handled: true } } }],
    });
  });

  it('given a follow-up found invalid, when the rating’s void (caused by it) is in the log, then the follow-up stays invalid', async () => {
    await spec.given([rating('r1', 1), ...invalid('r1')]).then({
      'rating-r1': ['RatingSubmitted', 'RatingVoided'],
      'followup-r1': ['FollowUpOpened', 'FollowUpVerified'],
    });
  });

  it('when the administrator voids a rating that never had a follow-up, then nothing follows', async () => {
    await spec.given([rating('r9', 4)]).when([voidedByAdmin('r9', '误触', 4)]).thenNothingHappened();
  });

  it('when a bad rating is voided before the reactor saw it, then its follow-up opens and is voided at once, in log order', async () => {
    await spec.given([]).when([rating('r1', 1), voidedByAdmin('r1')]).then({ 'followup-r1': ['FollowUpOpened', { type: 'FollowUpVoided', data: { status: { state: 'voided' } } }] });
  });
});
