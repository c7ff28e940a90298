// Answers a satisfaction series: figures for every period overlapping [from, to], with YoY and PoP.
import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { changeBetween, figuresOf, previousPeriod, yearEarlier, type Change, type Figures, type Granularity } from '@minyi/indices';
import { CONFIG, POOLS, type MinyiConfig, type Pools, type Principal } from '@minyi/platform';
import { countsByPeriod } from '../application/level-counts.js';
import { seriesPeriods } from '../application/query-limits.js';
import { ReadScope, type ScopeKind } from '../application/read-scope.js';
import type { GetSatisfactionParams } from './get-satisfaction.schema.js';

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
    // Who may ask comes first: nothing else is done for a token that may not read the scope.
    const [kind, ...rest] = scope.split(':');
    await this.scopes.authorise(principal, kind as ScopeKind, rest.join(':'));

    const periods = seriesPeriods(from, to, g);

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
