// The dispute (矛盾纠纷) a visit finds, as a case kind: found, then resolved (化解, the handling step). No deadline,
// never reopened.
import { DisputeFound, DisputeResolved, streamIds } from '@minyi/contracts';
import type { CaseKindDefinition } from '@minyi/cases';

export const disputeKind: CaseKindDefinition = {
  kind: 'dispute',
  plural: 'disputes',
  streamId: streamIds.dispute,
  filed: { event: DisputeFound.type, state: 'found' },
  steps: {
    resolve: { event: DisputeResolved.type, from: ['found'], to: 'resolved', handling: true },
  },
};
