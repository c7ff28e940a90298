// The visits context's public face: its module, its case kinds, the filing of a survey's suggestion as an opinion
// (for the surveys context's reactor), and its manifest (what it adds to a process).
import { OpinionRated } from '@minyi/contracts';
import type { ContextManifest } from '@minyi/messaging';
import { VisitsModule } from './visits.module.js';

export * from './visits.module.js';
export { opinionKind, DEFAULT_OPINION_DUE_WORKING_DAYS } from './domain/opinion.kind.js';
export { disputeKind } from './domain/dispute.kind.js';
export { hazardKind } from './domain/hazard.kind.js';
export { visitDecider } from './domain/visit.decider.js';
export { suggestionFiling, suggestionOpinionId, type SurveySuggestion } from './domain/survey-suggestion.js';
export { fileSurveySuggestion, type SuggestionCause } from './application/file-suggestion.js';

export const visitsManifest: ContextManifest = {
  name: 'visits',
  parts: { visits: VisitsModule },
  migrations: [],
  // API.md: each rate score, at the responsible unit as it was when the step was taken, in the period of its occurredAt.
  satisfactionSources: [{ eventType: OpinionRated.type, channel: 'visits', sign: 1, score: 'fields.score', unitId: 'status.responsibleUnitId' }],
};
