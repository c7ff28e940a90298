// Looks up registered units, windows, officers and terminals straight from their event streams (so a thing
// is known the moment its registration commits), cached because a registration never changes. Credentials,
// which do change (new keys, revocations), are resolved by OrganisationCredentials instead.
import { Injectable } from '@nestjs/common';
import {
  streamIds,
  type OfficerRegisteredV1,
  type TerminalRegisteredV1,
  type UnitRegisteredV1,
  type WindowRegisteredV1,
} from '@minyi/contracts';
import { EventStore } from '@minyi/event-store';
import type { UnitDirectory } from '@minyi/platform';

export interface UnitEntry extends UnitRegisteredV1 {
  /** The unit's ancestors from the root down to the unit itself. */
  path: string[];
}

@Injectable()
export class OrganisationDirectory implements UnitDirectory {
  private readonly cache = new Map<string, unknown>();

  constructor(private readonly store: EventStore) {}

  private async first<T>(streamId: string): Promise<T | null> {
    const hit = this.cache.get(streamId);
    if (hit !== undefined) return hit as T;
    const events = await this.store.readStream(streamId);
    if (events.length === 0) return null;
    const data = events[0].data as T;
    this.cache.set(streamId, data);
    return data;
  }

  async unit(id: string): Promise<UnitEntry | null> {
    const key = `path:${id}`;
    const hit = this.cache.get(key);
    if (hit) return hit as UnitEntry;
    const u = await this.first<UnitRegisteredV1>(streamIds.unit(id));
    if (!u) return null;
    const parent = u.parentId ? await this.unit(u.parentId) : null;
    const entry: UnitEntry = { ...u, path: [...(parent?.path ?? []), u.unitId] };
    this.cache.set(key, entry);
    return entry;
  }

  window(id: string): Promise<WindowRegisteredV1 | null> {
    return this.first(streamIds.window(id));
  }

  officer(id: string): Promise<OfficerRegisteredV1 | null> {
    return this.first(streamIds.officer(id));
  }

  /** The window or officer if already known here, without a promise (the intake's hot path); else undefined. */
  knownWindow(id: string): WindowRegisteredV1 | undefined {
    return this.cache.get(streamIds.window(id)) as WindowRegisteredV1 | undefined;
  }

  knownOfficer(id: string): OfficerRegisteredV1 | undefined {
    return this.cache.get(streamIds.officer(id)) as OfficerRegisteredV1 | undefined;
  }

  /** The unit with its path if already known here, without a promise; else undefined. */
  knownUnit(id: string): UnitEntry | undefined {
    return this.cache.get(`path:${id}`) as UnitEntry | undefined;
  }

  /**
   * The terminal as registered (its window and unit never change). Not whether its key is current or it is
   * revoked: that is the credential resolver's, which reads the stream again.
   */
  terminal(id: string): Promise<TerminalRegisteredV1 | null> {
    return this.first(streamIds.terminal(id));
  }

  /** The unit's path from the root down to itself, or null when it does not exist (the UNIT_DIRECTORY port). */
  async unitPath(id: string): Promise<string[] | null> {
    return (await this.unit(id))?.path ?? null;
  }

  /** True when `unitId` is `ancestorId` or lies below it. */
  async isWithin(unitId: string, ancestorId: string): Promise<boolean> {
    const u = await this.unit(unitId);
    return !!u && u.path.includes(ancestorId);
  }
}
