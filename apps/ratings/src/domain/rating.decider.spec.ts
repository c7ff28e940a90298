import { Conflict, NotFound, Refused } from '@minyi/contracts';
import { decideSubmit, decideVoid, evolveRating, initialRatingState, type RatingContext, type SubmitRating } from './rating.decider.js';

const now = new Date('2026-11-22T08:00:00Z');
const ctx: RatingContext = { terminal: { terminalId: 't1', windowId: 'w1', unitId: 'u1' }, windowServiceTypes: [], officerExists: null, now };
const cmd = (over: Partial<SubmitRating> = {}): SubmitRating => ({
  ratingId: 'r1',
  score: 4,
  occurredAt: '2026-11-22T15:59:00+08:00',
  requestHash: 'h1',
  source: 'terminal',
  ...over,
});

function submitted(c = cmd()) {
  const d = decideSubmit(c, initialRatingState, ctx);
  if (d.outcome !== 'accepted') throw new Error('expected accepted');
  return evolveRating(initialRatingState, { ...d.event, requestHash: c.requestHash });
}

describe('rating decider', () => {
  it('when a new rating is submitted, then RatingSubmitted carries the window and unit of the terminal', () => {
    const d = decideSubmit(cmd({ officerId: 'o1' }), initialRatingState, { ...ctx, officerExists: true });
    expect(d.outcome).toBe('accepted');
    if (d.outcome !== 'accepted') return;
    expect(d.event.type).toBe('RatingSubmitted');
    expect(d.event.data).toMatchObject({ ratingId: 'r1', terminalId: 't1', windowId: 'w1', unitId: 'u1', score: 4, officerId: 'o1', reasons: [], comment: null });
    expect(d.event.occurredAt.toISOString()).toBe('2026-11-22T07:59:00.000Z');
  });

  it('given a submitted rating, when the same content comes again, then it is a duplicate', () => {
    expect(decideSubmit(cmd(), submitted(), ctx)).toEqual({ outcome: 'duplicate' });
  });

  it('given a submitted rating, when other content comes under its id, then it is a conflict', () => {
    expect(() => decideSubmit(cmd({ score: 1, requestHash: 'h2' }), submitted(), ctx)).toThrow(Conflict);
  });

  it('when occurredAt is more than 5 minutes ahead, then it is refused; 4 minutes ahead is accepted', () => {
    expect(() => decideSubmit(cmd({ occurredAt: '2026-11-22T08:05:01Z' }), initialRatingState, ctx)).toThrow(Refused);
    expect(decideSubmit(cmd({ occurredAt: '2026-11-22T08:04:00Z' }), initialRatingState, ctx).outcome).toBe('accepted');
  });

  it('when occurredAt is more than 90 days old, then a terminal rating is refused but an import is accepted', () => {
    const old = '2026-08-23T07:59:59Z';
    expect(() => decideSubmit(cmd({ occurredAt: old }), initialRatingState, ctx)).toThrow(Refused);
    expect(decideSubmit(cmd({ occurredAt: old, source: 'import' }), initialRatingState, ctx).outcome).toBe('accepted');
    expect(decideSubmit(cmd({ occurredAt: '2026-08-24T08:00:00Z' }), initialRatingState, ctx).outcome).toBe('accepted');
  });

  it('when the officer does not exist, then the rating is refused naming officerId', () => {
    try {
      decideSubmit(cmd({ officerId: 'ghost' }), initialRatingState, { ...ctx, officerExists: false });
      throw new Error('not refused');
    } catch (e) {
      expect(e).toBeInstanceOf(Refused);
      expect((e as Refused).errors[0].path).toBe('officerId');
    }
  });

  it('when the window lists service types and the rating names another, then it is refused', () => {
    const c = { ...ctx, windowServiceTypes: ['户籍办理'] };
    expect(() => decideSubmit(cmd({ serviceType: '出入境' }), initialRatingState, c)).toThrow(Refused);
    expect(decideSubmit(cmd({ serviceType: '户籍办理' }), initialRatingState, c).outcome).toBe('accepted');
  });

  it('given a submitted rating, when it is voided, then RatingVoided carries what it had counted for', () => {
    const d = decideVoid({ ratingId: 'r1', reason: '误触' }, submitted());
    expect(d).toEqual({
      outcome: 'voided',
      event: { type: 'RatingVoided', data: { ratingId: 'r1', reason: '误触', rating: { score: 4, occurredAt: '2026-11-22T07:59:00.000Z', windowId: 'w1', unitId: 'u1', officerId: null } } },
    });
  });

  it('given a voided rating, when it is voided again, then it is a duplicate; an unknown rating is not found', () => {
    const s = submitted();
    const v = decideVoid({ ratingId: 'r1', reason: 'x' }, s);
    if (v.outcome !== 'voided') throw new Error('expected voided');
    const voided = evolveRating(s, { type: v.event.type, data: v.event.data, occurredAt: now });
    expect(decideVoid({ ratingId: 'r1', reason: 'y' }, voided)).toEqual({ outcome: 'duplicate' });
    expect(() => decideVoid({ ratingId: 'zz', reason: 'y' }, initialRatingState)).toThrow(NotFound);
  });
});
