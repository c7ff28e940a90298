// Cases filed as the complaints context files them (ComplaintFiled: data.fields.contact = a sealed contact), for
// the personal-data tests, which need filings in the log but not the complaints context.
import { ComplaintFiled, streamIds, type ComplaintFiledV1, type SealedContactV1 } from '@minyi/contracts';
import type { EventStore } from '@minyi/event-store';

export async function fileComplaint(store: EventStore, caseId: string, contact: SealedContactV1 | null, text = 'the pavement is broken'): Promise<void> {
  const filedAt = new Date().toISOString();
  const data: ComplaintFiledV1 = {
    caseId,
    filedAt,
    filedUnitId: 'u1',
    category: 'roads',
    status: {
      state: 'filed',
      responsibleUnitId: 'u1',
      dueAt: null,
      accepted: false,
      handled: false,
      onTime: false,
      handling: null,
      replied: false,
      calledBack: false,
      score: null,
      closed: false,
      final: false,
      excluded: false,
    },
    fields: { channel: 'hotline', text, contact },
  };
  await store.append(streamIds.complaint(caseId), 0, [
    { type: ComplaintFiled.type, version: ComplaintFiled.version, data, occurredAt: new Date(filedAt), unitId: 'u1', metadata: { actor: 'test', correlationId: 'test', causationId: null } },
  ]);
}

/** The sealed contact of a case's filing, as the log holds it. */
export async function filedContact(store: EventStore, caseId: string): Promise<SealedContactV1 | null> {
  const [filed] = await store.readStream(streamIds.complaint(caseId));
  return (filed.data as ComplaintFiledV1).fields.contact;
}
