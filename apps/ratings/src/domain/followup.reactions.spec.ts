// The follow-up reactor's decisions, pure: which events cause which command, named by their cause; and the system's
// void of a follow-up in given/when/then.
import { caseDecider, type CaseCommand, type CaseEvent } from '@minyi/cases';
import { DeciderSpecification } from '@minyi/testing';
import { followUpKind } from './followup.kind.js';
import { followUpReactionTo, voidFollowUpDecider, type ReactionCause } from './followup.reactions.js';

const AT = new Date('2026-11-02T09:00:00+08:00');
const submitted = (score: number, source = 'terminal'): ReactionCause => ({
  eventId: 'e-1',
  type: 'RatingSubmitted',
  occurredAt: AT,
  data: { ratingId: 'r1', terminalId: 't1', windowId: 'w1', unitId: 'st-1', score, officerId: null, serviceType: '户籍办理', reasons: [], comment: null, source },
});

describe('which events cause what', () => {
  it.each([
    [1, 'terminal', true],
    [2, 'batch', true],
    [1, 'import', false],
    [3, 'terminal', false],
    [5, 'batch', false],
  ])('when a rating of %i arrives through %s, then a follow-up opens: %s', (score, source, opens) => {
    const r = followUpReactionTo(submitted(score, source), 5);
    if (!opens) return void expect(r).toBeNull();
    expect(r).toMatchObject({ type: 'OpenFollowUp', ratingId: 'r1', dueInWorkingDays: 5, command: { caseId: 'r1', unitId: 'st-1', category: '户籍办理', occurredAt: AT, checkAge: false, fields: { ratingId: 'r1', windowId: 'w1', officerId: null, score, dueInWorkingDays: 5 } } });
  });

  it('when the same rating is seen again, then the opening is the same command (named by the rating’s event), whatever the due days by then', () => {
    const a = followUpReactionTo(submitted(1), 5);
    const b = followUpReactionTo(submitted(1), 9);
    const other = followUpReactionTo({ ...submitted(1), eventId: 'e-2' }, 5);
    expect(a?.type === 'OpenFollowUp' && b?.type === 'OpenFollowUp' && a.command.requestHash === b.command.requestHash).toBe(true);
    expect(a?.type === 'OpenFollowUp' && other?.type === 'OpenFollowUp' && a.command.requestHash !== other.command.requestHash).toBe(true);
  });

  it('when a rating is voided, then its follow-up’s void step is named by the void event', () => {
    const r = followUpReactionTo({ eventId: 'v-9', type: 'RatingVoided', occurredAt: AT, data: { ratingId: 'r1', reason: '误触', rating: {} } }, 5);
    expect(r).toMatchObject({ type: 'VoidFollowUp', ratingId: 'r1', command: { type: 'step', step: 'void', stepId: 'void-v-9', fields: { reason: '误触' }, occurredAt: AT } });
  });

  it('when a follow-up is verified invalid, then its rating is voided with the reason; valid, nothing', () => {
    const verified = (valid: boolean) => ({ eventId: 'f-1', type: 'FollowUpVerified', occurredAt: AT, data: { caseId: 'r1', status: { state: valid ? 'verified' : 'invalid' }, stepId: 's1', fields: { valid, reason: valid ? null : '恶意差评' } } });
    expect(followUpReactionTo(verified(false), 5)).toEqual({ type: 'VoidRating', ratingId: 'r1', reason: '恶意差评' });
    expect(followUpReactionTo(verified(true), 5)).toBeNull();
  });
});

describe('the system’s void of a follow-up (given / when / then)', () => {
  const decider = caseDecider(followUpKind);
  const spec = DeciderSpecification.for(voidFollowUpDecider);
  const now = new Date('2026-11-10T00:00:00Z');
  const open = decider.decide({ type: 'file', caseId: 'r1', unitId: 'st-1', category: null, occurredAt: AT, fields: { ratingId: 'r1', windowId: 'w1', officerId: null, score: 1, dueInWorkingDays: 5 }, requestHash: 'f', now, checkAge: false }, decider.initialState());
  const after = (events: CaseEvent[], step: string, fields: Record<string, unknown>, at: Date): CaseEvent[] => {
    const state = events.reduce((s, e) => decider.evolve(s, { ...e, occurredAt: e.occurredAt! }), decider.initialState());
    return [...events, ...decider.decide({ type: 'step', caseId: 'r1', step, stepId: `${step}-1`, occurredAt: at, fields, requestHash: step, now }, state)];
  };
  const voidAt = (at: Date): CaseCommand => ({ type: 'step', caseId: 'r1', step: 'void', stepId: 'void-v1', occurredAt: at, fields: { reason: '误触' }, requestHash: 'v', now });

  it('given no follow-up (a rating that never had one), when the void comes, then nothing happens', () => {
    spec.given([]).when(voidAt(AT)).thenNothingHappened();
  });

  it('given a follow-up found invalid, when the void (its own doing) comes, then nothing happens', () => {
    spec.given(after(open, 'verify', { valid: false, reason: '恶意差评' }, new Date(AT.getTime() + 60_000))).when(voidAt(now)).thenNothingHappened();
  });

  it('given a voided follow-up, when another void comes, then nothing happens', () => {
    spec.given(after(open, 'void', { reason: 'x' }, AT)).when(voidAt(now)).thenNothingHappened();
  });

  it('given an open follow-up, when the void comes, then it is voided at the void’s instant', () => {
    spec.given(open).when(voidAt(new Date(AT.getTime() + 3_600_000))).then([{ type: 'FollowUpVoided', occurredAt: new Date(AT.getTime() + 3_600_000) }]);
  });

  it('given a step dated after the administrator’s void, when the void comes, then it is voided at that step’s instant, not refused', () => {
    const rectifiedAt = new Date(AT.getTime() + 7_200_000);
    spec.given(after(open, 'rectify', { summary: '整改' }, rectifiedAt)).when(voidAt(new Date(AT.getTime() + 3_600_000))).then((events) => {
      expect(events).toHaveLength(1);
      expect(events[0].occurredAt).toEqual(rectifiedAt);
      expect(events[0].data.status).toMatchObject({ state: 'voided', handled: true, excluded: true });
    });
  });
});
