// POST /v1/disputes/{id}/resolve and GET /v1/disputes/{id}, made by the shared case controller.
import { stepText } from '@minyi/contracts';
import { caseController, caseKindApi } from '@minyi/case-api';
import { disputeKind } from '../domain/dispute.kind.js';
import { TEXT_STEP_LIMIT } from '../opinion-case/opinion-steps.js';

export const disputeApi = caseKindApi(disputeKind, {
  resolve: {
    summary: 'Record that a dispute was resolved (化解): the handling step',
    fields: { summary: { ...stepText, description: 'how it was resolved: 1–5000 characters, kept as sent' } },
    required: ['summary'],
    bodyLimit: TEXT_STEP_LIMIT,
  },
});

export const DisputeCaseController = caseController(disputeApi, { tag: 'disputes', noun: 'dispute' });
