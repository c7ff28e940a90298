// The administrator imports an older rating system's records: no age limit, each naming its terminal.
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { isClientId, Refused, type DomainError } from '@minyi/contracts';
import { OrganisationDirectory } from '@minyi/organisation';
import { RatingIntake, type ItemResult, type Submitter } from '../application/rating-intake.js';
import { importedRatingSchema } from '../application/rating.schema.js';

export class ImportRatings {
  constructor(
    readonly ratings: unknown[],
    readonly actor: string,
    readonly correlationId: string,
  ) {}
}

@CommandHandler(ImportRatings)
export class ImportRatingsHandler implements ICommandHandler<ImportRatings, ItemResult[]> {
  constructor(
    private readonly intake: RatingIntake,
    private readonly directory: OrganisationDirectory,
  ) {}

  async execute(c: ImportRatings): Promise<ItemResult[]> {
    // Only ids that can name a terminal are looked up (security review #17: any string once reached SQL, a NUL
    // with it); an item with another terminalId fails its own validation. The lookups go out together.
    const ids = new Set<string>();
    for (const item of c.ratings) {
      const id = (item as { terminalId?: unknown } | null)?.terminalId;
      if (isClientId(id)) ids.add(id);
    }
    const terminals = new Map<string, Submitter | DomainError>();
    await Promise.all(
      [...ids].map(async (id) => {
        const t = await this.directory.terminal(id);
        terminals.set(id, t ? { terminalId: t.terminalId, windowId: t.windowId, unitId: t.unitId } : new Refused(`terminal ${id} does not exist`, [{ path: 'terminalId', message: 'no such terminal' }]));
      }),
    );
    const unknown = new Refused('the rating names no terminal', [{ path: 'terminalId', message: 'is required' }]);
    return this.intake.take(
      c.ratings.map((body) => {
        const id = (body as { terminalId?: unknown } | null)?.terminalId;
        return { body, terminal: (typeof id === 'string' && terminals.get(id)) || unknown };
      }),
      importedRatingSchema,
      'import',
      c.actor,
      c.correlationId,
    );
  }
}
