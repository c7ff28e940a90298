// Publishes (draft → open) or closes (→ closed) a survey (admin). Again: a duplicate. A closed survey stays closed.
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streamIds } from '@minyi/contracts';
import { EventStore, handleCommand } from '@minyi/event-store';
import { actorOf, type Principal } from '@minyi/platform';
import { surveyDecider } from '../domain/survey.decider.js';
import type { SurveyOutcome } from '../define-survey/define-survey.handler.js';

export class ChangeSurveyStatus {
  constructor(
    readonly surveyId: string,
    readonly to: 'publish' | 'close',
    readonly principal: Principal,
    readonly correlationId: string,
  ) {}
}

@CommandHandler(ChangeSurveyStatus)
export class ChangeSurveyStatusHandler implements ICommandHandler<ChangeSurveyStatus, SurveyOutcome> {
  constructor(private readonly store: EventStore) {}

  async execute({ surveyId, to, principal, correlationId }: ChangeSurveyStatus): Promise<SurveyOutcome> {
    const r = await handleCommand(this.store, streamIds.survey(surveyId), surveyDecider, { type: to, surveyId }, { actor: actorOf(principal), correlationId, now: new Date() });
    if (r.events.length === 0) return { id: surveyId, status: 'duplicate' };
    return { id: surveyId, status: to === 'publish' ? 'open' : 'closed' };
  }
}
