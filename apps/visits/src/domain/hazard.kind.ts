// The public-security hazard (治安隐患) a visit finds, as a case kind: found, then rectified (整改, the handling
// step). No deadline, never reopened.
import { HazardFound, HazardRectified, streamIds } from '@minyi/contracts';
import type { CaseKindDefinition } from '@minyi/cases';

export const hazardKind: CaseKindDefinition = {
  kind: 'hazard',
  plural: 'hazards',
  streamId: streamIds.hazard,
  filed: { event: HazardFound.type, state: 'found' },
  steps: {
    rectify: { event: HazardRectified.type, from: ['found'], to: 'rectified', handling: true },
  },
};
