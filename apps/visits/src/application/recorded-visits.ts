// Whether a visit an opinion, dispute or hazard names was recorded (API.md: a visitId must name a visit already
// filed, else 422). Visits are never withdrawn, so one that exists is remembered.
import { Injectable } from '@nestjs/common';
import { Refused, streamIds } from '@minyi/contracts';
import { EventStore } from '@minyi/event-store';

@Injectable()
export class RecordedVisits {
  private readonly known = new Set<string>();

  constructor(private readonly store: EventStore) {}

  /** Nothing when `visitId` is null or names a recorded visit; else 422 naming visitId. */
  async mustExist(visitId: string | null): Promise<void> {
    if (visitId === null || this.known.has(visitId)) return;
    if ((await this.store.streamVersion(streamIds.visit(visitId))) === 0) {
      throw new Refused(`visit ${visitId} has not been recorded`, [{ path: 'visitId', message: 'no such visit' }]);
    }
    this.known.add(visitId);
  }
}
