// The survey (问卷) as a decider: defined once under its id (the same definition again is a duplicate, another one
// 409), published (draft → open), closed (→ closed, for good). A published survey never changes: its questions are
// the definition's, and nothing can change them.
import { Conflict, NotFound, SurveyClosed, SurveyDefined, SurveyPublished, type Decider, type SurveyDefinedV1, type SurveyStatus, type SurveyStatusChangedV1 } from '@minyi/contracts';

export type SurveyCommand =
  | { type: 'define'; definition: SurveyDefinedV1; requestHash: string }
  | { type: 'publish'; surveyId: string }
  | { type: 'close'; surveyId: string };

export type SurveyEvent =
  | { type: typeof SurveyDefined.type; data: SurveyDefinedV1; unitId?: string | null }
  | { type: typeof SurveyPublished.type; data: SurveyStatusChangedV1; unitId?: string | null }
  | { type: typeof SurveyClosed.type; data: SurveyStatusChangedV1; unitId?: string | null };

export type SurveyState =
  | { defined: false }
  | { defined: true; definition: SurveyDefinedV1; requestHash: string | undefined; status: SurveyStatus };

export const surveyDecider: Decider<SurveyCommand, SurveyState, SurveyEvent> = {
  initialState: () => ({ defined: false }),

  evolve(state, event) {
    switch (event.type) {
      case SurveyDefined.type:
        return { defined: true, definition: event.data, requestHash: event.requestHash, status: 'draft' };
      case SurveyPublished.type:
        return state.defined ? { ...state, status: 'open' } : state;
      case SurveyClosed.type:
        return state.defined ? { ...state, status: 'closed' } : state;
      default:
        return state;
    }
  },

  decide(command, state) {
    if (command.type === 'define') {
      if (state.defined) {
        if (state.requestHash === command.requestHash) return [];
        throw new Conflict(`survey ${command.definition.surveyId} exists with another definition`);
      }
      const d = command.definition;
      return [{ type: SurveyDefined.type, data: d, unitId: d.unitId }];
    }
    if (!state.defined) throw new NotFound(`no survey ${command.surveyId}`);
    const data = { surveyId: state.definition.surveyId, unitId: state.definition.unitId };
    if (command.type === 'publish') {
      if (state.status === 'open') return [];
      if (state.status === 'closed') throw new Conflict(`survey ${data.surveyId} is closed: a closed survey is never published again`);
      return [{ type: SurveyPublished.type, data, unitId: data.unitId }];
    }
    if (state.status === 'closed') return [];
    return [{ type: SurveyClosed.type, data, unitId: data.unitId }];
  },
};
