// A log of every kind of event the projector's read models handle, written as production writes it — the
// organisation, ratings and voids through the store, complaints through the command kit and the complaint kind
// (filings, accepts, escalations, handling, replies, callbacks, reopens, final closes) — in rounds, so that a test
// can keep writing while a rebuild runs.
import { caseDecider, type CaseCommand } from '@minyi/cases';
import { complaintKind } from '@minyi/complaints';
import { handleCommand, type EventStore } from '@minyi/event-store';
import { events, mulberry32 } from '@minyi/testing';
import { writeSurveyRound } from '../../surveys/test/survey-log.js';
import { visitDecider } from '@minyi/visits';

export const MIXED_UNITS = [
  { id: 'city', parent: null },
  { id: 'east', parent: 'city' },
  { id: 'west', parent: 'city' },
  { id: 'east-a', parent: 'east' },
  { id: 'west-a', parent: 'west' },
];
const WINDOWS = [
  { id: 'w-ea-1', unit: 'east-a' },
  { id: 'w-ea-2', unit: 'east-a' },
  { id: 'w-wa-1', unit: 'west-a' },
  { id: 'w-west', unit: 'west' },
];
const OFFICERS = [
  { id: 'o-ea', unit: 'east-a' },
  { id: 'o-wa', unit: 'west-a' },
];

export async function writeOrganisation(store: EventStore): Promise<void> {
  for (const u of MIXED_UNITS) await store.append(`unit-${u.id}`, 0, [events.unit(u.id, u.parent)]);
  for (const w of WINDOWS) await store.append(`window-${w.id}`, 0, [events.window(w.id, w.unit)]);
  for (const o of OFFICERS) await store.append(`officer-${o.id}`, 0, [events.officer(o.id, o.unit)]);
}

/** What one round wrote, for tests that count. */
export interface RoundWritten {
  ratings: number;
  voids: number;
  callbacks: number;
  complaints: number;
  visits: number;
}

/**
 * One round of traffic, ids under `round`: ratings (some voided), and complaints walked through their steps, some
 * called back twice after a reopen. `now` is the clock the steps are judged by; every instant lies before it.
 */
export async function writeRound(store: EventStore, round: string, options: { seed: number; ratings?: number; complaints?: number; visits?: number; now?: Date }): Promise<RoundWritten> {
  const random = mulberry32(options.seed);
  const now = options.now ?? new Date();
  const written: RoundWritten = { ratings: 0, voids: 0, callbacks: 0, complaints: 0, visits: 0 };
  const ratings = Array.from({ length: options.ratings ?? 120 }, (_, i) => {
    const w = WINDOWS[Math.floor(random() * WINDOWS.length)];
    const officer = OFFICERS.find((o) => o.unit === w.unit && random() < 0.5);
    const at = new Date(now.getTime() - Math.floor(random() * 400 * 86_400_000) - 60_000).toISOString();
    return { id: `${round}-r${i}`, windowId: w.id, unitId: w.unit, officerId: officer?.id, score: 1 + Math.floor(random() * 5), at };
  });
  for (let i = 0; i < ratings.length; i += 40) await Promise.all(ratings.slice(i, i + 40).map((r) => store.append(`rating-${r.id}`, 0, [events.rating(r)])));
  written.ratings = ratings.length;
  for (const r of ratings.filter((_, i) => i % 6 === 0)) {
    await store.append(`rating-${r.id}`, 1, [events.voided({ ...r, at: r.at })]);
    written.voids += 1;
  }
  let step = 0;
  const run = async (id: string, command: CaseCommand) => {
    const hash = `${round}-h${(step += 1)}`;
    await handleCommand(store, complaintKind.streamId(id), caseDecider(complaintKind), { ...command, requestHash: hash } as CaseCommand, {
      actor: 'test',
      correlationId: 'test',
      now,
      requestHash: hash,
    });
  };
  const count = options.complaints ?? 30;
  const dayMs = 86_400_000;
  for (let i = 0; i < count; i++) {
    const id = `${round}-c${i}`;
    const unitId = MIXED_UNITS[1 + Math.floor(random() * (MIXED_UNITS.length - 1))].id;
    const filed = now.getTime() - (40 + Math.floor(random() * 300)) * dayMs;
    const at = (days: number) => new Date(filed + days * dayMs + Math.floor(random() * 3_600_000)).toISOString();
    const stepOf = (name: string, days: number, fields: Record<string, unknown> = {}, dueAt?: string) =>
      run(id, { type: 'step', caseId: id, step: name, stepId: `${id}-s${(step += 1)}`, occurredAt: new Date(at(days)), fields, requestHash: '', now, dueAt } as CaseCommand);
    await run(id, { type: 'file', caseId: id, unitId, category: i % 2 ? '噪音扰民' : '占道经营', occurredAt: new Date(at(0)), fields: { channel: 'hotline', text: `投诉 ${id}`, contact: null }, requestHash: '', now } as CaseCommand);
    written.complaints += 1;
    if (i % 5 === 4) continue; // never accepted
    await stepOf('accept', 1, { unitId, dueInWorkingDays: 5 }, at(8));
    if (i % 4 === 1) await stepOf('escalate', 2, { unitId: 'city', reason: '升级', dueInWorkingDays: 10 }, at(16));
    if (i % 3 === 2) continue; // still open
    await stepOf('handle', 3 + (i % 11), { summary: '已处理' });
    await stepOf('reply', 15, { text: '已答复', via: 'phone' });
    if (i % 2) continue;
    await stepOf('callback', 16, { score: 1 + Math.floor(random() * 5) });
    written.callbacks += 1;
    if (i % 3 === 0) {
      // Reopened, handled again, called back again (both callbacks count), closed for good.
      await stepOf('reopen', 17, { reason: '不满意' });
      await stepOf('accept', 18, { unitId: 'east', dueInWorkingDays: 5 }, at(25));
      await stepOf('handle', 20, { summary: '再次处理' });
      await stepOf('reply', 21, { text: '再次答复', via: 'sms' });
      await stepOf('callback', 22, { score: 1 + Math.floor(random() * 5) });
      written.callbacks += 1;
      await stepOf('close', 23, { final: true });
    }
  }
  // Visits through the visit decider: households (refs repeating across rounds and units, some without one) and meetings.
  for (let i = 0; i < (options.visits ?? 40); i++) {
    const id = `${round}-v${i}`;
    const unitId = MIXED_UNITS[Math.floor(random() * MIXED_UNITS.length)].id;
    const household = random() < 0.7;
    const ref = household && random() < 0.85 ? `hh-${Math.floor(random() * 15)}` : null;
    const visit = { visitId: id, unitId, officerId: null, target: { kind: household ? ('household' as const) : ('school' as const), ref }, meeting: random() < 0.3 ? { level: 'building' as const, attendees: Math.floor(random() * 40) } : null, notes: null };
    const occurredAt = new Date(now.getTime() - Math.floor(random() * 300 * dayMs) - 60_000);
    await handleCommand(store, `visit-${id}`, visitDecider, { type: 'record', visit, occurredAt, requestHash: id, now, officerRelated: null }, { actor: 'test', correlationId: 'test', now, requestHash: id });
    written.visits += 1;
  }
  // A survey with its invitations and responses (satisfaction answers, results' counters).
  await writeSurveyRound(store, round, random, now, 'east');
  return written;
}
