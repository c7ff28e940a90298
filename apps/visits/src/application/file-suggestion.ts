// Files a survey suggestion's opinion through the command kit (for the surveys context's reactor): the filing's
// id is derived from its cause, so a crash or a redelivery finds it filed and appends nothing.
import { caseDecider } from '@minyi/cases';
import { handleCommand, type EventStore } from '@minyi/event-store';
import { opinionKind } from '../domain/opinion.kind.js';
import { suggestionFiling, type SurveySuggestion } from '../domain/survey-suggestion.js';

const opinions = caseDecider(opinionKind);

export interface SuggestionCause {
  actor: string;
  correlationId: string;
  /** The event that caused it (the survey response). */
  causationId: string | null;
}

/** 'filed', or 'duplicate' when the same suggestion was filed before; a different one under its id is a Conflict. */
export async function fileSurveySuggestion(store: EventStore, suggestion: SurveySuggestion, cause: SuggestionCause, now = new Date()): Promise<'filed' | 'duplicate'> {
  const command = suggestionFiling(suggestion, now);
  const r = await handleCommand(store, opinionKind.streamId(command.caseId), opinions, command, { ...cause, now: command.now, requestHash: command.requestHash }, { attempts: 50 });
  return r.events.length > 0 ? 'filed' : 'duplicate';
}
