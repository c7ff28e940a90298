// The cases projection: keeps the ledger of every case kind, its responsible units per unit, the cohort counts of the rates and
// the open cases by deadline current as events commit. Generic over kinds: they are known from the catalogue.
import type { PoolClient } from 'pg';
import { UnitRegistered } from '@minyi/contracts';
import type { EventStore, LogEvent } from '@minyi/event-store';
import { PeriodCutter } from '@minyi/indices';
import type { Projection, ProjectionDefinition } from '@minyi/messaging';
import { UnitPaths } from '../organisation/unit-paths.js';
import { bulkCases } from './cases.bulk.js';
import { CASE_EVENT_KINDS, CasesFold } from './cases.fold.js';
import { CASE_TABLES, type CaseTables } from './cases.migrations.js';
import { readPrior, writeCases } from './cases.writer.js';

export const CASES_PROJECTION = 'cases';

export class CasesProjection implements Projection<LogEvent> {
  readonly name = CASES_PROJECTION;
  /** Counts facts only: who sent an event never matters here. */
  readonly withoutMetadata = true;
  private readonly paths: UnitPaths;
  private readonly cutter: PeriodCutter;

  constructor(
    timeZone: string,
    /** Where a unit's path is looked up when this instance has not seen the unit's registration (UnitPaths). */
    store: EventStore,
    private readonly tables: CaseTables = CASE_TABLES,
  ) {
    this.cutter = new PeriodCutter(timeZone);
    this.paths = new UnitPaths(store);
  }

  async apply(events: LogEvent[], tx: PoolClient): Promise<void> {
    const missing = new Set<string>();
    for (const e of events) {
      const unitId = CasesFold.unitsOf(e);
      if (unitId) missing.add(unitId);
    }
    await this.paths.ensure(missing);
    const fold = new CasesFold(this.paths.known, this.cutter);
    for (const e of events) fold.apply(e);
    if (fold.rows.size === 0) return;
    const prior = await readPrior(tx, this.tables, fold.rows.values());
    await writeCases(tx, this.tables, [...fold.rows.values()], fold.deltas(prior));
  }
}

/** The read models of every case kind, as the projector's registry and the generic rebuild take them. */
export const casesProjection: ProjectionDefinition<LogEvent> = {
  name: CASES_PROJECTION,
  version: 1,
  handles: [UnitRegistered.type, ...CASE_EVENT_KINDS.keys()],
  tables: Object.values(CASE_TABLES),
  // Rows a change brought back to zero (a count, an open deadline, a responsible unit a case left): a rebuild need not make them.
  inert: {
    [CASE_TABLES.counts]: 'cases = 0 AND excluded = 0 AND accepted = 0 AND handled = 0 AND on_time = 0 AND replied = 0 AND called_back = 0 AND satisfied = 0 AND closed = 0 AND final = 0',
    [CASE_TABLES.open]: 'n = 0',
    [CASE_TABLES.units]: 'cases = 0',
  },
  // A rebuild takes each case's latest event below its cut in one pass, the rest derived by set operations.
  bulk: bulkCases,
  create: (deps, tables) =>
    new CasesProjection(deps.timeZone, deps.store, {
      cases: tables[CASE_TABLES.cases] ?? CASE_TABLES.cases,
      units: tables[CASE_TABLES.units] ?? CASE_TABLES.units,
      counts: tables[CASE_TABLES.counts] ?? CASE_TABLES.counts,
      open: tables[CASE_TABLES.open] ?? CASE_TABLES.open,
    }),
};
