// The opinion's, dispute's and hazard's steps in given/when/then: every step from every state (the allowed ones and
// the refused), and what each means for the figures — on-the-spot rectification on time, explain vs rectify by the
// latest handling step, reassignment, reopen keeping the deadline, the resident's rating. And the visit, a fact.
import { Conflict, NotFound, Refused, VisitRecorded, type CaseStatusV1, type VisitRecordedV1 } from '@minyi/contracts';
import { caseDecider, type CaseCommand, type CaseEvent, type CaseKindDefinition } from '@minyi/cases';
import { DeciderSpecification } from '@minyi/testing';
import { disputeKind } from './dispute.kind.js';
import { hazardKind } from './hazard.kind.js';
import { opinionKind } from './opinion.kind.js';
import { suggestionFiling, suggestionOpinionId } from './survey-suggestion.js';
import { visitDecider, type RecordVisit } from './visit.decider.js';

const T0 = Date.parse('2026-11-02T09:00:00+08:00');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const NOW = at(100_000);
const DUE = '2026-11-24T00:00:00+08:00';
const DUE2 = '2026-12-08T00:00:00+08:00';

const FIELDS: Record<string, Record<string, unknown>> = {
  assign: { unitId: 'st-2', dueInWorkingDays: 15 },
  rectify: { summary: '已开展养犬专项整治' },
  explain: { text: '涉及法律规定，暂无法办理，已向群众说明' },
  reply: { text: '已电话告知处理结果', via: 'phone' },
  rate: { score: 4 },
  reopen: { reason: '群众反映问题复发' },
  resolve: { summary: '经调解双方达成协议' },
};

function kit(kind: CaseKindDefinition, filedFields: Record<string, unknown>) {
  const decider = caseDecider(kind);
  const file = (over: Partial<Extract<CaseCommand, { type: 'file' }>> = {}): CaseCommand => ({
    type: 'file',
    caseId: 'c1',
    unitId: 'st-1',
    category: '养犬管理',
    occurredAt: at(0),
    fields: filedFields,
    requestHash: 'file-hash',
    now: NOW,
    ...over,
  });
  const step = (name: string, minute: number, over: Partial<Extract<CaseCommand, { type: 'step' }>> = {}): CaseCommand => ({
    type: 'step',
    caseId: 'c1',
    step: name,
    stepId: `s-${name}-${minute}`,
    occurredAt: at(minute),
    fields: FIELDS[name],
    requestHash: `h-${name}-${minute}`,
    now: NOW,
    dueAt: kind.steps[name]?.deadline ? DUE : undefined,
    ...over,
  });
  const fold = (events: CaseEvent[]) => events.reduce((s, e) => decider.evolve(s, { ...e, occurredAt: e.occurredAt ?? NOW, requestHash: 'x' }), decider.initialState());
  /** Decides a path of steps (or commands) from a fresh filing, each a minute later. */
  const history = (path: (string | CaseCommand)[]): CaseEvent[] => {
    const events = decider.decide(file(), decider.initialState());
    path.forEach((p, i) => events.push(...decider.decide(typeof p === 'string' ? step(p, (i + 1) * 10) : p, fold(events))));
    return events;
  };
  return { decider, spec: DeciderSpecification.for(decider), file, step, history };
}

const statusOf = (events: CaseEvent[]): CaseStatusV1 => events.at(-1)!.data.status;

function everyStepFromEveryState(label: string, kind: CaseKindDefinition, filed: Record<string, unknown>, toState: Record<string, string[]>, allowed: Record<string, string[]>, next: Record<string, string>) {
  const { spec, step, history } = kit(kind, filed);
  describe(`${label} steps from every state`, () => {
    it('when the table is read, then it names every state of the kind', () => {
      expect(Object.keys(toState).sort()).toEqual(Object.keys(allowed).sort());
    });
    for (const [state, path] of Object.entries(toState)) {
      // Every step of the kind, and one it does not have (404), from this state.
      for (const name of [...Object.keys(kind.steps), 'close']) {
        const ok = allowed[state].includes(name);
        const unknown = !kind.steps[name];
        it(`given ${label} ${state}, when ${name}, then ${unknown ? '404 (no such step)' : ok ? `it is ${next[name]}` : '409 naming the state'}`, () => {
          const given = history(path);
          expect(statusOf(given).state).toBe(state);
          const then = spec.given(given).when(step(name, 1000));
          if (unknown) then.thenThrows(NotFound, /has no step close/);
          else if (ok) then.then((events) => expect(events.map((e) => e.data.status.state)).toEqual([next[name]]));
          else then.thenThrows(Conflict, new RegExp(`is ${state};`));
        });
      }
    }
  });
}

everyStepFromEveryState(
  'an opinion',
  opinionKind,
  { source: 'visit', visitId: 'v1', text: '流浪犬扰民', contact: null },
  {
    collected: [],
    assigned: ['assign'],
    rectified: ['rectify'],
    explained: ['assign', 'explain'],
    replied: ['rectify', 'reply'],
    rated: ['rectify', 'reply', 'rate'],
    reopened: ['rectify', 'reopen'],
  },
  {
    collected: ['assign', 'rectify', 'explain'],
    assigned: ['assign', 'rectify', 'explain'],
    rectified: ['reply', 'reopen'],
    explained: ['reply', 'reopen'],
    replied: ['rate', 'reopen'],
    rated: ['reopen'],
    reopened: ['assign', 'rectify', 'explain'],
  },
  { assign: 'assigned', rectify: 'rectified', explain: 'explained', reply: 'replied', rate: 'rated', reopen: 'reopened' },
);
everyStepFromEveryState('a dispute', disputeKind, { visitId: null, summary: '邻里漏水纠纷' }, { found: [], resolved: ['resolve'] }, { found: ['resolve'], resolved: [] }, { resolve: 'resolved' });
everyStepFromEveryState('a hazard', hazardKind, { visitId: null, location: '少先路12号' }, { found: [], rectified: ['rectify'] }, { found: ['rectify'], rectified: [] }, { rectify: 'rectified' });

describe('an opinion through its closed loop', () => {
  const { spec, step, file, history } = kit(opinionKind, { source: 'meeting', visitId: null, text: '律师会见难', contact: null });

  it('when collected, then it is at its unit with no deadline, its text as given', () => {
    spec.given([]).when(file()).then((events) => {
      expect(events[0].data).toMatchObject({ caseId: 'c1', filedUnitId: 'st-1', category: '养犬管理', status: { state: 'collected', responsibleUnitId: 'st-1', dueAt: null }, fields: { text: '律师会见难' } });
    });
  });

  it('when rectified on the spot (立行立改, from collected), then it is handled on time with no deadline', () => {
    expect(statusOf(history(['rectify']))).toMatchObject({ state: 'rectified', handled: true, onTime: true, handling: 'rectify', dueAt: null, accepted: false });
  });

  it('when assigned, then the unit becomes responsible with the deadline; assigned again, the new unit and deadline', () => {
    expect(statusOf(history(['assign']))).toMatchObject({ state: 'assigned', responsibleUnitId: 'st-2', dueAt: DUE, accepted: true });
    const again = history(['assign', step('assign', 20, { fields: { unitId: 'br-9', dueInWorkingDays: 10 }, dueAt: DUE2 })]);
    expect(statusOf(again)).toMatchObject({ state: 'assigned', responsibleUnitId: 'br-9', dueAt: DUE2 });
    expect(again.at(-1)!.unitId).toBe('br-9');
  });

  it('when handled after the deadline, then late; by it, on time', () => {
    const late = history(['assign', step('explain', 0, { occurredAt: new Date(Date.parse(DUE) + 1) })]);
    expect(statusOf(late)).toMatchObject({ handled: true, onTime: false, handling: 'explain' });
    const exactly = history(['assign', step('rectify', 0, { occurredAt: new Date(Date.parse(DUE)) })]);
    expect(statusOf(exactly)).toMatchObject({ handled: true, onTime: true, handling: 'rectify' });
  });

  it('when explained, reopened and then rectified, then the latest handling step counts (rectify)', () => {
    expect(statusOf(history(['assign', 'explain', 'reopen', 'rectify']))).toMatchObject({ state: 'rectified', handling: 'rectify', handled: true });
    expect(statusOf(history(['rectify', 'reopen', 'explain']))).toMatchObject({ state: 'explained', handling: 'explain' });
  });

  it('when reopened, then handled, replied and the rating are reset, the deadline in force stays; handled late after it, late', () => {
    const reopened = history(['assign', 'rectify', 'reply', 'rate', 'reopen']);
    expect(statusOf(reopened)).toMatchObject({ state: 'reopened', handled: false, onTime: false, handling: null, replied: false, calledBack: false, score: null, dueAt: DUE, accepted: true });
    spec.given(reopened).when(step('rectify', 0, { occurredAt: new Date(Date.parse(DUE) + 60_000) })).then((e) => expect(e[0].data.status).toMatchObject({ handled: true, onTime: false }));
  });

  it('when replied and rated, then replied and the resident’s score are recorded', () => {
    expect(statusOf(history(['rectify', 'reply', 'rate']))).toMatchObject({ state: 'rated', replied: true, calledBack: true, score: 4, handled: true });
  });

  it('when a step is earlier than the previous one, then 422; the same stepId with another body, 409', () => {
    const given = history(['assign']); // at minute 10
    spec.given(given).when(step('rectify', 5)).thenThrows(Refused, /earlier/);
    const same = given.map((e, i) => (i === 1 ? { ...e, requestHash: 'h1' } : e));
    spec.given(same).when(step('assign', 30, { stepId: given[1].data.stepId, requestHash: 'h2' })).thenThrows(Conflict, /different body/);
    spec.given(same).when(step('assign', 30, { stepId: given[1].data.stepId, requestHash: 'h1' })).thenNothingHappened();
  });
});

describe('a survey’s suggestion as an opinion', () => {
  const { spec } = kit(opinionKind, {});
  const suggestion = { surveyId: 's-2026', responseId: 'r-1', questionId: 'q-suggest', unitId: 'st-1', text: '  建议增加夜间巡逻\r\n', submittedAt: at(0) };

  it('when filed, then its id is derived, the source is survey, the category the question, the text verbatim; again, nothing', () => {
    const command = suggestionFiling(suggestion, NOW);
    expect(suggestionOpinionId(suggestion)).toBe('s-2026:r-1:q-suggest');
    spec.given([]).when(command).then((events) => {
      expect(events[0].data).toMatchObject({ caseId: 's-2026:r-1:q-suggest', category: 'q-suggest', fields: { source: 'survey', text: '  建议增加夜间巡逻\r\n', contact: null, visitId: null } });
    });
    const filed = caseDecider(opinionKind).decide(command, caseDecider(opinionKind).initialState());
    spec.given(filed.map((e) => ({ ...e, requestHash: command.requestHash }))).when(suggestionFiling(suggestion, at(200_000))).thenNothingHappened();
  });

  it('when the reactor’s clock is behind the response, or the response is over a year old, then it is filed all the same', () => {
    spec.given([]).when(suggestionFiling({ ...suggestion, submittedAt: new Date(NOW.getTime() + 4 * 60_000) }, NOW)).then((e) => expect(e).toHaveLength(1));
    spec.given([]).when(suggestionFiling({ ...suggestion, submittedAt: new Date(NOW.getTime() - 400 * 86_400_000) }, NOW)).then((e) => expect(e).toHaveLength(1));
  });
});

describe('a visit', () => {
  const spec = DeciderSpecification.for(visitDecider);
  const visit: VisitRecordedV1 = { visitId: 'v1', unitId: 'st-1', officerId: 'o1', target: { kind: 'household', ref: 'h-501' }, meeting: null, notes: null };
  const record = (over: Partial<RecordVisit> = {}): RecordVisit => ({ type: 'record', visit, occurredAt: at(0), requestHash: 'v-hash', now: NOW, officerRelated: true, ...over });
  const recorded = [{ type: VisitRecorded.type, data: visit, occurredAt: at(0), requestHash: 'v-hash' }];

  it('when recorded, then the fact is its unit’s at its instant', () => {
    spec.given([]).when(record()).then([{ type: 'VisitRecorded', data: visit, occurredAt: at(0), unitId: 'st-1' }]);
  });
  it('when the same visit comes again, then nothing happens; with other content, 409', () => {
    spec.given(recorded).when(record()).thenNothingHappened();
    spec.given(recorded).when(record({ requestHash: 'other' })).thenThrows(Conflict, /different content/);
  });
  it('when the officer is unknown or of an unrelated unit, then 422; none named, it is recorded', () => {
    spec.given([]).when(record({ officerRelated: false })).thenThrows(Refused, /officer o1/);
    spec.given([]).when(record({ officerRelated: null, visit: { ...visit, officerId: null } })).then((e) => expect(e).toHaveLength(1));
  });
  it('when it is more than 365 days old, more than 5 minutes ahead or before 1900, then 422', () => {
    spec.given([]).when(record({ occurredAt: new Date(NOW.getTime() - 366 * 86_400_000) })).thenThrows(Refused, /365 days/);
    spec.given([]).when(record({ occurredAt: new Date(NOW.getTime() + 5 * 60_000 + 1) })).thenThrows(Refused, /future/);
    spec.given([]).when(record({ occurredAt: new Date(NOW.getTime() + 5 * 60_000) })).then((e) => expect(e).toHaveLength(1));
    spec.given([]).when(record({ occurredAt: new Date(Date.UTC(1899, 11, 31)) })).thenThrows(Refused);
  });
});
