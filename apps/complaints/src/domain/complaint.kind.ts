// The complaint (投诉) as a case kind: filed, then accepted or escalated (each sets the responsible unit and a
// deadline), handled, replied, called back, reopened, closed — closed for good when final (停访息诉).
import { ComplaintAccepted, ComplaintCalledBack, ComplaintClosed, ComplaintEscalated, ComplaintFiled, ComplaintHandled, ComplaintReopened, ComplaintReplied, streamIds } from '@minyi/contracts';
import type { CaseKindDefinition } from '@minyi/cases';

export const DEFAULT_DUE_WORKING_DAYS = 15;

export const complaintKind: CaseKindDefinition = {
  kind: 'complaint',
  plural: 'complaints',
  streamId: streamIds.complaint,
  filed: { event: ComplaintFiled.type, state: 'filed' },
  steps: {
    accept: { event: ComplaintAccepted.type, from: ['filed', 'reopened'], to: 'accepted', assigns: true, deadline: true },
    escalate: { event: ComplaintEscalated.type, from: ['filed', 'accepted', 'reopened'], to: 'accepted', assigns: true, deadline: true },
    handle: { event: ComplaintHandled.type, from: ['accepted'], to: 'handled', handling: true },
    reply: { event: ComplaintReplied.type, from: ['handled'], to: 'replied', reply: true },
    callback: { event: ComplaintCalledBack.type, from: ['replied'], to: 'calledBack', callback: true },
    reopen: { event: ComplaintReopened.type, from: ['handled', 'replied', 'calledBack', 'closed'], to: 'reopened', reopen: true },
    close: { event: ComplaintClosed.type, from: ['handled', 'replied', 'calledBack'], to: 'closed', close: true },
  },
};
