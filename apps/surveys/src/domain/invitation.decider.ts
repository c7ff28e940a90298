// An invitation (邀请): a batch of one-time tokens issued once under its id, of which only the hashes are recorded
// (a thousand to an event). The same id again with the same count is a duplicate — its tokens are not shown again,
// for minyi no longer has them — another count 409.
import { Conflict, SURVEY_LIMITS, SurveyInvitationsIssued, SurveyInvitationTokensIssued, type Decider, type SurveyInvitationsIssuedV1, type SurveyInvitationTokensIssuedV1 } from '@minyi/contracts';

export interface IssueInvitations {
  surveyId: string;
  unitId: string;
  invitationId: string;
  count: number;
  /** The hashes of the tokens made for it (made before deciding; dropped when it is a duplicate). */
  tokenHashes: string[];
  requestHash: string;
}

export type InvitationEvent =
  | { type: typeof SurveyInvitationsIssued.type; data: SurveyInvitationsIssuedV1; unitId?: string | null }
  | { type: typeof SurveyInvitationTokensIssued.type; data: SurveyInvitationTokensIssuedV1; unitId?: string | null };

export type InvitationState = { issued: false } | { issued: true; requestHash: string | undefined; tokenHashes: Set<string> };

export const invitationDecider: Decider<IssueInvitations, InvitationState, InvitationEvent> = {
  initialState: () => ({ issued: false }),

  evolve(state, event) {
    if (event.type === SurveyInvitationsIssued.type) return { issued: true, requestHash: event.requestHash, tokenHashes: new Set() };
    if (event.type === SurveyInvitationTokensIssued.type && state.issued) {
      for (const h of event.data.tokenHashes) state.tokenHashes.add(h);
    }
    return state;
  },

  decide(command, state) {
    if (state.issued) {
      if (state.requestHash === command.requestHash) return [];
      throw new Conflict(`invitation ${command.invitationId} of survey ${command.surveyId} was issued with another count`);
    }
    const { surveyId, unitId, invitationId, count, tokenHashes } = command;
    if (tokenHashes.length !== count) throw new Error(`${count} tokens asked, ${tokenHashes.length} hashes given`);
    const events: InvitationEvent[] = [{ type: SurveyInvitationsIssued.type, data: { surveyId, unitId, invitationId, count }, unitId }];
    for (let i = 0; i < tokenHashes.length; i += SURVEY_LIMITS.tokenHashesPerEvent) {
      events.push({ type: SurveyInvitationTokensIssued.type, data: { surveyId, invitationId, tokenHashes: tokenHashes.slice(i, i + SURVEY_LIMITS.tokenHashesPerEvent) }, unitId });
    }
    return events;
  },
};
