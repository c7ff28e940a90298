// The surveys context's public face: its module and its manifest (what it adds to a process).
import { SurveyResponded } from '@minyi/contracts';
import type { ContextManifest } from '@minyi/messaging';
import { surveyResultMigrations } from './survey-results/survey-results.migrations.js';
import { surveyResultsProjection } from './survey-results/survey-results.projection.js';
import { suggestionReactor } from './suggestion-reactor/suggestion.reactor.js';
import { SurveysModule } from './surveys.module.js';

export * from './surveys.module.js';
export { SURVEY_RESULT_TABLES } from './survey-results/survey-results.migrations.js';
export { surveyResultsProjection } from './survey-results/survey-results.projection.js';
export { suggestionReactor, SUGGESTION_REACTOR } from './suggestion-reactor/suggestion.reactor.js';

export const surveysManifest: ContextManifest = {
  name: 'surveys',
  parts: { surveys: SurveysModule },
  migrations: surveyResultMigrations,
  projections: [surveyResultsProjection],
  // Each suggestion of a valid response becomes an opinion (suggestion-reactor/).
  reactors: [suggestionReactor],
  // API.md: the answers of valid responses to level5 questions marked satisfaction, at the survey's unit, in the
  // period of submittedAt (the event's occurredAt). One response may answer several: the path names their list.
  satisfactionSources: [{ eventType: SurveyResponded.type, channel: 'surveys', sign: 1, score: 'satisfaction', many: true, unitId: 'unitId' }],
};
