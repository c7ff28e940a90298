// Answers a page of a ledger (台账): the cases of one kind under a unit (by responsible unit), filtered, newest
// filing first then id ascending; walking the pages meets every case filed before the first page exactly once.
import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InvalidInput, NotFound, type FieldError } from '@minyi/contracts';
import { CaseAccess } from '@minyi/case-api';
import { isValidDate, PeriodCutter, startOfLocalDay } from '@minyi/indices';
import { CONFIG, POOLS, type MinyiConfig, type Pools, type Principal } from '@minyi/platform';
import { EARLIEST_DATE } from '../application/query-limits.js';
import { decodeCursor, encodeCursor, type LedgerPosition } from './ledger-cursor.js';
import { ledgerPage } from './ledger-page.js';
import { DEFAULT_LIMIT, MAX_LIMIT, type GetLedgerParams } from './get-ledger.schema.js';
import type { LedgerDefinition } from './ledgers.js';

export class GetLedger {
  constructor(
    readonly ledger: LedgerDefinition,
    readonly params: GetLedgerParams,
    readonly principal: Principal,
  ) {}
}

export interface LedgerItem {
  id: string;
  unitId: string;
  responsibleUnitId: string;
  category?: string | null;
  kind?: string | null;
  state: string;
  occurredAt: string;
  dueAt: string | null;
  overdue: boolean;
  text?: string | null;
}

export interface LedgerPage {
  items: LedgerItem[];
  nextCursor: string | null;
}

@QueryHandler(GetLedger)
export class GetLedgerHandler implements IQueryHandler<GetLedger, LedgerPage> {
  private readonly cutter: PeriodCutter;

  constructor(
    @Inject(POOLS) private readonly pools: Pools,
    @Inject(CONFIG) config: MinyiConfig,
    private readonly access: CaseAccess,
  ) {
    this.cutter = new PeriodCutter(config.timeZone);
  }

  async execute({ ledger, params, principal }: GetLedger): Promise<LedgerPage> {
    const unitId = params.scope.slice('unit:'.length);
    // Who may ask comes first: an unknown unit is 404, one outside the caller's reach 403, before anything else.
    if ((await this.access.unitPath(unitId)) === null) throw new NotFound(`unit ${unitId} does not exist`);
    await this.access.authoriseRead(principal, unitId);

    const errors: FieldError[] = [];
    for (const path of ['from', 'to'] as const) {
      const date = params[path];
      if (date === undefined) continue;
      if (!isValidDate(date)) errors.push({ path, message: 'is not a real date' });
      else if (date < EARLIEST_DATE) errors.push({ path, message: `must not be before ${EARLIEST_DATE}` });
    }
    if (!errors.length && params.from !== undefined && params.to !== undefined && params.from > params.to) errors.push({ path: 'to', message: 'must not be before from' });
    const limit = params.limit === undefined ? DEFAULT_LIMIT : Number(params.limit);
    if (!(limit >= 1 && limit <= MAX_LIMIT)) errors.push({ path: 'limit', message: `must be 1 to ${MAX_LIMIT}` });
    let after: LedgerPosition | undefined;
    try {
      after = params.cursor === undefined ? undefined : decodeCursor(params.cursor);
    } catch (err) {
      if (!(err instanceof InvalidInput)) throw err;
      errors.push(...err.errors);
    }
    if (errors.length) throw new InvalidInput('the query is invalid', errors);

    const rows = await ledgerPage(this.pools.app, {
      kind: ledger.kind,
      unitId,
      state: params.state,
      category: params.category,
      overdue: params.overdue === undefined ? undefined : params.overdue === 'true',
      fromMs: params.from === undefined ? undefined : this.startOf(params.from, 0),
      beforeMs: params.to === undefined ? undefined : this.startOf(params.to, 1),
      after,
      // One more than asked tells whether another page follows.
      limit: limit + 1,
      nowMs: Date.now(),
      text: ledger.text,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => ({
        id: r.caseId,
        unitId: r.filedUnitId,
        responsibleUnitId: r.responsibleUnitId,
        [ledger.categoryName]: r.category,
        state: r.state,
        occurredAt: r.filedAt,
        dueAt: r.dueAt,
        overdue: r.overdue,
        ...(ledger.text ? { text: r.text ?? null } : {}),
      })),
      nextCursor: rows.length > limit && last ? encodeCursor({ filedAt: last.filedAt, caseId: last.caseId }) : null,
    };
  }

  /** The first instant of the local date `date` plus `days` days, in MINYI_TZ. */
  private startOf(date: string, days: number): number {
    const [y, m, d] = date.split('-').map(Number);
    return startOfLocalDay(Date.UTC(y, m - 1, d) / 86_400_000 + days, this.cutter).instantMs;
  }
}
