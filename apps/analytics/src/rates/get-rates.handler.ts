// Answers a rates series: for every period overlapping [from, to], each group's counts and rates over the cases
// filed in it (cohorts), under the scope's unit now, with their status now.
import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Granularity } from '@minyi/indices';
import { CONFIG, POOLS, type MinyiConfig, type Pools, type Principal } from '@minyi/platform';
import { seriesPeriods } from '../application/query-limits.js';
import { ReadScope } from '../application/read-scope.js';
import { rateCounts } from './cohort-counts.js';
import { RATE_GROUPS } from './rate-groups.js';
import type { GetRatesParams } from './get-rates.schema.js';

export class GetRates {
  constructor(
    readonly params: GetRatesParams,
    readonly principal: Principal,
  ) {}
}

export type RatesEntry = { period: string } & Record<string, Record<string, number | null> | string>;

export interface RatesSeries {
  scope: string;
  granularity: Granularity;
  timezone: string;
  series: RatesEntry[];
}

@QueryHandler(GetRates)
export class GetRatesHandler implements IQueryHandler<GetRates, RatesSeries> {
  constructor(
    @Inject(POOLS) private readonly pools: Pools,
    @Inject(CONFIG) private readonly config: MinyiConfig,
    private readonly scopes: ReadScope,
  ) {}

  async execute({ params, principal }: GetRates): Promise<RatesSeries> {
    const { scope, granularity: g, from, to } = params;
    const unitId = scope.slice('unit:'.length);
    // Who may ask comes first: nothing else is done for a token that may not read the scope.
    await this.scopes.authorise(principal, 'unit', unitId);
    const periods = seriesPeriods(from, to, g);
    // One statement for every group: on a busy machine each extra backend a request wakes lengthens its tail.
    const counts = await rateCounts(
      this.pools.app,
      unitId,
      g,
      periods,
      RATE_GROUPS.map((r) => r.kind),
      Date.now(),
    );
    const series = periods.map((period) => {
      const entry: RatesEntry = { period };
      for (const r of RATE_GROUPS) entry[r.group] = r.figures(counts.cohort(r.kind, period));
      // Visits are facts, not cases: counted in the period of each visit, not by cohort.
      entry.visits = { ...counts.visits(period) };
      return entry;
    });
    return { scope, granularity: g, timezone: this.config.timeZone, series };
  }
}
