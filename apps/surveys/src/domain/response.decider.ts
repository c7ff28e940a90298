// A response (答卷) as a decider: recorded once under its id; the same body again is a duplicate (with the validity it
// was recorded with), another body under the id 409.
import { Conflict, SurveyResponded, type Decider, type SurveyRespondedV1 } from '@minyi/contracts';

export interface RecordResponse {
  response: SurveyRespondedV1;
  occurredAt: Date;
  requestHash: string;
}
export type ResponseEvent = { type: typeof SurveyResponded.type; data: SurveyRespondedV1; unitId?: string | null; occurredAt?: Date };
export type ResponseState = { recorded: false } | { recorded: true; requestHash: string | undefined; valid: boolean };

export const responseDecider: Decider<RecordResponse, ResponseState, ResponseEvent> = {
  initialState: () => ({ recorded: false }),
  evolve: (state, event) => (event.type === SurveyResponded.type ? { recorded: true, requestHash: event.requestHash, valid: event.data.valid } : state),
  decide(command, state) {
    if (state.recorded) {
      if (state.requestHash === command.requestHash) return [];
      throw new Conflict(`response ${command.response.responseId} exists with another body`);
    }
    return [{ type: SurveyResponded.type, data: command.response, unitId: command.response.unitId, occurredAt: command.occurredAt }];
  },
};
