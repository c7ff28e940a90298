// Ranks a unit's child units (each with its subtree), or the windows or officers anywhere below it, for one period.
import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InvalidInput } from '@minyi/contracts';
import { parsePeriod, periodRange, rank, type RankCandidate, type Ranking } from '@minyi/indices';
import { POOLS, type Pools, type Principal } from '@minyi/platform';
import { countsByScope } from '../application/level-counts.js';
import { EARLIEST_DATE } from '../application/query-limits.js';
import { ReadScope } from '../application/read-scope.js';
import type { GetRankingsParams } from './get-rankings.schema.js';

export class GetRankings {
  constructor(
    readonly params: GetRankingsParams,
    readonly principal: Principal,
  ) {}
}

const CANDIDATES: Record<GetRankingsParams['of'], { sql: string; scope: string }> = {
  units: { sql: 'SELECT unit_id AS id, name FROM rm_units WHERE parent_id = $1', scope: 'unit' },
  windows: { sql: 'SELECT window_id AS id, name FROM rm_windows WHERE path @> ARRAY[$1]::text[]', scope: 'window' },
  officers: { sql: 'SELECT officer_id AS id, name FROM rm_officers WHERE path @> ARRAY[$1]::text[]', scope: 'officer' },
};

@QueryHandler(GetRankings)
export class GetRankingsHandler implements IQueryHandler<GetRankings, Ranking> {
  constructor(
    @Inject(POOLS) private readonly pools: Pools,
    private readonly scopes: ReadScope,
  ) {}

  async execute({ params, principal }: GetRankings): Promise<Ranking> {
    // Who may ask comes first: nothing else is done for a token that may not read the unit.
    await this.scopes.authorise(principal, 'unit', params.parentId);
    const period = parsePeriod(params.period, params.granularity);
    if (!period) {
      throw new InvalidInput(`"${params.period}" is not a ${params.granularity} period`, [
        { path: 'period', message: `must be a ${params.granularity} period such as ${EXAMPLES[params.granularity]}` },
      ]);
    }
    if (periodRange(period, params.granularity).first < EARLIEST_DATE) {
      throw new InvalidInput(`"${params.period}" begins before ${EARLIEST_DATE}`, [{ path: 'period', message: `must not begin before ${EARLIEST_DATE}` }]);
    }
    const source = CANDIDATES[params.of];
    const { rows } = await this.pools.app.query<{ id: string; name: string }>(source.sql, [params.parentId]);
    const levelsOf = await countsByScope(this.pools.app, rows.map((r) => `${source.scope}:${r.id}`), params.granularity, period, params.channel ?? 'all');
    const candidates: RankCandidate[] = rows.map((r) => ({ id: r.id, name: r.name, levels: levelsOf(`${source.scope}:${r.id}`) }));
    return rank(candidates, params.metric ?? 'index', params.minN === undefined ? 1 : Number(params.minN));
  }
}

const EXAMPLES = { day: '2026-10-21', week: '2026-W43', month: '2026-10', quarter: '2026-Q4', year: '2026' } as const;
