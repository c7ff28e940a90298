// Records a response (答卷): by an invitation's token (no other credential) or by a client with surveys:write covering
// the survey's unit. The answers are checked against the survey's questions; a missing required answer makes it not
// valid (stored, counted as responded only).
//
// By token, two facts are written, in two transactions, with nothing in common: the token's use (its hash, its
// invitation) — the one write that can fail for a used token, so that of 20 racing submissions one gets in — and
// then the response (a random id of the client's, the answers; neither the token, nor its hash, nor for an anonymous
// survey its invitation). Neither carries the request's correlation id (the access log's), each gets its own; the
// response reaches the log through the mixer, among the others of its window in a random order. A crash between the
// two writes loses the response and leaves its token used: a participant is never counted twice, at the cost of
// counting one too few (a retry is refused as used, since nothing may tell that token's response from another's).
import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Conflict, contentHash, Forbidden, InvalidInput, Refused, streamIds, Unauthenticated, type SurveyRespondedV1 } from '@minyi/contracts';
import { CaseAccess } from '@minyi/case-api';
import { EventStore, foldStream, handleCommand, type CommandContext } from '@minyi/event-store';
import { actorOf, type Principal } from '@minyi/platform';
import { InvitationTokens } from '../application/invitation-tokens.js';
import { ResponseMixer } from '../application/response-mixer.js';
import { Surveys } from '../application/surveys.js';
import { checkAnswers } from '../domain/questionnaire.js';
import { responseDecider, type ResponseState } from '../domain/response.decider.js';
import { tokenDecider } from '../domain/token.decider.js';
import type { SubmitResponseBody } from './submit-response.schema.js';

export class SubmitResponse {
  constructor(
    readonly surveyId: string,
    readonly body: SubmitResponseBody,
    /** Null: no Authorization header (the token in the body is the only credential). */
    readonly principal: Principal | null,
    readonly correlationId: string,
  ) {}
}

export interface ResponseOutcome {
  id: string;
  status: 'accepted' | 'duplicate';
  valid: boolean;
}

/** The actor of a response let in by a token: the same for every one, naming nobody. */
export const INVITATION_ACTOR = 'invitation';

/**
 * Token uses are committed apart from every other append (the store would otherwise put a token's use in one
 * transaction with the responses of the window then being appended, which a reader of the log could pair).
 */
const TOKEN_USE = { apart: 'survey-token-use' };
const MAX_FUTURE_MS = 5 * 60_000;
const MAX_AGE_MS = 365 * 86_400_000;
const EARLIEST_MS = Date.UTC(1900, 0, 1);

function checkSubmittedAt(at: Date, now: Date): void {
  const refuse = (message: string) => new Refused(`submittedAt ${message}`, [{ path: 'submittedAt', message }]);
  const t = at.getTime();
  if (!Number.isFinite(t)) throw refuse('is not a representable instant');
  if (t < EARLIEST_MS) throw refuse('is before 1900-01-01');
  if (t - now.getTime() > MAX_FUTURE_MS) throw refuse('is more than 5 minutes in the future');
  if (now.getTime() - t > MAX_AGE_MS) throw refuse('is more than 365 days old');
}

@CommandHandler(SubmitResponse)
export class SubmitResponseHandler implements ICommandHandler<SubmitResponse, ResponseOutcome> {
  constructor(
    private readonly store: EventStore,
    private readonly surveys: Surveys,
    private readonly tokens: InvitationTokens,
    private readonly access: CaseAccess,
    private readonly mixer: ResponseMixer,
  ) {}

  async execute({ surveyId, body, principal, correlationId }: SubmitResponse): Promise<ResponseOutcome> {
    const survey = await this.surveys.require(surveyId);
    const { definition } = survey;
    const byToken = body.token !== undefined;
    if (!byToken) {
      if (!principal) throw new Unauthenticated('send the invitation token in the body, or Authorization: Bearer <token> of a client with surveys:write');
      await this.access.authoriseFiling(principal, 'surveys:write', definition.unitId);
    }
    const checked = checkAnswers(definition.questions, body.answers);
    if ('errors' in checked) throw new InvalidInput('the answers do not fit the survey’s questions', checked.errors);
    const now = new Date();
    const submittedAt = new Date(body.submittedAt);
    checkSubmittedAt(submittedAt, now);

    // A retry is the same id, answers and instant (never the token: the response's events hold nothing of it).
    const requestHash = contentHash({ id: body.id, answers: body.answers, submittedAt: submittedAt.toISOString() });
    const streamId = streamIds.surveyResponse(surveyId, body.id);
    const before = foldStream(responseDecider, await this.store.readStream(streamId));
    if (before.recorded) {
      if (before.requestHash === requestHash) return { id: body.id, status: 'duplicate', valid: before.valid };
      throw new Conflict(`response ${body.id} exists with another body`);
    }
    if (survey.status !== 'open') throw new Conflict(`survey ${surveyId} is ${survey.status}: it takes responses while it is open`);

    const response: SurveyRespondedV1 = {
      surveyId,
      responseId: body.id,
      unitId: definition.unitId,
      submittedAt: body.submittedAt,
      answers: checked.answers,
      valid: checked.valid,
      satisfaction: checked.satisfaction,
      via: byToken ? 'invitation' : 'client',
      invitationId: null,
    };
    const command = { response, occurredAt: submittedAt, requestHash };
    if (!byToken) {
      const r = await handleCommand(this.store, streamId, responseDecider, command, { actor: actorOf(principal!), correlationId, now, requestHash });
      return this.outcome(body.id, r.events.length > 0, r.state);
    }

    const token = await this.tokens.verify(surveyId, body.token!);
    if (!token) throw new Forbidden('this invitation token is not one this survey issued');
    // Each fact its own correlation id, neither the request's, and no causation: nothing to join them by.
    const unlinked = (): CommandContext => ({ actor: INVITATION_ACTOR, correlationId: randomUUID(), now, causationId: null });
    await handleCommand(this.store, streamIds.surveyToken(surveyId, token.tokenHash), tokenDecider, { surveyId, invitationId: token.invitationId, tokenHash: token.tokenHash, unitId: definition.unitId }, unlinked(), TOKEN_USE);
    if (!definition.anonymous) response.invitationId = token.invitationId;
    const r = await this.mixer.run(() => handleCommand(this.store, streamId, responseDecider, command, { ...unlinked(), requestHash }));
    return this.outcome(body.id, r.events.length > 0, r.state);
  }

  private outcome(id: string, appended: boolean, state: ResponseState): ResponseOutcome {
    return { id, status: appended ? 'accepted' : 'duplicate', valid: state.recorded && state.valid };
  }
}
