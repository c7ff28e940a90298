// Builds events as the write side would record them, for tests that feed projections directly.
import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@minyi/event-store';

const meta = { actor: 'test', correlationId: 'test', causationId: null };

export const events = {
  unit(unitId: string, parentId: string | null, name = unitId): NewEvent {
    return { type: 'UnitRegistered', version: 1, data: { unitId, name, parentId, kind: 'station' }, occurredAt: new Date(), unitId, metadata: meta };
  },
  window(windowId: string, unitId: string, name = windowId): NewEvent {
    return { type: 'WindowRegistered', version: 1, data: { windowId, unitId, name, serviceTypes: [] }, occurredAt: new Date(), unitId, metadata: meta };
  },
  officer(officerId: string, unitId: string, name = officerId): NewEvent {
    return { type: 'OfficerRegistered', version: 1, data: { officerId, unitId, name }, occurredAt: new Date(), unitId, metadata: meta };
  },
  rating(r: { id?: string; windowId: string; unitId: string; score: number; at: string | Date; officerId?: string }): NewEvent {
    const ratingId = r.id ?? randomUUID();
    return {
      type: 'RatingSubmitted',
      version: 1,
      data: {
        ratingId,
        terminalId: `t-${r.windowId}`,
        windowId: r.windowId,
        unitId: r.unitId,
        score: r.score,
        officerId: r.officerId ?? null,
        serviceType: null,
        reasons: [],
        comment: null,
        source: 'terminal',
      },
      occurredAt: new Date(r.at),
      unitId: r.unitId,
      metadata: meta,
    };
  },
  voided(r: { id: string; windowId: string; unitId: string; score: number; at: string; officerId?: string }): NewEvent {
    return {
      type: 'RatingVoided',
      version: 1,
      data: { ratingId: r.id, reason: 'test', rating: { score: r.score, occurredAt: new Date(r.at).toISOString(), windowId: r.windowId, unitId: r.unitId, officerId: r.officerId ?? null } },
      occurredAt: new Date(),
      unitId: r.unitId,
      metadata: meta,
    };
  },
};
