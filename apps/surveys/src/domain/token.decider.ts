// A token's use: its stream (keyed by the token's hash) holds one event at most, so two responses racing with one
// token cannot both get in — the store lets exactly one append to a new stream win. The use records the hash and
// the invitation, and nothing of the response it let in.
import { Conflict, SurveyTokenUsed, type Decider, type SurveyTokenUsedV1 } from '@minyi/contracts';

export interface UseToken {
  surveyId: string;
  invitationId: string;
  tokenHash: string;
  unitId: string;
}
export type TokenEvent = { type: typeof SurveyTokenUsed.type; data: SurveyTokenUsedV1; unitId?: string | null; occurredAt?: Date };
export type TokenState = { used: boolean };

export class TokenUsed extends Conflict {
  constructor() {
    super('this invitation token has been used: each token lets one response in');
  }
}

export const tokenDecider: Decider<UseToken, TokenState, TokenEvent> = {
  initialState: () => ({ used: false }),
  evolve: (_state, event) => (event.type === SurveyTokenUsed.type ? { used: true } : _state),
  decide(command, state) {
    if (state.used) throw new TokenUsed();
    const { surveyId, invitationId, tokenHash, unitId } = command;
    return [{ type: SurveyTokenUsed.type, data: { surveyId, invitationId, tokenHash }, unitId }];
  },
};
