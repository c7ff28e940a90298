// The ledgers (台账) of the case kinds: a kind that comes with a channel adds an entry here and nothing else.
import { COMPLAINT_STATES, DISPUTE_STATES, FOLLOWUP_STATES, HAZARD_STATES, OPINION_STATES, type CaseKind } from '@minyi/contracts';

export interface LedgerDefinition {
  kind: CaseKind;
  /** The route: `complaints` → GET /v1/complaints. */
  plural: string;
  /** The states the `state` filter accepts. */
  states: readonly string[];
  /** What an item calls its category: `category`, or `kind` for disputes and hazards. */
  categoryName: 'category' | 'kind';
  /** Whether items carry the filing's text (complaints and opinions). */
  text: boolean;
}

export const LEDGERS: readonly LedgerDefinition[] = [
  { kind: 'complaint', plural: 'complaints', states: COMPLAINT_STATES, categoryName: 'category', text: true },
  { kind: 'followup', plural: 'followups', states: FOLLOWUP_STATES, categoryName: 'category', text: false },
  { kind: 'opinion', plural: 'opinions', states: OPINION_STATES, categoryName: 'category', text: true },
  { kind: 'dispute', plural: 'disputes', states: DISPUTE_STATES, categoryName: 'kind', text: false },
  { kind: 'hazard', plural: 'hazards', states: HAZARD_STATES, categoryName: 'kind', text: false },
];
