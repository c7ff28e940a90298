// POST /v1/followups/{id}/verify|rectify|callback and GET /v1/followups/{id}: made from the follow-up's kind and
// step definitions by the shared case controller. There is no filing route: the follow-up reactor opens them.
import { caseController, caseKindApi } from '@minyi/case-api';
import { followUpKind } from '../domain/followup.kind.js';
import { followUpSteps } from './followup-steps.js';

export const followUpApi = caseKindApi(followUpKind, followUpSteps);

export const FollowUpCaseController = caseController(followUpApi, { tag: 'followups', noun: 'follow-up' });
