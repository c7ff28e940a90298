// The opinion or suggestion (意见建议) as a case kind: collected verbatim, assigned to the responsible level with a
// deadline (分级负责), rectified — at once from `collected` (立行立改: no deadline, so on time) or after assignment —
// or explained (it cannot be done, and why), replied to the resident (及时反馈), rated by them, reopened.
import { OpinionAssigned, OpinionCollected, OpinionExplained, OpinionRated, OpinionReopened, OpinionRectified, OpinionReplied, streamIds } from '@minyi/contracts';
import type { CaseKindDefinition } from '@minyi/cases';

export const DEFAULT_OPINION_DUE_WORKING_DAYS = 15;

const OPEN = ['collected', 'assigned', 'reopened'];

export const opinionKind: CaseKindDefinition = {
  kind: 'opinion',
  plural: 'opinions',
  streamId: streamIds.opinion,
  filed: { event: OpinionCollected.type, state: 'collected' },
  steps: {
    assign: { event: OpinionAssigned.type, from: OPEN, to: 'assigned', assigns: true, deadline: true },
    rectify: { event: OpinionRectified.type, from: OPEN, to: 'rectified', handling: true },
    explain: { event: OpinionExplained.type, from: OPEN, to: 'explained', handling: true },
    reply: { event: OpinionReplied.type, from: ['rectified', 'explained'], to: 'replied', reply: true },
    rate: { event: OpinionRated.type, from: ['replied'], to: 'rated', callback: true },
    reopen: { event: OpinionReopened.type, from: ['rectified', 'explained', 'replied', 'rated'], to: 'reopened', reopen: true },
  },
};
