// POST /v1/opinions/{id}/<step> for each of the opinion's steps, and GET /v1/opinions/{id}: made from the opinion's
// kind and step definitions by the shared case controller; the contact shown as the personal-data rules allow.
import { caseController, caseKindApi } from '@minyi/case-api';
import { ContactPresenter } from '@minyi/personal-data';
import { opinionKind } from '../domain/opinion.kind.js';
import { opinionSteps } from './opinion-steps.js';

export const opinionApi = caseKindApi(opinionKind, opinionSteps);

export const OpinionCaseController = caseController(opinionApi, { tag: 'opinions', noun: 'opinion', presenter: ContactPresenter });
