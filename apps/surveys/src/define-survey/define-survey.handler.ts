// Defines a survey (admin): the definition checked beyond its schema (question ids, options, satisfaction), its unit
// known, then recorded once under its id. A published survey never changes: the same id with another definition is 409.
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { contentHash, InvalidInput, Refused, streamIds, type SurveyDefinedV1 } from '@minyi/contracts';
import { CaseAccess } from '@minyi/case-api';
import { EventStore, handleCommand } from '@minyi/event-store';
import { actorOf, type Principal } from '@minyi/platform';
import { definitionErrors, questionOf } from '../domain/questionnaire.js';
import { surveyDecider } from '../domain/survey.decider.js';
import type { DefineSurveyBody } from './define-survey.schema.js';

export class DefineSurvey {
  constructor(
    readonly body: DefineSurveyBody,
    readonly principal: Principal,
    readonly correlationId: string,
  ) {}
}

export interface SurveyOutcome {
  id: string;
  status: 'draft' | 'open' | 'closed' | 'duplicate';
}

@CommandHandler(DefineSurvey)
export class DefineSurveyHandler implements ICommandHandler<DefineSurvey, SurveyOutcome> {
  constructor(
    private readonly store: EventStore,
    private readonly access: CaseAccess,
  ) {}

  async execute({ body, principal, correlationId }: DefineSurvey): Promise<SurveyOutcome> {
    const errors = definitionErrors(body.questions);
    if (errors.length) throw new InvalidInput('the survey’s questions do not agree with their kinds', errors);
    if ((await this.access.unitPath(body.unitId)) === null) throw new Refused(`unit ${body.unitId} does not exist`, [{ path: 'unitId', message: 'no such unit' }]);
    const definition: SurveyDefinedV1 = {
      surveyId: body.id,
      unitId: body.unitId,
      title: body.title,
      audience: body.audience,
      anonymous: body.anonymous,
      targetSize: body.targetSize ?? null,
      questions: body.questions.map(questionOf),
    };
    // The definition as stored is what a retry must match (a question's default spelled out is the same question).
    const requestHash = contentHash(definition);
    const r = await handleCommand(this.store, streamIds.survey(body.id), surveyDecider, { type: 'define', definition, requestHash }, { actor: actorOf(principal), correlationId, now: new Date(), requestHash });
    return { id: body.id, status: r.events.length ? 'draft' : 'duplicate' };
  }
}
