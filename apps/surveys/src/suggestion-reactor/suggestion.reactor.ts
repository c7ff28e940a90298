// The suggestion reactor: follows the log and files each suggestion of a valid response as an opinion (source
// `survey`, id `<surveyId>:<responseId>:<questionId>`), through the visits context's filing and the command kit. The
// opinion's id is derived from its cause, so a crash, a redelivery or a second reactor finds it filed and appends
// nothing (ARCHITECTURE.md invariant 10); it then lives the opinion's closed loop like any other.
import { SurveyResponded, type SurveyRespondedV1 } from '@minyi/contracts';
import type { RecordedEvent } from '@minyi/event-store';
import { Reactor, type ProjectionDeps, type ReactorDefinition } from '@minyi/messaging';
import { fileSurveySuggestion } from '@minyi/visits';
import { suggestionsOf } from '../domain/suggestions.js';

/** The consumer's checkpoint row. */
export const SUGGESTION_REACTOR = 'reactor:survey-suggestions';
const HANDLES = [SurveyResponded.type];

export const suggestionReactor: ReactorDefinition = {
  name: 'survey-suggestions',
  handles: HANDLES,
  create(deps: ProjectionDeps) {
    return new Reactor({
      name: SUGGESTION_REACTOR,
      handles: HANDLES,
      // A response's suggestions touch their own opinions only: responses react at once, each one's in order.
      keyOf: (e) => e.streamId,
      react: async (e: RecordedEvent) => {
        // The effect is the response's: its actor and correlation (for a response by token, those name nobody), the
        // response itself as the causation.
        const cause = { actor: e.metadata.actor, correlationId: e.metadata.correlationId, causationId: e.eventId };
        for (const s of suggestionsOf(e.data as SurveyRespondedV1)) await fileSurveySuggestion(deps.store, s, cause);
      },
    });
  },
};
