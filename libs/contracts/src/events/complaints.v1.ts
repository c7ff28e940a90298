// Complaint events, version 1 (投诉): filed through a channel, then accepted, escalated, handled, replied,
// called back, reopened, closed. Each carries the case's cohort facts and status (cases.v1.ts).
import { caseEvent, replyVia, score5, sealedContactSchema, stepText, unitIdSchema, workingDays, type CaseEventV1, type SealedContactV1 } from './cases.v1.js';

export const COMPLAINT_STATES = ['filed', 'accepted', 'handled', 'replied', 'calledBack', 'reopened', 'closed'] as const;
export type ComplaintState = (typeof COMPLAINT_STATES)[number];
export const COMPLAINT_CHANNELS = ['app', 'hotline', 'wechat', 'mailbox', 'in_person', 'reception', 'letter', 'other'] as const;
export const REPLY_VIA = replyVia.enum;

const complaint = <F>(type: string, role: 'filed' | 'step', fields: { required: string[]; properties: Record<string, unknown> }) =>
  caseEvent<F, string>({ type, context: 'complaints', kind: 'complaint', role, states: COMPLAINT_STATES, fields });

export type ComplaintFiledV1 = CaseEventV1<{ channel: (typeof COMPLAINT_CHANNELS)[number]; text: string; contact: SealedContactV1 | null }>;
export const ComplaintFiled = complaint<ComplaintFiledV1['fields']>('ComplaintFiled', 'filed', {
  required: ['channel', 'text', 'contact'],
  properties: { channel: { enum: [...COMPLAINT_CHANNELS] }, text: { type: 'string', minLength: 1, maxLength: 5000 }, contact: sealedContactSchema },
});

export type ComplaintAcceptedV1 = CaseEventV1<{ unitId: string; dueInWorkingDays: number }>;
export const ComplaintAccepted = complaint<ComplaintAcceptedV1['fields']>('ComplaintAccepted', 'step', {
  required: ['unitId', 'dueInWorkingDays'],
  properties: { unitId: unitIdSchema, dueInWorkingDays: workingDays },
});

export type ComplaintEscalatedV1 = CaseEventV1<{ unitId: string; reason: string; dueInWorkingDays: number }>;
export const ComplaintEscalated = complaint<ComplaintEscalatedV1['fields']>('ComplaintEscalated', 'step', {
  required: ['unitId', 'reason', 'dueInWorkingDays'],
  properties: { unitId: unitIdSchema, reason: stepText, dueInWorkingDays: workingDays },
});

export type ComplaintHandledV1 = CaseEventV1<{ summary: string }>;
export const ComplaintHandled = complaint<ComplaintHandledV1['fields']>('ComplaintHandled', 'step', { required: ['summary'], properties: { summary: stepText } });

export type ComplaintRepliedV1 = CaseEventV1<{ text: string; via: (typeof REPLY_VIA)[number] }>;
export const ComplaintReplied = complaint<ComplaintRepliedV1['fields']>('ComplaintReplied', 'step', { required: ['text', 'via'], properties: { text: stepText, via: replyVia } });

export type ComplaintCalledBackV1 = CaseEventV1<{ score: 1 | 2 | 3 | 4 | 5 }>;
export const ComplaintCalledBack = complaint<ComplaintCalledBackV1['fields']>('ComplaintCalledBack', 'step', { required: ['score'], properties: { score: score5 } });

export type ComplaintReopenedV1 = CaseEventV1<{ reason: string }>;
export const ComplaintReopened = complaint<ComplaintReopenedV1['fields']>('ComplaintReopened', 'step', { required: ['reason'], properties: { reason: stepText } });

export type ComplaintClosedV1 = CaseEventV1<{ final: boolean }>;
export const ComplaintClosed = complaint<ComplaintClosedV1['fields']>('ComplaintClosed', 'step', { required: ['final'], properties: { final: { type: 'boolean' } } });
