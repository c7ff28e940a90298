// The administrator voids a rating: it stays in the log with the reason and stops counting. A follow-up found
// invalid on appeal voids its rating through the same function (the follow-up reactor), so both voids are one.
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { contentHash, streamIds } from '@minyi/contracts';
import { EventStore, handleCommand } from '@minyi/event-store';
import { ratingDecider } from '../domain/rating.decider.js';

export class VoidRating {
  constructor(
    readonly ratingId: string,
    readonly reason: string,
    readonly actor: string,
    readonly correlationId: string,
  ) {}
}

export interface VoidContext {
  actor: string;
  correlationId: string;
  /** The event that caused the void (a follow-up's invalid verification); by default the rating's last event. */
  causationId?: string;
}

/** Voids the rating (404 when there is none): 'duplicate' when it was voided already, whatever the reason then. */
export async function voidRating(store: EventStore, ratingId: string, reason: string, context: VoidContext): Promise<'voided' | 'duplicate'> {
  const handled = await handleCommand(store, streamIds.rating(ratingId), ratingDecider, { type: 'VoidRating', ratingId, reason }, {
    ...context,
    now: new Date(),
    requestHash: contentHash({ reason }),
  });
  return handled.events.length > 0 ? 'voided' : 'duplicate';
}

@CommandHandler(VoidRating)
export class VoidRatingHandler implements ICommandHandler<VoidRating, 'voided' | 'duplicate'> {
  constructor(private readonly store: EventStore) {}

  execute(c: VoidRating): Promise<'voided' | 'duplicate'> {
    return voidRating(this.store, c.ratingId, c.reason, { actor: c.actor, correlationId: c.correlationId });
  }
}
