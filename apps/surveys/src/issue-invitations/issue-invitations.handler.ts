// Issues a batch of one-time invitation tokens (admin) for a draft or open survey: the tokens are answered once and
// only their hashes recorded. The same id again is a duplicate without tokens (minyi no longer has them).
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Conflict, contentHash, streamIds } from '@minyi/contracts';
import { EventStore, foldStream, handleCommand } from '@minyi/event-store';
import { actorOf, type Principal } from '@minyi/platform';
import { Surveys } from '../application/surveys.js';
import { hashInvitationToken, issueInvitationToken } from '../application/invitation-token.js';
import { invitationDecider } from '../domain/invitation.decider.js';
import type { IssueInvitationsBody } from './issue-invitations.schema.js';

export class IssueInvitations {
  constructor(
    readonly surveyId: string,
    readonly body: IssueInvitationsBody,
    readonly principal: Principal,
    readonly correlationId: string,
  ) {}
}

export type InvitationsOutcome = { id: string; tokens: string[] } | { id: string; status: 'duplicate' };

@CommandHandler(IssueInvitations)
export class IssueInvitationsHandler implements ICommandHandler<IssueInvitations, InvitationsOutcome> {
  constructor(
    private readonly store: EventStore,
    private readonly surveys: Surveys,
  ) {}

  async execute({ surveyId, body, principal, correlationId }: IssueInvitations): Promise<InvitationsOutcome> {
    const survey = await this.surveys.require(surveyId);
    const streamId = streamIds.surveyInvitation(surveyId, body.id);
    const requestHash = contentHash({ id: body.id, count: body.count });
    const base = { surveyId, unitId: survey.definition.unitId, invitationId: body.id, count: body.count, requestHash };
    const before = foldStream(invitationDecider, await this.store.readStream(streamId));
    // A retry is told apart before any token is made, and before the survey's status: it issues nothing.
    if (before.issued && invitationDecider.decide({ ...base, tokenHashes: [] }, before).length === 0) return { id: body.id, status: 'duplicate' };
    if (survey.status === 'closed') throw new Conflict(`survey ${surveyId} is closed: invitations are issued for draft or open surveys`);
    const tokens = Array.from({ length: body.count }, () => issueInvitationToken(body.id));
    const r = await handleCommand(this.store, streamId, invitationDecider, { ...base, tokenHashes: tokens.map(hashInvitationToken) }, { actor: actorOf(principal), correlationId, now: new Date(), requestHash });
    return r.events.length ? { id: body.id, tokens } : { id: body.id, status: 'duplicate' };
  }
}
