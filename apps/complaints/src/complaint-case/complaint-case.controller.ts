// POST /v1/complaints/{id}/<step> for each of the complaint's steps, and GET /v1/complaints/{id}: made from the
// complaint's kind and step definitions by the shared case controller.
import { caseController, caseKindApi } from '@minyi/case-api';
import { complaintKind } from '../domain/complaint.kind.js';
import { ContactPresenter } from '@minyi/personal-data';
import { complaintSteps } from './complaint-steps.js';

export const complaintApi = caseKindApi(complaintKind, complaintSteps);

export const ComplaintCaseController = caseController(complaintApi, { tag: 'complaints', noun: 'complaint', presenter: ContactPresenter });
