// The administrator voids a rating: it stays in the log with the reason and stops counting.
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { contentHash, streamIds } from '@minyi/contracts';
import { EventStore, StreamVersionConflict } from '@minyi/event-store';
import { decideVoid, evolveRating, initialRatingState, type RatingState } from '../domain/rating.decider.js';

export class VoidRating {
  constructor(
    readonly ratingId: string,
    readonly reason: string,
    readonly actor: string,
    readonly correlationId: string,
  ) {}
}

@CommandHandler(VoidRating)
export class VoidRatingHandler implements ICommandHandler<VoidRating, 'voided' | 'duplicate'> {
  constructor(private readonly store: EventStore) {}

  async execute(c: VoidRating): Promise<'voided' | 'duplicate'> {
    const streamId = streamIds.rating(c.ratingId);
    for (let attempt = 0; ; attempt++) {
      const events = await this.store.readStream(streamId);
      const state = events.reduce<RatingState>(
        (s, e) => evolveRating(s, { type: e.type, data: e.data, occurredAt: e.occurredAt, requestHash: e.metadata.requestHash }),
        initialRatingState,
      );
      const d = decideVoid({ ratingId: c.ratingId, reason: c.reason }, state);
      if (d.outcome === 'duplicate') return 'duplicate';
      try {
        await this.store.append(streamId, events.length, [
          {
            type: d.event.type,
            version: 1,
            data: d.event.data,
            occurredAt: new Date(),
            unitId: d.event.data.rating.unitId,
            metadata: { actor: c.actor, correlationId: c.correlationId, causationId: events.at(-1)?.eventId ?? null, requestHash: contentHash({ reason: c.reason }) },
          },
        ]);
        return 'voided';
      } catch (err) {
        if (!(err instanceof StreamVersionConflict) || attempt > 0) throw err;
      }
    }
  }
}
