// The visits projection: keeps, as visits commit, their counts per unit (each unit of the visit's unit's path) and
// period of every granularity — visits, meetings, attendees, and households: distinct refs met (a dedupe table,
// a ref counted when it is first inserted) plus each household visit without a ref. A visit is a fact that never
// changes, so nothing is ever taken back; the checkpoint in the same transaction makes a redelivery harmless.
import type { PoolClient } from 'pg';
import { UnitRegistered, VisitRecorded, type UnitRegisteredV1, type VisitRecordedV1 } from '@minyi/contracts';
import type { EventStore, LogEvent } from '@minyi/event-store';
import { GRANULARITIES, PeriodCutter } from '@minyi/indices';
import type { Projection, ProjectionDefinition } from '@minyi/messaging';
import { UnitPaths } from '../organisation/unit-paths.js';
import { VISIT_TABLES, type VisitTables } from './visits.migrations.js';

export const VISITS_PROJECTION = 'visits';

interface Cell {
  unitId: string;
  granularity: string;
  period: string;
  visits: number;
  /** Household visits without a ref (each counts); refs are added when first inserted. */
  households: number;
  meetings: number;
  attendees: number;
}

const SEP = '\u0000';

export class VisitsProjection implements Projection<LogEvent> {
  readonly name = VISITS_PROJECTION;
  readonly withoutMetadata = true;
  private readonly paths: UnitPaths;
  private readonly cutter: PeriodCutter;

  constructor(
    timeZone: string,
    store: EventStore,
    private readonly tables: VisitTables = VISIT_TABLES,
  ) {
    this.cutter = new PeriodCutter(timeZone);
    this.paths = new UnitPaths(store);
  }

  async apply(events: LogEvent[], tx: PoolClient): Promise<void> {
    const needed = new Set<string>();
    for (const e of events) {
      if (e.type === UnitRegistered.type && (e.data as UnitRegisteredV1).parentId) needed.add((e.data as UnitRegisteredV1).parentId!);
      if (e.type === VisitRecorded.type) needed.add((e.data as VisitRecordedV1).unitId);
    }
    await this.paths.ensure(needed);
    const cells = new Map<string, Cell>();
    /** `cell key → refs` met in this batch (deduplicated here, then against the table). */
    const refs = new Map<string, Set<string>>();
    for (const e of events) {
      if (e.type === UnitRegistered.type) {
        this.paths.learn(e.data as UnitRegisteredV1);
        continue;
      }
      if (e.type !== VisitRecorded.type) continue;
      const v = e.data as VisitRecordedV1;
      const periods = this.cutter.periodsOf(e.occurredAt.getTime());
      const household = v.target.kind === 'household';
      for (const unitId of this.paths.pathOf(v.unitId)) {
        for (const g of GRANULARITIES) {
          const key = `${unitId}${SEP}${g}${SEP}${periods[g]}`;
          let c = cells.get(key);
          if (!c) cells.set(key, (c = { unitId, granularity: g, period: periods[g], visits: 0, households: 0, meetings: 0, attendees: 0 }));
          c.visits += 1;
          if (v.meeting) {
            c.meetings += 1;
            c.attendees += v.meeting.attendees;
          }
          if (!household) continue;
          if (v.target.ref === null) c.households += 1;
          else {
            let set = refs.get(key);
            if (!set) refs.set(key, (set = new Set()));
            set.add(v.target.ref);
          }
        }
      }
    }
    if (cells.size === 0) return;
    await this.countNewRefs(tx, cells, refs);
    // In key order, so that two instances adding to the same cells take their row locks alike and never deadlock.
    const ordered = [...cells.keys()].sort().map((k) => cells.get(k)!);
    await tx.query(
      `INSERT INTO ${this.tables.counts} AS t (unit_id, granularity, period, visits, households, meetings, attendees)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::int[], $7::bigint[])
       ON CONFLICT (unit_id, granularity, period) DO UPDATE SET
         visits = t.visits + EXCLUDED.visits, households = t.households + EXCLUDED.households,
         meetings = t.meetings + EXCLUDED.meetings, attendees = t.attendees + EXCLUDED.attendees`,
      [
        ordered.map((c) => c.unitId),
        ordered.map((c) => c.granularity),
        ordered.map((c) => c.period),
        ordered.map((c) => c.visits),
        ordered.map((c) => c.households),
        ordered.map((c) => c.meetings),
        ordered.map((c) => String(c.attendees)),
      ],
    );
  }

  /** Inserts the batch's refs; each one not there before adds a household to its cell. */
  private async countNewRefs(tx: PoolClient, cells: Map<string, Cell>, refs: Map<string, Set<string>>): Promise<void> {
    if (refs.size === 0) return;
    const rows: [string, string, string, string][] = [];
    for (const [key, set] of refs) {
      const c = cells.get(key)!;
      for (const ref of set) rows.push([c.unitId, c.granularity, c.period, ref]);
    }
    rows.sort((a, b) => (a.join(SEP) < b.join(SEP) ? -1 : 1));
    const inserted = await tx.query<{ unit_id: string; granularity: string; period: string; n: number }>(
      `WITH added AS (
         INSERT INTO ${this.tables.households} (unit_id, granularity, period, ref)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
         ON CONFLICT DO NOTHING
         RETURNING unit_id, granularity, period)
       SELECT unit_id, granularity, period, count(*)::int AS n FROM added GROUP BY unit_id, granularity, period`,
      [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3])],
    );
    for (const r of inserted.rows) cells.get(`${r.unit_id}${SEP}${r.granularity}${SEP}${r.period}`)!.households += r.n;
  }
}

/** The visits read models, as the projector's registry and the generic rebuild take them. */
export const visitsProjection: ProjectionDefinition<LogEvent> = {
  name: VISITS_PROJECTION,
  version: 1,
  handles: [UnitRegistered.type, VisitRecorded.type],
  tables: Object.values(VISIT_TABLES),
  create: (deps, tables) =>
    new VisitsProjection(deps.timeZone, deps.store, {
      counts: tables[VISIT_TABLES.counts] ?? VISIT_TABLES.counts,
      households: tables[VISIT_TABLES.households] ?? VISIT_TABLES.households,
    }),
};
