// Test data for the rates and ledger end-to-end tests: seeded random case histories that follow API.md's step
// tables (reopen, escalate across branches, late handling, final close, follow-ups found invalid or voided), and the
// writer that records them with the events production writes (the command kit, caseDecider and the kinds).
import { caseDecider, type CaseCommand, type CaseKindDefinition } from '@minyi/cases';
import { complaintKind } from '@minyi/complaints';
import { handleCommand, type EventStore } from '@minyi/event-store';
import { mulberry32 } from '@minyi/testing';
import { followUpKind } from '@minyi/ratings';
import { disputeKind, hazardKind, opinionKind, visitDecider } from '@minyi/visits';
import type { RefCase, RefKind, RefStep, RefVisit } from './rates-reference.js';

/** The decider's clock for these histories: filings up to 365 days before it, steps up to it. */
export const HISTORY_NOW = new Date('2026-07-01T12:00:00+08:00');
const DAY = 86_400_000;
const HOUR = 3_600_000;

export const CATEGORIES = ['噪音扰民', '占道经营', '办事效率', '服务态度', '窗口秩序'];
const TEXTS = ['楼下夜宵摊凌晨两点仍在营业，噪音很大。', '窗口工作人员态度冷淡 😠\n希望改进', '  排队两个小时没办成  ', '多次反映未果，请尽快处理！'];

/** Midnight (+08:00) of the local date `days` after the instant's: a deadline as the handlers write them. */
export function localMidnightAfter(ms: number, days: number): string {
  const local = new Date(ms + 8 * HOUR + days * DAY).toISOString().slice(0, 10);
  return `${local}T00:00:00+08:00`;
}

/**
 * A deadline for a step at `at`: mostly some working days later (so before HISTORY_NOW and today: past), sometimes far
 * in the future (2031), so that `overdue` has both answers and neither depends on the moment the test runs.
 */
function deadline(rng: () => number, at: number): string {
  return rng() < 0.2 ? localMidnightAfter(Date.parse('2031-01-01T00:00:00+08:00'), Math.floor(rng() * 300)) : localMidnightAfter(at, 3 + Math.floor(rng() * 20));
}

const COMPLAINT_NEXT: Record<string, string[]> = {
  filed: ['accept', 'accept', 'accept', 'escalate'],
  accepted: ['handle', 'handle', 'handle', 'escalate'],
  handled: ['reply', 'reply', 'close', 'reopen'],
  replied: ['callback', 'callback', 'close', 'reopen'],
  calledBack: ['close', 'close', 'reopen'],
  reopened: ['accept', 'escalate'],
  closed: ['reopen'],
};
const FOLLOWUP_NEXT: Record<string, string[]> = {
  open: ['verify', 'verify', 'rectify', 'rectify', 'void'],
  verified: ['rectify', 'rectify', 'void'],
  rectified: ['callback', 'callback', 'void'],
  calledBack: ['void'],
  invalid: [],
  voided: [],
};

const OPINION_NEXT: Record<string, string[]> = {
  // 立行立改 from collected (on the spot), or assigned (and reassigned) first.
  collected: ['assign', 'assign', 'rectify', 'explain'],
  assigned: ['rectify', 'rectify', 'explain', 'assign'],
  rectified: ['reply', 'reply', 'reopen'],
  explained: ['reply', 'reopen'],
  replied: ['rate', 'rate', 'reopen'],
  rated: ['reopen'],
  reopened: ['rectify', 'explain', 'assign'],
};
const DISPUTE_NEXT: Record<string, string[]> = { found: ['resolve'], resolved: [] };
const HAZARD_NEXT: Record<string, string[]> = { found: ['rectify'], rectified: [] };
const NEXT: Record<RefKind, Record<string, string[]>> = { complaint: COMPLAINT_NEXT, followup: FOLLOWUP_NEXT, opinion: OPINION_NEXT, dispute: DISPUTE_NEXT, hazard: HAZARD_NEXT };
const FIRST: Record<RefKind, string> = { complaint: 'filed', followup: 'open', opinion: 'collected', dispute: 'found', hazard: 'found' };
const OPINION_CATEGORIES = ['养犬管理', '律师会见难', '看守所会见', '钱款上账难', '窗口服务'];
const OPINION_TEXTS = ['流浪犬扰民，晚上叫个不停', '  律师会见难，预约排不上\r\n', '在押人员家属反映钱款上账难和不透明 😟', '办证大厅周末能否开放'];
const DISPUTE_KINDS = ['邻里纠纷', '家庭纠纷', '物业纠纷'];
const HAZARD_KINDS = ['消防通道堵塞', '电动车楼道充电', '井盖缺失'];

export interface HistoryOptions {
  seed: number;
  prefix: string;
  complaints: number;
  followups: number;
  opinions?: number;
  disputes?: number;
  hazards?: number;
  /** Units cases are filed for and escalated to. */
  units: string[];
  startMs: number;
  endMs: number;
}

/** Random histories that every step table allows, in time order, none after HISTORY_NOW. */
export function generateHistories(o: HistoryOptions): RefCase[] {
  const rng = mulberry32(o.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)];
  const out: RefCase[] = [];
  const limit = HISTORY_NOW.getTime();
  const counts: [RefKind, number][] = [
    ['complaint', o.complaints],
    ['followup', o.followups],
    ['opinion', o.opinions ?? 0],
    ['dispute', o.disputes ?? 0],
    ['hazard', o.hazards ?? 0],
  ];
  const kinds = counts.flatMap(([k, n]) => Array.from({ length: n }, () => k));
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[i];
    // Whole seconds, a few on the edges of local days.
    let filedAt = o.startMs + Math.floor((rng() * (o.endMs - o.startMs)) / 1000) * 1000;
    if (rng() < 0.05) filedAt = Date.parse(`${localMidnightAfter(filedAt, 0).slice(0, 10)}T23:59:59+08:00`);
    if (rng() < 0.05) filedAt = Date.parse(`${localMidnightAfter(filedAt, 0).slice(0, 10)}T00:00:00+08:00`);
    const c: RefCase = {
      kind,
      id: `${o.prefix}-${kind[0]}${String(i).padStart(4, '0')}`,
      unitId: pick(o.units),
      category: pick(kind === 'opinion' ? OPINION_CATEGORIES : kind === 'dispute' ? DISPUTE_KINDS : kind === 'hazard' ? HAZARD_KINDS : CATEGORIES),
      filedAt,
      steps: [],
      ...(kind === 'complaint' ? { text: `${pick(TEXTS)}#${i}` } : kind === 'opinion' ? { text: `${pick(OPINION_TEXTS)}#${i}` } : kind === 'followup' ? { dueAt: rng() < 0.9 ? deadline(rng, filedAt) : null } : {}),
    };
    let state = FIRST[kind];
    let final = false;
    let at = filedAt;
    for (let n = 0; n < 14 && rng() > 0.1; n++) {
      const options = NEXT[kind][state].filter((s) => !(s === 'reopen' && final));
      if (!options.length) break;
      const name = pick(options);
      // Mostly hours to days apart, sometimes at the same instant, sometimes weeks (late handling).
      const gap = rng() < 0.1 ? 0 : rng() < 0.2 ? Math.floor(rng() * 30 * DAY) : Math.floor(rng() * 6 * DAY);
      at = Math.floor((at + gap) / 1000) * 1000;
      if (at > limit) break;
      let step: RefStep;
      if (name === 'accept') step = { step: 'accept', at, unitId: rng() < 0.8 ? responsible(c) : pick(o.units), dueAt: deadline(rng, at) };
      else if (name === 'escalate') step = { step: 'escalate', at, unitId: pick(o.units), dueAt: deadline(rng, at) };
      else if (name === 'assign') step = { step: 'assign', at, unitId: pick(o.units), dueAt: deadline(rng, at) };
      else if (name === 'callback' || name === 'rate') step = { step: name, at, score: 1 + Math.floor(rng() * 5) };
      else if (name === 'close') step = { step: 'close', at, final: (final = rng() < 0.3) };
      else if (name === 'verify') step = { step: 'verify', at, valid: rng() < 0.7 };
      else step = { step: name as 'handle' | 'rectify' | 'explain' | 'resolve' | 'reply' | 'reopen' | 'void', at };
      c.steps.push(step);
      state = nextState(kind, step);
    }
    out.push(c);
  }
  return out;
}

function responsible(c: RefCase): string {
  let unit = c.unitId;
  for (const s of c.steps) if (s.step === 'accept' || s.step === 'escalate' || s.step === 'assign') unit = s.unitId;
  return unit;
}

function nextState(kind: RefKind, s: RefStep): string {
  if (kind === 'opinion') return ({ assign: 'assigned', rectify: 'rectified', explain: 'explained', reply: 'replied', rate: 'rated', reopen: 'reopened' } as Record<string, string>)[s.step];
  if (kind === 'dispute') return 'resolved';
  if (kind === 'hazard') return 'rectified';
  if (kind === 'followup') return s.step === 'verify' ? (s.valid ? 'verified' : 'invalid') : ({ rectify: 'rectified', callback: 'calledBack', void: 'voided' } as Record<string, string>)[s.step];
  return ({ accept: 'accepted', escalate: 'accepted', handle: 'handled', reply: 'replied', callback: 'calledBack', reopen: 'reopened', close: 'closed' } as Record<string, string>)[s.step];
}

const KINDS: Record<RefKind, CaseKindDefinition> = { complaint: complaintKind, followup: followUpKind, opinion: opinionKind, dispute: disputeKind, hazard: hazardKind };

function stepFields(c: RefCase, s: RefStep): { fields: Record<string, unknown>; dueAt?: string } {
  switch (s.step) {
    case 'accept':
      return { fields: { unitId: s.unitId, dueInWorkingDays: 10 }, dueAt: s.dueAt };
    case 'escalate':
      return { fields: { unitId: s.unitId, reason: '跨辖区，升级处理', dueInWorkingDays: 15 }, dueAt: s.dueAt };
    case 'assign':
      return { fields: { unitId: s.unitId, dueInWorkingDays: 15 }, dueAt: s.dueAt };
    case 'handle':
    case 'rectify':
    case 'resolve':
      return { fields: { summary: '已现场处置并整改' } };
    case 'explain':
      return { fields: { text: '暂无法办理，已说明理由' } };
    case 'reply':
      return { fields: { text: '您反映的问题已处理', via: 'phone' } };
    case 'callback':
    case 'rate':
      return { fields: { score: s.score } };
    case 'reopen':
      return { fields: { reason: '群众不满意，重新办理' } };
    case 'close':
      return { fields: { final: s.final } };
    case 'verify':
      return { fields: { valid: s.valid, reason: s.valid ? null : '申诉复核成立' } };
    case 'void':
      return { fields: { reason: `评价 ${c.id} 已作废` } };
  }
}

function filedFields(c: RefCase): Record<string, unknown> {
  switch (c.kind) {
    case 'complaint':
      return { channel: 'hotline', text: c.text, contact: null };
    case 'followup':
      return { ratingId: c.id, windowId: 'w-followup', officerId: null, score: 1, dueInWorkingDays: 5 };
    case 'opinion':
      return { source: 'visit', visitId: null, text: c.text, contact: null };
    case 'dispute':
      return { visitId: null, summary: null };
    case 'hazard':
      return { visitId: null, location: null };
  }
}

/** Random visits: households (refs repeating across visits and units, some without one), other targets, meetings. */
export function generateVisits(o: { seed: number; prefix: string; visits: number; units: string[]; startMs: number; endMs: number }): RefVisit[] {
  const rng = mulberry32(o.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)];
  return Array.from({ length: o.visits }, (_, i) => {
    const household = rng() < 0.7;
    return {
      id: `${o.prefix}-v${String(i).padStart(5, '0')}`,
      unitId: pick(o.units),
      at: o.startMs + Math.floor((rng() * (o.endMs - o.startMs)) / 1000) * 1000,
      target: { kind: household ? 'household' : pick(['enterprise', 'school', 'community', 'organisation', 'other']), ref: household ? (rng() < 0.85 ? `hh-${Math.floor(rng() * 40)}` : null) : rng() < 0.5 ? `place-${i}` : null },
      meeting: rng() < 0.25 ? { level: pick(['city', 'branch', 'station', 'building']), attendees: Math.floor(rng() * 60) } : null,
    };
  });
}

/** Records visits through the visit decider, as the write side does. */
export async function writeVisits(store: EventStore, visits: RefVisit[], now = HISTORY_NOW): Promise<void> {
  for (let i = 0; i < visits.length; i += 8) {
    await Promise.all(
      visits.slice(i, i + 8).map(async (v) => {
        const visit = { visitId: v.id, unitId: v.unitId, officerId: null, target: v.target as { kind: 'household'; ref: string | null }, meeting: v.meeting as { level: 'city'; attendees: number } | null, notes: null };
        const r = await handleCommand(store, `visit-${v.id}`, visitDecider, { type: 'record', visit, occurredAt: new Date(v.at), requestHash: v.id, now, officerRelated: null }, { actor: 'test', correlationId: v.id, now, requestHash: v.id });
        if (r.events.length !== 1) throw new Error(`${v.id}: recorded ${r.events.length} events`);
      }),
    );
  }
}

/** Records one case: its filing, then each step, through the command kit as the write side does. */
export async function writeCase(store: EventStore, c: RefCase, now = HISTORY_NOW): Promise<void> {
  const kind = KINDS[c.kind];
  const decider = caseDecider(kind);
  let n = 0;
  const run = async (command: CaseCommand) => {
    const requestHash = `${c.id}#${n++}`;
    const r = await handleCommand(store, kind.streamId(c.id), decider, { ...command, requestHash } as CaseCommand, { actor: 'test', correlationId: c.id, now, requestHash });
    if (r.events.length !== 1) throw new Error(`${c.id}: ${command.type} recorded ${r.events.length} events`);
  };
  await run({
    type: 'file',
    caseId: c.id,
    unitId: c.unitId,
    category: c.category,
    occurredAt: new Date(c.filedAt),
    fields: filedFields(c),
    requestHash: '',
    now,
    ...(c.kind === 'followup' ? { checkAge: false, dueAt: c.dueAt ?? null } : {}),
  });
  for (const s of c.steps) {
    const { fields, dueAt } = stepFields(c, s);
    await run({ type: 'step', caseId: c.id, step: s.step, stepId: `st-${n}`, occurredAt: new Date(s.at), fields, requestHash: '', now, dueAt });
  }
}

/** Records many cases, a few at a time. */
export async function writeCases(store: EventStore, cases: RefCase[], now = HISTORY_NOW): Promise<void> {
  for (let i = 0; i < cases.length; i += 8) await Promise.all(cases.slice(i, i + 8).map((c) => writeCase(store, c, now)));
}
