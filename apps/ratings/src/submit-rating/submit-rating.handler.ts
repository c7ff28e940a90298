// A terminal submits one rating.
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { RatingIntake, type ItemResult, type Submitter } from '../application/rating-intake.js';
import { ratingSchema } from '../application/rating.schema.js';

export class SubmitRating {
  constructor(
    readonly body: unknown,
    readonly terminal: Submitter,
    readonly actor: string,
    readonly correlationId: string,
  ) {}
}

@CommandHandler(SubmitRating)
export class SubmitRatingHandler implements ICommandHandler<SubmitRating, ItemResult> {
  constructor(private readonly intake: RatingIntake) {}

  async execute(c: SubmitRating): Promise<ItemResult> {
    const [result] = await this.intake.take([{ body: c.body, terminal: c.terminal }], ratingSchema, 'terminal', c.actor, c.correlationId);
    if (result.status === 'rejected') throw result.error;
    return result;
  }
}
