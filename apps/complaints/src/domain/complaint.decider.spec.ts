// The complaint's steps in given/when/then: every step from every state (the allowed ones and the refused),
// stepId idempotency, time order, deadlines and the since-reopen flags.
import { Conflict, NotFound, Refused, type CaseStatusV1 } from '@minyi/contracts';
import { caseDecider, type CaseCommand, type CaseEvent } from '@minyi/cases';
import { DeciderSpecification } from '@minyi/testing';
import { complaintKind } from './complaint.kind.js';

const decider = caseDecider(complaintKind);
const spec = DeciderSpecification.for(decider);
const T0 = Date.parse('2026-11-02T09:00:00+08:00');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const NOW = at(10_000);

const file = (over: Partial<Extract<CaseCommand, { type: 'file' }>> = {}): CaseCommand => ({
  type: 'file',
  caseId: 'c1',
  unitId: 'st-1',
  category: '噪音扰民',
  occurredAt: at(0),
  fields: { channel: 'app', text: '楼下烧烤店深夜扰民', contact: null },
  requestHash: 'file-hash',
  now: NOW,
  ...over,
});

const FIELDS: Record<string, Record<string, unknown>> = {
  accept: { unitId: 'st-1', dueInWorkingDays: 15 },
  escalate: { unitId: 'br-1', reason: '跨辖区', dueInWorkingDays: 10 },
  handle: { summary: '已约谈店主' },
  reply: { text: '已处理', via: 'phone' },
  callback: { score: 4 },
  reopen: { reason: '问题复发' },
  close: { final: false },
};

const step = (name: string, minute: number, over: Partial<Extract<CaseCommand, { type: 'step' }>> = {}): CaseCommand => ({
  type: 'step',
  caseId: 'c1',
  step: name,
  stepId: `s-${name}-${minute}`,
  occurredAt: at(minute),
  fields: FIELDS[name],
  requestHash: `h-${name}-${minute}`,
  now: NOW,
  dueAt: complaintKind.steps[name].deadline ? '2026-11-24T00:00:00+08:00' : undefined,
  ...over,
});

/** Decides a path of steps from a fresh filing, returning the events (each step one minute later). */
function history(path: string[], start: CaseEvent[] = []): CaseEvent[] {
  const events = [...start];
  if (events.length === 0) events.push(...decider.decide(file(), decider.initialState()));
  path.forEach((name, i) => {
    const state = events.reduce((s, e) => decider.evolve(s, { ...e, occurredAt: e.occurredAt ?? NOW, requestHash: 'x' }), decider.initialState());
    events.push(...decider.decide(step(name, events.length + i + 1), state));
  });
  return events;
}

/** A path from filing to each state. */
const TO_STATE: Record<string, string[]> = {
  filed: [],
  accepted: ['accept'],
  handled: ['accept', 'handle'],
  replied: ['accept', 'handle', 'reply'],
  calledBack: ['accept', 'handle', 'reply', 'callback'],
  reopened: ['accept', 'handle', 'reopen'],
  closed: ['accept', 'handle', 'close'],
};

const ALLOWED: Record<string, string[]> = {
  filed: ['accept', 'escalate'],
  accepted: ['escalate', 'handle'],
  handled: ['reply', 'reopen', 'close'],
  replied: ['callback', 'reopen', 'close'],
  calledBack: ['reopen', 'close'],
  reopened: ['accept', 'escalate'],
  closed: ['reopen'],
};
const NEXT: Record<string, string> = { accept: 'accepted', escalate: 'accepted', handle: 'handled', reply: 'replied', callback: 'calledBack', reopen: 'reopened', close: 'closed' };

describe('complaint steps from every state', () => {
  for (const [state, path] of Object.entries(TO_STATE)) {
    for (const name of Object.keys(complaintKind.steps)) {
      const allowed = ALLOWED[state].includes(name);
      it(`given a complaint ${state}, when ${name}, then ${allowed ? `it is ${NEXT[name]}` : '409 naming the state'}`, () => {
        const given = history(path);
        const then = spec.given(given).when(step(name, 100));
        if (allowed) then.then((events) => expect(events.map((e) => e.data.status.state)).toEqual([NEXT[name]]));
        else then.thenThrows(Conflict, new RegExp(`is ${state};`));
      });
    }
  }
});

describe('filing', () => {
  it('when a complaint is filed, then it is filed at its unit with no deadline', () => {
    spec.given([]).when(file()).then((events) => {
      expect(events).toHaveLength(1);
      expect(events[0].data).toMatchObject({ caseId: 'c1', filedUnitId: 'st-1', category: '噪音扰民', status: { state: 'filed', responsibleUnitId: 'st-1', dueAt: null, accepted: false } });
    });
  });
  it('when the same filing comes again, then nothing happens; with other content, 409', () => {
    const given = history([]).map((e) => ({ ...e, requestHash: 'file-hash' }));
    spec.given(given).when(file({ requestHash: 'file-hash' })).thenNothingHappened();
    spec.given(given).when(file({ requestHash: 'other' })).thenThrows(Conflict);
  });
  it('when a filing is more than 365 days old, more than 5 minutes ahead or before 1900, then it is refused', () => {
    spec.given([]).when(file({ occurredAt: new Date(NOW.getTime() - 366 * 86_400_000) })).thenThrows(Refused, /365 days/);
    spec.given([]).when(file({ occurredAt: new Date(NOW.getTime() + 5 * 60_000 + 1) })).thenThrows(Refused, /future/);
    spec.given([]).when(file({ occurredAt: new Date(NOW.getTime() + 5 * 60_000) })).then((e) => expect(e).toHaveLength(1));
    spec.given([]).when(file({ occurredAt: new Date(NOW.getTime() - 365 * 86_400_000) })).then((e) => expect(e).toHaveLength(1));
    spec.given([]).when(file({ occurredAt: new Date(Date.UTC(1899, 11, 31)), checkAge: false })).thenThrows(Refused, /1900/);
  });
  it('when a step is taken on a complaint never filed, then 404', () => {
    spec.given([]).when(step('accept', 1)).thenThrows(NotFound);
  });
});

describe('stepId idempotency and time order', () => {
  it('when the same stepId comes again with the same body, then nothing happens', () => {
    const given = history(['accept']);
    const first = given[1].data.stepId!;
    spec.given(given.map((e, i) => (i === 1 ? { ...e, requestHash: 'h-accept-2' } : e))).when(step('accept', 2, { stepId: first, requestHash: 'h-accept-2' })).thenNothingHappened();
  });
  it('when the same stepId comes with another body or for another step, then 409', () => {
    const given = history(['accept']).map((e, i) => (i === 1 ? { ...e, requestHash: 'h1' } : e));
    const first = given[1].data.stepId!;
    spec.given(given).when(step('accept', 3, { stepId: first, requestHash: 'h2' })).thenThrows(Conflict, /different body/);
    spec.given(given).when(step('handle', 3, { stepId: first, requestHash: 'h1' })).thenThrows(Conflict, /accept step/);
  });
  it('when a step is earlier than the previous one, then 422; at the same instant it is taken', () => {
    const given = history(['accept']); // accept at minute 2
    spec.given(given).when(step('handle', 1)).thenThrows(Refused, /earlier/);
    spec.given(given).when(step('handle', 2)).then((e) => expect(e).toHaveLength(1));
  });
  it('when a step is more than 5 minutes ahead of now, then 422', () => {
    spec.given(history(['accept'])).when(step('handle', 0, { occurredAt: new Date(NOW.getTime() + 5 * 60_000 + 1) })).thenThrows(Refused, /future/);
  });
});

describe('responsible unit, deadlines and the since-reopen flags', () => {
  const statusOf = (events: CaseEvent[]): CaseStatusV1 => events.at(-1)!.data.status;

  it('when escalated, then the responsible unit and the deadline are the escalation’s and it counts as accepted', () => {
    const s = statusOf(history(['escalate']));
    expect(s).toMatchObject({ state: 'accepted', responsibleUnitId: 'br-1', dueAt: '2026-11-24T00:00:00+08:00', accepted: true });
  });

  it('when handled by the deadline, then on time; after it, late; with no deadline in force, on time', () => {
    const accepted = history(['accept']);
    const onTime = spec.given(accepted);
    onTime.when(step('handle', 5)).then((e) => expect(e[0].data.status).toMatchObject({ handled: true, onTime: true, handling: 'handle' }));
    const late = step('handle', 0, { occurredAt: new Date(Date.parse('2026-11-24T00:00:00+08:00') + 1), now: new Date(Date.parse('2026-11-25T00:00:00+08:00')) });
    spec.given(accepted).when(late).then((e) => expect(e[0].data.status.onTime).toBe(false));
    const exactly = step('handle', 0, { occurredAt: new Date(Date.parse('2026-11-24T00:00:00+08:00')), now: new Date(Date.parse('2026-11-25T00:00:00+08:00')) });
    spec.given(accepted).when(exactly).then((e) => expect(e[0].data.status.onTime).toBe(true));
  });

  it('when reopened, then handled, replied and the callback are reset but the deadline and accepted stay', () => {
    const s = statusOf(history(['accept', 'handle', 'reply', 'callback', 'reopen']));
    expect(s).toMatchObject({ state: 'reopened', accepted: true, handled: false, onTime: false, handling: null, replied: false, calledBack: false, score: null, closed: false, dueAt: '2026-11-24T00:00:00+08:00' });
  });

  it('when called back, then the score is recorded', () => {
    expect(statusOf(history(['accept', 'handle', 'reply', 'callback']))).toMatchObject({ calledBack: true, score: 4, replied: true, handled: true });
  });

  it('when closed for good (final), then a reopen is refused with 409 and a plain close may be reopened', () => {
    const finalClose = history(['accept', 'handle']);
    const state = finalClose.reduce((s, e) => decider.evolve(s, { ...e, occurredAt: e.occurredAt ?? NOW }), decider.initialState());
    const closed = [...finalClose, ...decider.decide(step('close', 50, { fields: { final: true } }), state)];
    expect(statusOf(closed)).toMatchObject({ closed: true, final: true });
    spec.given(closed).when(step('reopen', 60)).thenThrows(Conflict, /closed for good/);
    spec.given(history(['accept', 'handle', 'close'])).when(step('reopen', 60)).then((e) => expect(e[0].data.status).toMatchObject({ state: 'reopened', closed: false }));
  });
});
