import { Conflict, NotFound, Refused } from '@minyi/contracts';
import { DeciderSpecification } from '@minyi/testing';
import {
  decideSubmit,
  decideVoid,
  evolveRating,
  initialRatingState,
  isOfficerOfRelatedUnit,
  ratingDecider,
  type RatingCommand,
  type RatingContext,
  type RatingDomainEvent,
  type SubmitRating,
} from './rating.decider.js';

const now = new Date('2026-11-22T08:00:00Z');
const ctx: RatingContext = { terminal: { terminalId: 't1', windowId: 'w1', unitId: 'u1' }, windowServiceTypes: [], officerRelated: null, now };
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
    const d = decideSubmit(cmd({ officerId: 'o1' }), initialRatingState, { ...ctx, officerRelated: true });
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

  const outcomeAt = (occurredAt: string, source: SubmitRating['source'] = 'terminal') => {
    try {
      return decideSubmit(cmd({ occurredAt, source }), initialRatingState, ctx).outcome;
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
      return `refused: ${e.errors.map((x) => x.path).join()}`;
    }
  };

  // now is 2026-11-22T08:00:00Z: +5:00 is 08:05:00Z, 90 days back is 2026-08-24T08:00:00Z.
  it.each<[string, string, string]>([
    ['exactly 5 minutes ahead', '2026-11-22T08:05:00Z', 'accepted'],
    ['exactly 5 minutes ahead, in +08:00', '2026-11-22T16:05:00+08:00', 'accepted'],
    ['5 minutes and 1 ms ahead', '2026-11-22T08:05:00.001Z', 'refused: occurredAt'],
    ['5 minutes and 1 ms ahead, in -05:00', '2026-11-22T03:05:00.001-05:00', 'refused: occurredAt'],
    ['now', '2026-11-22T08:00:00Z', 'accepted'],
    ['exactly 90 days old', '2026-08-24T08:00:00Z', 'accepted'],
    ['exactly 90 days old, in +08:00', '2026-08-24T16:00:00+08:00', 'accepted'],
    ['90 days and 1 ms old', '2026-08-24T07:59:59.999Z', 'refused: occurredAt'],
    ['90 days and 1 ms old, in +08:00', '2026-08-24T15:59:59.999+08:00', 'refused: occurredAt'],
  ])('when a terminal rating occurred %s (%s), then it is %s', (_what, occurredAt, expected) => {
    expect(outcomeAt(occurredAt)).toBe(expected);
  });

  it('when an import is older than 90 days, then it is accepted down to 1900-01-01T00:00:00Z, and refused from 1 ms before; the 5-minute limit holds for it too', () => {
    expect(outcomeAt('2026-08-24T07:59:59.999Z', 'import')).toBe('accepted');
    expect(outcomeAt('1900-01-01T00:00:00Z', 'import')).toBe('accepted');
    expect(outcomeAt('1900-01-01T07:59:59+08:00', 'import')).toBe('refused: occurredAt');
    expect(outcomeAt('1899-12-31T23:59:59.999Z', 'import')).toBe('refused: occurredAt');
    expect(outcomeAt('1899-12-31T23:59:59Z', 'import')).toBe('refused: occurredAt');
    expect(outcomeAt('2026-11-22T08:05:00Z', 'import')).toBe('accepted');
    expect(outcomeAt('2026-11-22T08:05:00.001Z', 'import')).toBe('refused: occurredAt');
  });

  it('given a rating accepted at exactly 90 days, when the same content comes 1 ms later, then it is a duplicate, and other content a conflict — the clock is not looked at', () => {
    const edge = cmd({ occurredAt: '2026-08-24T08:00:00Z', requestHash: 'edge' });
    const stored = submitted(edge);
    const later = { ...ctx, now: new Date(now.getTime() + 1) };
    expect(() => decideSubmit(edge, initialRatingState, later)).toThrow(Refused);
    expect(decideSubmit(edge, stored, later)).toEqual({ outcome: 'duplicate' });
    expect(() => decideSubmit({ ...edge, score: 1, requestHash: 'other' }, stored, later)).toThrow(Conflict);
  });

  it.each<[string, boolean | null, boolean]>([
    ['names no officer', null, true],
    ['names an officer of a related unit', true, true],
    ['names an unknown or unrelated officer', false, false],
  ])('when a rating %s, then it is accepted only if the officer may be named', (_what, officerRelated, accepted) => {
    const c = cmd(officerRelated === null ? {} : { officerId: 'o1' });
    if (accepted) expect(decideSubmit(c, initialRatingState, { ...ctx, officerRelated }).outcome).toBe('accepted');
    else expect(() => decideSubmit(c, initialRatingState, { ...ctx, officerRelated })).toThrow(Refused);
  });

  it('when the officer is unknown or of an unrelated unit, then the refusal names officerId and does not tell the two apart', () => {
    try {
      decideSubmit(cmd({ officerId: 'ghost' }), initialRatingState, { ...ctx, officerRelated: false });
      throw new Error('not refused');
    } catch (e) {
      expect(e).toBeInstanceOf(Refused);
      expect((e as Refused).errors).toEqual([{ path: 'officerId', message: "is not an officer of the window's unit, or of a unit above or below it" }]);
      expect((e as Refused).message).not.toMatch(/exist/);
    }
  });

  it('when units are related up or down the tree, then their officers may be named; siblings and cousins may not', () => {
    const sz = ['sz'];
    const ft = ['sz', 'ft'];
    const ftXm = ['sz', 'ft', 'ft-xm'];
    const ns = ['sz', 'ns'];
    const nsYh = ['sz', 'ns', 'ns-yh'];
    expect(isOfficerOfRelatedUnit(ftXm, ftXm)).toBe(true); // the window's own unit
    expect(isOfficerOfRelatedUnit(ftXm, ft)).toBe(true); // above
    expect(isOfficerOfRelatedUnit(ftXm, sz)).toBe(true); // the root, above
    expect(isOfficerOfRelatedUnit(ft, ftXm)).toBe(true); // below
    expect(isOfficerOfRelatedUnit(sz, nsYh)).toBe(true); // below, two levels
    expect(isOfficerOfRelatedUnit(ftXm, ns)).toBe(false); // the uncle's branch
    expect(isOfficerOfRelatedUnit(ftXm, nsYh)).toBe(false); // a cousin
    expect(isOfficerOfRelatedUnit(ft, ns)).toBe(false); // a sibling
    expect(isOfficerOfRelatedUnit([], ftXm)).toBe(false);
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

// The same decisions as a decider value (the command kit's shape), in given/when/then.
const spec = DeciderSpecification.for(ratingDecider);
const context: RatingContext = { ...ctx, windowServiceTypes: ['户籍办理'] };
const submit = (over: Partial<SubmitRating> = {}): RatingCommand => ({
  type: 'SubmitRating',
  context,
  ratingId: 'r1',
  score: 2,
  occurredAt: '2026-11-22T15:59:00+08:00',
  serviceType: '户籍办理',
  requestHash: 'h1',
  source: 'terminal',
  ...over,
});
const FACTS = { score: 2, occurredAt: '2026-11-22T07:59:00.000Z', windowId: 'w1', unitId: 'u1', officerId: null } as const;
const storedSubmission: RatingDomainEvent & { requestHash: string; occurredAt: Date } = {
  type: 'RatingSubmitted',
  data: { ratingId: 'r1', terminalId: 't1', windowId: 'w1', unitId: 'u1', score: 2, officerId: null, serviceType: '户籍办理', reasons: [], comment: null, source: 'terminal' },
  occurredAt: new Date(FACTS.occurredAt),
  unitId: 'u1',
  requestHash: 'h1',
};
const voided: RatingDomainEvent = { type: 'RatingVoided', data: { ratingId: 'r1', reason: '误触', rating: FACTS }, unitId: 'u1' };

describe('rating decider (given / when / then)', () => {
  it('given no rating, when one is submitted, then RatingSubmitted at its occurredAt, in the terminal’s window and unit', () => {
    spec.given([]).when(submit()).then([{ type: 'RatingSubmitted', data: storedSubmission.data, occurredAt: new Date(FACTS.occurredAt), unitId: 'u1' }]);
  });

  it('given a submitted rating, when the same content comes again, then nothing happens (a duplicate)', () => {
    spec.given([storedSubmission]).when(submit()).thenNothingHappened();
  });

  it('given a submitted rating, when other content comes under its id, then 409', () => {
    spec.given([storedSubmission]).when(submit({ score: 1, requestHash: 'h2' })).thenThrows(Conflict, /already submitted with different content/);
  });

  it('given no rating, when a service type the window does not offer is named, then 422 naming it', () => {
    spec.given([]).when(submit({ serviceType: '出入境' })).thenThrows(Refused, /does not offer service type "出入境"/);
  });

  it('given no rating, when it is more than 90 days old and not imported, then 422; imported, it is submitted', () => {
    const old = '2026-08-01T00:00:00Z';
    spec.given([]).when(submit({ occurredAt: old })).thenThrows(Refused, /more than 90 days old/);
    spec.given([]).when(submit({ occurredAt: old, source: 'import' })).then((events) => expect(events).toMatchObject([{ type: 'RatingSubmitted', data: { source: 'import' } }]));
  });

  it('given a submitted rating, when it is voided, then RatingVoided carries the reason and what it had counted for', () => {
    spec.given([storedSubmission]).when({ type: 'VoidRating', ratingId: 'r1', reason: '误触' }).then([{ type: 'RatingVoided', data: voided.data, unitId: 'u1' }]);
  });

  it('given a voided rating, when it is voided again (with any reason), then nothing happens (a duplicate)', () => {
    spec.given([storedSubmission, voided]).when({ type: 'VoidRating', ratingId: 'r1', reason: '另一个理由' }).thenNothingHappened();
  });

  it('given no rating, when it is voided, then 404', () => {
    spec.given([]).when({ type: 'VoidRating', ratingId: 'r1', reason: '误触' }).thenThrows(NotFound, /rating r1 does not exist/);
  });

  it('given a voided rating, when its first content is submitted again, then nothing happens (a retry stays a duplicate)', () => {
    spec.given([storedSubmission, voided]).when(submit()).thenNothingHappened();
  });
});
