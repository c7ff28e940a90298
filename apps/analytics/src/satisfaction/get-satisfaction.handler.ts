// Answers a satisfaction series: figures for every period overlapping [from, to], with YoY and PoP.
import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InvalidInput } from '@minyi/contracts';
import {
  changeBetween,
  figuresOf,
  isValidDate,
  periodsOverlapping,
  previousPeriod,
  yearEarlier,
  type Change,
  type Figures,
  type Granularity,
} from '@minyi/indices';
import { CONFIG, POOLS, type MinyiConfig, type Pools, type Principal } from '@minyi/platform';
import { countsByPeriod } from '../application/level-counts.js';
import { ReadScope, type ScopeKind } from '../application/read-scope.js';
import type { GetSatisfactionParams } from './get-satisfaction.schema.js';

/** More periods than this in one series is almost surely a mistake (10 years of days ≈ 3,650). */
export const MAX_PERIODS = 4000;

export class GetSatisfaction {
  constructor(
    readonly params: GetSatisfactionParams,
    readonly principal: Principal,
  ) {}
}

export type SeriesEntry = Figures & { period: string; yoy: Change | null; pop: Change | null };

export interface SatisfactionSeries {
  scope: string;
  granularity: Granularity;
  timezone: string;
  series: SeriesEntry[];
}

@QueryHandler(GetSatisfaction)
export class GetSatisfactionHandler implements IQueryHandler<GetSatisfaction, SatisfactionSeries> {
  constructor(
    @Inject(POOLS) private readonly pools: Pools,
    @Inject(CONFIG) private readonly config: MinyiConfig,
    private readonly scopes: ReadScope,
  ) {}

  async execute({ params, principal }: GetSatisfaction): Promise<SatisfactionSeries> {
    const { scope, granularity: g, from, to } = params;
    const errors = [];
    if (!isValidDate(from)) errors.push({ path: 'from', message: 'is not a real date' });
    if (!isValidDate(to)) errors.push({ path: 'to', message: 'is not a real date' });
    if (!errors.length && from > to) errors.push({ path: 'to', message: 'must not be before from' });
    if (errors.length) throw new InvalidInput('the query is invalid', errors);
    const periods = periodsOverlapping(from, to, g);
    if (periods.length > MAX_PERIODS) {
      throw new InvalidInput(`the range spans ${periods.length} ${g} periods; at most ${MAX_PERIODS}`, [{ path: 'to', message: `spans more than ${MAX_PERIODS} periods` }]);
    }
    const [kind, ...rest] = scope.split(':');
    await this.scopes.authorise(principal, kind as ScopeKind, rest.join(':'));

    const earlier = (p: string) => ({ pop: previousPeriod(p, g), yoy: yearEarlier(p, g) });
    const needed = new Set(periods);
    for (const p of periods) {
      const e = earlier(p);
      needed.add(e.pop);
      if (e.yoy) needed.add(e.yoy);
    }
    const levelsOf = await countsByPeriod(this.pools.app, scope, g, [...needed], params.channel ?? 'all');
    const series = periods.map((period): SeriesEntry => {
      const f = figuresOf(levelsOf(period));
      const e = earlier(period);
      return {
        period,
        ...f,
        yoy: changeBetween(f, e.yoy ? figuresOf(levelsOf(e.yoy)) : null),
        pop: changeBetween(f, figuresOf(levelsOf(e.pop))),
      };
    });
    return { scope, granularity: g, timezone: this.config.timeZone, series };
  }
}
