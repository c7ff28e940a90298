// The ratings context's public face: its module and its manifest (what it adds to a process).
import { RatingSubmitted, RatingVoided } from '@minyi/contracts';
import type { ContextManifest } from '@minyi/messaging';
import { followUpReactor } from './followup-reactor/followup.reactor.js';
import { RatingsModule } from './ratings.module.js';

export * from './ratings.module.js';
export { followUpKind } from './domain/followup.kind.js';
export { followUpReactor, FOLLOWUP_REACTOR } from './followup-reactor/followup.reactor.js';

export const ratingsManifest: ContextManifest = {
  name: 'ratings',
  parts: { ratings: RatingsModule },
  migrations: [],
  // A terminal's bad rating opens its follow-up; an invalid verification voids the rating; an administrator's void
  // voids the follow-up (followup-reactor/).
  reactors: [followUpReactor],
  // A rating counts at its window, officer and unit, in the period of its occurredAt; a void takes back exactly
  // what its rating counted (it carries the rating's facts).
  satisfactionSources: [
    { eventType: RatingSubmitted.type, channel: 'ratings', sign: 1, score: 'score', unitId: 'unitId', windowId: 'windowId', officerId: 'officerId' },
    { eventType: RatingVoided.type, channel: 'ratings', sign: -1, score: 'rating.score', unitId: 'rating.unitId', windowId: 'rating.windowId', officerId: 'rating.officerId', at: 'rating.occurredAt' },
  ],
};
