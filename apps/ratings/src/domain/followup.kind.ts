// The bad-rating follow-up (差评整改) as a case kind: opened for a rating of 1 or 2 (by a reactor, never over
// HTTP), verified — or found invalid on appeal (申诉复核), which takes it out of every rate and voids the rating —,
// rectified (the handling step), called back; voided, whatever its state, when its rating is voided.
import { FollowUpCalledBack, FollowUpOpened, FollowUpRectified, FollowUpVerified, FollowUpVoided, streamIds } from '@minyi/contracts';
import type { CaseKindDefinition } from '@minyi/cases';

export const followUpKind: CaseKindDefinition = {
  kind: 'followup',
  plural: 'followups',
  streamId: streamIds.followup,
  filed: { event: FollowUpOpened.type, state: 'open' },
  steps: {
    verify: { event: FollowUpVerified.type, from: ['open'], to: (f) => (f.valid ? 'verified' : 'invalid'), excludes: (f) => !f.valid },
    rectify: { event: FollowUpRectified.type, from: ['open', 'verified'], to: 'rectified', handling: true },
    callback: { event: FollowUpCalledBack.type, from: ['rectified'], to: 'calledBack', callback: true },
    void: { event: FollowUpVoided.type, from: ['open', 'verified', 'rectified', 'calledBack'], to: 'voided', excludes: true, system: true },
  },
};
