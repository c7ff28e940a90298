// A terminal uploads a batch (e.g. what it stored while offline); each item is judged on its own.
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { RatingIntake, type ItemResult, type Submitter } from '../application/rating-intake.js';
import { ratingSchema } from '../application/rating.schema.js';

export class SubmitRatingBatch {
  constructor(
    readonly ratings: unknown[],
    readonly terminal: Submitter,
    readonly actor: string,
    readonly correlationId: string,
  ) {}
}

@CommandHandler(SubmitRatingBatch)
export class SubmitRatingBatchHandler implements ICommandHandler<SubmitRatingBatch, ItemResult[]> {
  constructor(private readonly intake: RatingIntake) {}

  execute(c: SubmitRatingBatch): Promise<ItemResult[]> {
    return this.intake.take(
      c.ratings.map((body) => ({ body, terminal: c.terminal })),
      ratingSchema,
      'batch',
      c.actor,
      c.correlationId,
    );
  }
}
