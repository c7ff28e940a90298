// The units' paths (root … unit) as projections that roll figures up the tree need them: learnt from the log's
// UnitRegistered events as they pass, and looked up in the log for a unit this instance has not seen registered
// (organisation and a channel travel on different Kafka topics, or another projector instance applied that batch).
// A unit never moves: its path is fixed when it is registered.
import { streamIds, type UnitRegisteredV1 } from '@minyi/contracts';
import type { EventStore } from '@minyi/event-store';

export class UnitPaths {
  /** Paths of every unit known so far; shared across batches, never shrinks. */
  readonly known = new Map<string, string[]>();

  constructor(private readonly store: EventStore) {}

  /** A registration seen in the log. */
  learn(d: UnitRegisteredV1): void {
    if (!this.known.has(d.unitId)) this.known.set(d.unitId, [...((d.parentId && this.known.get(d.parentId)) || []), d.unitId]);
  }

  /** Makes sure every unit named is known (or found not registered), reading the log for those that are not. */
  async ensure(unitIds: Iterable<string>): Promise<void> {
    for (const unitId of unitIds) if (!this.known.has(unitId)) await this.fromLog(unitId);
  }

  /** The unit's path; a unit never registered is its own root. */
  pathOf(unitId: string): string[] {
    return this.known.get(unitId) ?? [unitId];
  }

  private async fromLog(unitId: string): Promise<string[]> {
    const known = this.known.get(unitId);
    if (known) return known;
    const [registered] = await this.store.readStream(streamIds.unit(unitId));
    const data = registered?.data as UnitRegisteredV1 | undefined;
    const path = [...(data?.parentId ? await this.fromLog(data.parentId) : []), unitId];
    if (data) this.known.set(unitId, path);
    return path;
  }
}
