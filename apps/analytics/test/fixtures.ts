// Test data for the analytics end-to-end tests: a seeded generator of realistic ratings and the loaders
// that send them through the API while recording them in the reference model.
import { Client } from 'pg';
import { buildOrganisation, mulberry32, type ApiClient, type UnitSpec, type WindowSpec } from '@minyi/testing';
import type { RefOrganisation, RefRating, ReferenceModel, Score } from './reference-model.js';

export interface OrganisationSpec {
  units: UnitSpec[];
  windows: WindowSpec[];
  officers: { id: string; unitId: string; name: string }[];
}

export function refOrganisation(spec: OrganisationSpec): RefOrganisation {
  return {
    units: spec.units.map((u) => ({ id: u.id, name: u.name, parentId: u.parentId })),
    windows: spec.windows.map((w) => ({ id: w.id, name: w.name, unitId: w.unitId })),
    officers: spec.officers.map((o) => ({ id: o.id, name: o.name, unitId: o.unitId })),
  };
}

export async function build(admin: ApiClient, spec: OrganisationSpec) {
  return buildOrganisation(admin, spec);
}

/** ISO 8601 with the given offset in minutes (0 is written as Z), whole seconds. */
export function isoWithOffset(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  if (offsetMinutes === 0) return `${local}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export interface ImportItem {
  id: string;
  terminalId: string;
  score: number;
  occurredAt: string;
  officerId?: string;
}

export interface GeneratorWindow {
  windowId: string;
  terminalId: string;
  /** Officers who may be named on this window's ratings. */
  officers: string[];
  /** 0 (poor) … 1 (excellent): shifts the score distribution. */
  quality: number;
  /** Relative share of the traffic. */
  weight: number;
  /** Periods [fromMs, toMs) in which this window's terminal was down: no ratings then. */
  down?: [number, number][];
}

/** Scores skewed toward 4–5 as real terminals see, worse for poor windows and slowly improving over time. */
function drawScore(rng: () => number, quality: number, progress: number): Score {
  const q = Math.min(1, Math.max(0, quality + 0.15 * progress));
  const weights = [0.06 - 0.05 * q, 0.07 - 0.05 * q, 0.2 - 0.1 * q, 0.37, 0.3 + 0.2 * q];
  let x = rng() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < 5; i++) {
    x -= weights[i];
    if (x < 0) return (i + 1) as Score;
  }
  return 5;
}

const OFFSETS = [480, 480, 480, 0, 0, -300, 330, 540];

/**
 * `count` ratings spread uniformly over [startMs, endMs), written with assorted offsets (the instant is what
 * counts), about 70 % naming an officer, and a `voidShare` of them chosen to be voided afterwards.
 */
export function generateRatings(opts: { seed: number; prefix: string; count: number; startMs: number; endMs: number; windows: GeneratorWindow[]; voidShare: number }) {
  const rng = mulberry32(opts.seed);
  const total = opts.windows.reduce((a, w) => a + w.weight, 0);
  const items: ImportItem[] = [];
  const refs: RefRating[] = [];
  const toVoid: string[] = [];
  let made = 0;
  while (made < opts.count) {
    let pick = rng() * total;
    const w = opts.windows.find((x) => (pick -= x.weight) < 0) ?? opts.windows[opts.windows.length - 1];
    const at = opts.startMs + Math.floor((rng() * (opts.endMs - opts.startMs)) / 1000) * 1000;
    const offset = OFFSETS[Math.floor(rng() * OFFSETS.length)];
    const score = drawScore(rng, w.quality, (at - opts.startMs) / (opts.endMs - opts.startMs));
    const officerId = w.officers.length && rng() < 0.7 ? w.officers[Math.floor(rng() * w.officers.length)] : undefined;
    const voidIt = rng() < opts.voidShare;
    if (w.down?.some(([a, b]) => at >= a && at < b)) continue;
    const id = `${opts.prefix}-${String(made).padStart(5, '0')}`;
    made++;
    items.push({ id, terminalId: w.terminalId, score, occurredAt: isoWithOffset(at, offset), ...(officerId ? { officerId } : {}) });
    refs.push({ id, at, score, windowId: w.windowId, officerId });
    if (voidIt) toVoid.push(id);
  }
  return { items, refs, toVoid };
}

/** Imports ratings (admin), insisting every one is accepted, and records them in the reference. */
export async function importRatings(admin: ApiClient, ref: ReferenceModel, items: ImportItem[], windowOfTerminal: (terminalId: string) => string): Promise<void> {
  for (let i = 0; i < items.length; i += 10_000) {
    const chunk = items.slice(i, i + 10_000);
    const r = await admin.post('/v1/ratings/import', { ratings: chunk });
    if (r.status !== 200) throw new Error(`import: ${r.status} ${JSON.stringify(r.body)}`);
    const bad = (r.body.results as { id: string; status: string }[]).filter((x) => x.status !== 'accepted');
    if (bad.length) throw new Error(`import refused ${bad.length}: ${JSON.stringify(bad.slice(0, 3))}`);
  }
  ref.add(
    ...items.map((it) => ({
      id: it.id,
      at: Date.parse(it.occurredAt),
      score: it.score as Score,
      windowId: windowOfTerminal(it.terminalId),
      officerId: it.officerId,
    })),
  );
}

/** Voids ratings (admin), a few at a time, and in the reference. */
export async function voidRatings(admin: ApiClient, ref: ReferenceModel, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 8) {
    const rs = await Promise.all(ids.slice(i, i + 8).map((id) => admin.post(`/v1/ratings/${encodeURIComponent(id)}/void`, { reason: '评价器误触，经核实作废' })));
    for (const r of rs) if (r.status !== 200 || r.body.status !== 'voided') throw new Error(`void: ${r.status} ${JSON.stringify(r.body)}`);
  }
  for (const id of ids) ref.void(id);
}

export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  return q.toString();
}

/**
 * Spends transaction ids (as cheap subtransactions) until the cluster's next id is `target`: lets a test
 * place its commits before, across or after a power of ten on purpose.
 */
export async function spendTransactionIdsUpTo(db: Client, target: bigint): Promise<void> {
  await db.query('CREATE TEMP TABLE IF NOT EXISTS spent_ids (i int)');
  // In transactions of at most 5,000 subtransactions each: one transaction of hundreds of thousands (the next power
  // of ten, once the cluster's ids are past 100,000) would hold back every gap-safe reader of the cluster — other test
  // files' consumers included — for as long as it runs, and overflow every snapshot's subtransaction cache.
  for (;;) {
    const now = BigInt((await db.query('SELECT pg_current_xact_id()::text AS x')).rows[0].x);
    if (target <= now + 1n) return;
    const n = target - now - 1n < 5000n ? target - now - 1n : 5000n;
    await db.query(`DO $$ BEGIN FOR i IN 1..${n} LOOP BEGIN INSERT INTO spent_ids VALUES (i); EXCEPTION WHEN others THEN NULL; END; END LOOP; END $$`);
  }
}
