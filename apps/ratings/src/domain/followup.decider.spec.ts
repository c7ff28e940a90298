// The follow-up's steps in given/when/then, from every state.
import { Conflict } from '@minyi/contracts';
import { caseDecider, type CaseCommand, type CaseEvent } from '@minyi/cases';
import { DeciderSpecification } from '@minyi/testing';
import { followUpKind } from './followup.kind.js';

const decider = caseDecider(followUpKind);
const spec = DeciderSpecification.for(decider);
const T0 = Date.parse('2026-11-02T09:00:00+08:00');
const NOW = new Date(T0 + 86_400_000);
const FIELDS: Record<string, Record<string, unknown>> = {
  verify: { valid: true, reason: null },
  rectify: { summary: '窗口增设叫号提示' },
  callback: { score: 4 },
  void: { reason: '评价器误触' },
};
const step = (name: string, minute: number, fields = FIELDS[name]): CaseCommand => ({
  type: 'step', caseId: 'r1', step: name, stepId: `s-${name}-${minute}`, occurredAt: new Date(T0 + minute * 60_000), fields, requestHash: `h${minute}`, now: NOW,
});
function history(path: [string, Record<string, unknown>?][]): CaseEvent[] {
  const events: CaseEvent[] = decider.decide(
    { type: 'file', caseId: 'r1', unitId: 'st-1', category: '户籍', occurredAt: new Date(T0), fields: { ratingId: 'r1', windowId: 'w1', officerId: null, score: 1, dueInWorkingDays: 5 }, requestHash: 'f', now: NOW, checkAge: false },
    decider.initialState(),
  );
  path.forEach(([name, fields], i) => {
    const state = events.reduce((s, e) => decider.evolve(s, { ...e, occurredAt: e.occurredAt ?? NOW }), decider.initialState());
    events.push(...decider.decide(step(name, i + 1, fields ?? FIELDS[name]), state));
  });
  return events;
}

const TO_STATE: Record<string, [string, Record<string, unknown>?][]> = {
  open: [],
  verified: [['verify']],
  invalid: [['verify', { valid: false, reason: '申诉复核：恶意差评' }]],
  rectified: [['rectify']],
  calledBack: [['rectify'], ['callback']],
  voided: [['void']],
};
const ALLOWED: Record<string, string[]> = {
  open: ['verify', 'rectify', 'void'],
  verified: ['rectify', 'void'],
  invalid: [],
  rectified: ['callback', 'void'],
  calledBack: ['void'],
  voided: [],
};

for (const [state, path] of Object.entries(TO_STATE)) {
  for (const name of Object.keys(followUpKind.steps)) {
    const allowed = ALLOWED[state].includes(name);
    it(`given a follow-up ${state}, when ${name}, then ${allowed ? 'it is taken' : '409 naming the state'}`, () => {
      const then = spec.given(history(path)).when(step(name, 50));
      if (allowed) then.then((e) => expect(e).toHaveLength(1));
      else then.thenThrows(Conflict, new RegExp(`is ${state};`));
    });
  }
}

it('when verified invalid, then it is invalid and out of every rate; valid, verified and counted', () => {
  expect(history(TO_STATE.invalid).at(-1)!.data.status).toMatchObject({ state: 'invalid', excluded: true });
  expect(history(TO_STATE.verified).at(-1)!.data.status).toMatchObject({ state: 'verified', excluded: false });
});

it('when voided after rectification, then it is voided and excluded; the rectification stays in its history', () => {
  const events = history([['rectify'], ['void']]);
  expect(events.at(-1)!.data.status).toMatchObject({ state: 'voided', excluded: true, handled: true });
});

it('when opened with the dueAt its reactor computed, then the opening carries it as the deadline in force; without one, none', () => {
  const open = (dueAt?: string | null) =>
    ({ type: 'file', caseId: 'r2', unitId: 'st-1', category: null, occurredAt: new Date(T0), fields: { ratingId: 'r2', windowId: 'w1', officerId: null, score: 2, dueInWorkingDays: 5 }, requestHash: 'f', now: NOW, checkAge: false, dueAt }) as CaseCommand;
  spec.given([]).when(open('2026-11-10T00:00:00+08:00')).then((events) => {
    expect(events).toHaveLength(1);
    expect(events[0].data.status).toMatchObject({ state: 'open', dueAt: '2026-11-10T00:00:00+08:00', handled: false });
  });
  spec.given([]).when(open()).then((events) => expect(events[0].data.status.dueAt).toBeNull());
  // A rectification by the deadline is on time, after it late: the deadline set at the opening is the one in force.
  const opened = decider.decide(open('2026-11-02T10:00:00+08:00'), decider.initialState());
  const rectify = (minute: number) => step('rectify', minute);
  spec.given(opened).when(rectify(30)).then((e) => expect(e[0].data.status).toMatchObject({ handled: true, onTime: true }));
  spec.given(opened).when(rectify(90)).then((e) => expect(e[0].data.status).toMatchObject({ handled: true, onTime: false }));
});
