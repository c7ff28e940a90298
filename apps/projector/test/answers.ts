// Events of the other channels as the write side records them, for tests that feed the satisfaction projection
// directly: a complaint's callback and an opinion's rating (each its score, at the responsible unit as it was then;
// no window, no officer).
import type { NewEvent } from '@minyi/event-store';

const meta = { actor: 'test', correlationId: 'test', causationId: null };

/** A resident's rating of an opinion's answer (channel visits), as OpinionRated records it. */
export function opinionRating(c: { id: string; unitId: string; score: number; at: string; stepId?: string }): NewEvent {
  const e = complaintCallback(c);
  const data = e.data as { status: Record<string, unknown>; category: string };
  return { ...e, type: 'OpinionRated', data: { ...data, category: '养犬管理', status: { ...data.status, state: 'rated', handling: 'rectify' } } };
}

export function complaintCallback(c: { id: string; unitId: string; score: number; at: string; filedUnitId?: string; stepId?: string }): NewEvent {
  return {
    type: 'ComplaintCalledBack',
    version: 1,
    data: {
      caseId: c.id,
      filedAt: new Date(Date.parse(c.at) - 86_400_000).toISOString(),
      filedUnitId: c.filedUnitId ?? c.unitId,
      category: '噪音扰民',
      status: {
        state: 'calledBack',
        responsibleUnitId: c.unitId,
        dueAt: null,
        accepted: true,
        handled: true,
        onTime: true,
        handling: 'handle',
        replied: true,
        calledBack: true,
        score: c.score,
        closed: false,
        final: false,
        excluded: false,
      },
      stepId: c.stepId ?? `cb-${c.id}`,
      fields: { score: c.score },
    },
    occurredAt: new Date(c.at),
    unitId: c.unitId,
    metadata: meta,
  };
}
