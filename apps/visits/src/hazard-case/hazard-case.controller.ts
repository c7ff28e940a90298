// POST /v1/hazards/{id}/rectify and GET /v1/hazards/{id}, made by the shared case controller.
import { stepText } from '@minyi/contracts';
import { caseController, caseKindApi } from '@minyi/case-api';
import { hazardKind } from '../domain/hazard.kind.js';
import { TEXT_STEP_LIMIT } from '../opinion-case/opinion-steps.js';

export const hazardApi = caseKindApi(hazardKind, {
  rectify: {
    summary: 'Record that a hazard was rectified (整改): the handling step',
    fields: { summary: { ...stepText, description: 'what was done: 1–5000 characters, kept as sent' } },
    required: ['summary'],
    bodyLimit: TEXT_STEP_LIMIT,
  },
});

export const HazardCaseController = caseController(hazardApi, { tag: 'hazards', noun: 'hazard' });
