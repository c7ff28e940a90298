// Visit events, version 1 (走访 · 意见建议 · 矛盾纠纷 · 治安隐患): a visit is a fact recorded once; opinions, disputes
// and hazards are cases (cases.v1.ts) — an opinion collected, assigned, rectified or explained, replied, rated,
// reopened; a dispute found and resolved; a hazard found and rectified.
import { ID_PATTERN } from '../ids.js';
import type { EventDefinition } from '../event-definition.js';
import { caseEvent, replyVia, score5, sealedContactSchema, stepText, unitIdSchema, workingDays, type CaseEventV1, type SealedContactV1 } from './cases.v1.js';

const id = { type: 'string', pattern: ID_PATTERN } as const;
const nullableId = { anyOf: [id, { type: 'null' }] } as const;

export const VISIT_TARGETS = ['household', 'enterprise', 'school', 'community', 'organisation', 'other'] as const;
export type VisitTarget = (typeof VISIT_TARGETS)[number];
/** The four levels of talk meetings (四级恳谈): city bureau, branch, station, building officer (楼长). */
export const MEETING_LEVELS = ['city', 'branch', 'station', 'building'] as const;
export type MeetingLevel = (typeof MEETING_LEVELS)[number];

export interface VisitRecordedV1 {
  visitId: string;
  unitId: string;
  officerId: string | null;
  /** `ref`: the household's or place's own code (households are counted by distinct ref). */
  target: { kind: VisitTarget; ref: string | null };
  meeting: { level: MeetingLevel; attendees: number } | null;
  notes: string | null;
}
export const VisitRecorded: EventDefinition<VisitRecordedV1> = {
  type: 'VisitRecorded',
  version: 1,
  context: 'visits',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['visitId', 'unitId', 'officerId', 'target', 'meeting', 'notes'],
    properties: {
      visitId: id,
      unitId: id,
      officerId: nullableId,
      target: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'ref'],
        properties: { kind: { enum: [...VISIT_TARGETS] }, ref: { anyOf: [{ type: 'string', minLength: 1, maxLength: 128 }, { type: 'null' }] } },
      },
      meeting: {
        anyOf: [
          {
            type: 'object',
            additionalProperties: false,
            required: ['level', 'attendees'],
            properties: { level: { enum: [...MEETING_LEVELS] }, attendees: { type: 'integer', minimum: 0, maximum: 2147483647 } },
          },
          { type: 'null' },
        ],
      },
      notes: { anyOf: [{ type: 'string', maxLength: 5000 }, { type: 'null' }] },
    },
  },
};

// —— Opinions and suggestions (意见建议) ——

export const OPINION_STATES = ['collected', 'assigned', 'rectified', 'explained', 'replied', 'rated', 'reopened'] as const;
export type OpinionState = (typeof OPINION_STATES)[number];
/** Where an opinion came from; `survey` only from a survey's suggestion (a reactor), never a client. */
export const OPINION_SOURCES = ['visit', 'meeting', 'hotline', 'wechat', 'mailbox', 'reception', 'app', 'other', 'survey'] as const;
export type OpinionSource = (typeof OPINION_SOURCES)[number];

const opinion = <F>(type: string, role: 'filed' | 'step', fields: { required: string[]; properties: Record<string, unknown> }) =>
  caseEvent<F, string>({ type, context: 'visits', kind: 'opinion', role, states: OPINION_STATES, fields });

/** `text` verbatim, exactly as the resident said it (原汁原味, 不加工、不删减). */
export type OpinionCollectedV1 = CaseEventV1<{ source: OpinionSource; visitId: string | null; text: string; contact: SealedContactV1 | null }>;
export const OpinionCollected = opinion<OpinionCollectedV1['fields']>('OpinionCollected', 'filed', {
  required: ['source', 'visitId', 'text', 'contact'],
  properties: { source: { enum: [...OPINION_SOURCES] }, visitId: nullableId, text: { type: 'string', minLength: 1, maxLength: 5000 }, contact: sealedContactSchema },
});

export type OpinionAssignedV1 = CaseEventV1<{ unitId: string; dueInWorkingDays: number }>;
export const OpinionAssigned = opinion<OpinionAssignedV1['fields']>('OpinionAssigned', 'step', {
  required: ['unitId', 'dueInWorkingDays'],
  properties: { unitId: unitIdSchema, dueInWorkingDays: workingDays },
});

export type OpinionRectifiedV1 = CaseEventV1<{ summary: string }>;
export const OpinionRectified = opinion<OpinionRectifiedV1['fields']>('OpinionRectified', 'step', { required: ['summary'], properties: { summary: stepText } });

export type OpinionExplainedV1 = CaseEventV1<{ text: string }>;
export const OpinionExplained = opinion<OpinionExplainedV1['fields']>('OpinionExplained', 'step', { required: ['text'], properties: { text: stepText } });

export type OpinionRepliedV1 = CaseEventV1<{ text: string; via: (typeof replyVia.enum)[number] }>;
export const OpinionReplied = opinion<OpinionRepliedV1['fields']>('OpinionReplied', 'step', { required: ['text', 'via'], properties: { text: stepText, via: replyVia } });

export type OpinionRatedV1 = CaseEventV1<{ score: 1 | 2 | 3 | 4 | 5 }>;
export const OpinionRated = opinion<OpinionRatedV1['fields']>('OpinionRated', 'step', { required: ['score'], properties: { score: score5 } });

export type OpinionReopenedV1 = CaseEventV1<{ reason: string }>;
export const OpinionReopened = opinion<OpinionReopenedV1['fields']>('OpinionReopened', 'step', { required: ['reason'], properties: { reason: stepText } });

// —— Disputes (矛盾纠纷) and hazards (治安隐患): the case's category is its `kind` ——

export const DISPUTE_STATES = ['found', 'resolved'] as const;
export const HAZARD_STATES = ['found', 'rectified'] as const;

const dispute = <F>(type: string, role: 'filed' | 'step', fields: { required: string[]; properties: Record<string, unknown> }) =>
  caseEvent<F, string>({ type, context: 'visits', kind: 'dispute', role, states: DISPUTE_STATES, fields });
const hazard = <F>(type: string, role: 'filed' | 'step', fields: { required: string[]; properties: Record<string, unknown> }) =>
  caseEvent<F, string>({ type, context: 'visits', kind: 'hazard', role, states: HAZARD_STATES, fields });

export type DisputeFoundV1 = CaseEventV1<{ visitId: string | null; summary: string | null }>;
export const DisputeFound = dispute<DisputeFoundV1['fields']>('DisputeFound', 'filed', {
  required: ['visitId', 'summary'],
  properties: { visitId: nullableId, summary: { anyOf: [stepText, { type: 'null' }] } },
});

export type DisputeResolvedV1 = CaseEventV1<{ summary: string }>;
export const DisputeResolved = dispute<DisputeResolvedV1['fields']>('DisputeResolved', 'step', { required: ['summary'], properties: { summary: stepText } });

export type HazardFoundV1 = CaseEventV1<{ visitId: string | null; location: string | null }>;
export const HazardFound = hazard<HazardFoundV1['fields']>('HazardFound', 'filed', {
  required: ['visitId', 'location'],
  properties: { visitId: nullableId, location: { anyOf: [{ type: 'string', minLength: 1, maxLength: 256 }, { type: 'null' }] } },
});

export type HazardRectifiedV1 = CaseEventV1<{ summary: string }>;
export const HazardRectified = hazard<HazardRectifiedV1['fields']>('HazardRectified', 'step', { required: ['summary'], properties: { summary: stepText } });
