// A survey as its stream holds it (definition and status): every use case reads it fresh, since publishing and
// closing change what a response may do. The stream is short (a definition, a publication, a closing).
import { Injectable } from '@nestjs/common';
import { NotFound, streamIds } from '@minyi/contracts';
import { EventStore, foldStream } from '@minyi/event-store';
import { surveyDecider, type SurveyState } from '../domain/survey.decider.js';

export type DefinedSurvey = Extract<SurveyState, { defined: true }>;

@Injectable()
export class Surveys {
  constructor(private readonly store: EventStore) {}

  async state(surveyId: string): Promise<SurveyState> {
    return foldStream(surveyDecider, await this.store.readStream(streamIds.survey(surveyId)));
  }

  /** The survey, or 404. */
  async require(surveyId: string): Promise<DefinedSurvey> {
    const s = await this.state(surveyId);
    if (!s.defined) throw new NotFound(`no survey ${surveyId}`);
    return s;
  }
}
