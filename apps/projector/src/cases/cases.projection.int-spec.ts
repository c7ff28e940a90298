// The cases projection on real PostgreSQL, fed with the events production writes (the command kit, caseDecider and
// the complaint and follow-up kinds): the ledger row is the latest event's, the cohort counts follow each status
// change up the unit tree (and move with the responsible unit), open cases are kept by deadline, and a rebuild
// into new tables through the definition's create() equals the live tables.
import type { PoolClient } from 'pg';
import { caseDecider, type CaseCommand, type CaseKindDefinition } from '@minyi/cases';
import { complaintKind } from '@minyi/complaints';
import { EventStore, handleCommand, LOG_START, type LogEvent, type LogPosition } from '@minyi/event-store';
import { PostgresLogConsumer } from '@minyi/messaging';
import { events, useTestStore, type TestPools } from '@minyi/testing';
import { followUpKind } from '@minyi/ratings';
import { CASE_TABLES } from './cases.migrations.js';
import { rebuildProjection, type RebuildMethod } from '../rebuild/rebuild-projection.js';
import { casesProjection, CasesProjection } from './cases.projection.js';

const TZ = 'Asia/Shanghai';
let url: string;
let pools: TestPools;
let store: EventStore;

useTestStore((t) => ({ pools, store, url } = t));
beforeEach(async () => {
  await store.append('unit-city', 0, [events.unit('city', null)]);
  await store.append('unit-ft', 0, [events.unit('ft', 'city')]);
  await store.append('unit-ft-xm', 0, [events.unit('ft-xm', 'ft')]);
  await store.append('unit-ns', 0, [events.unit('ns', 'city')]);
});

const NOW = new Date('2026-11-20T12:00:00+08:00');
let stepNo = 0;

async function run(kind: CaseKindDefinition, id: string, command: CaseCommand): Promise<void> {
  const hash = `h${(stepNo += 1)}`;
  await handleCommand(store, kind.streamId(id), caseDecider(kind), { ...command, requestHash: hash } as CaseCommand, { actor: 'test', correlationId: 'test', now: NOW, requestHash: hash });
}

function complaint(id: string, unitId: string, at: string, category = '噪音扰民', text = `投诉 ${id}：楼下夜宵摊噪音`) {
  return run(complaintKind, id, { type: 'file', caseId: id, unitId, category, occurredAt: new Date(at), fields: { channel: 'hotline', text, contact: null }, requestHash: '', now: NOW });
}
function followUp(id: string, unitId: string, at: string, dueAt: string | null) {
  return run(followUpKind, id, {
    type: 'file',
    caseId: id,
    unitId,
    category: '户籍',
    occurredAt: new Date(at),
    fields: { ratingId: id, windowId: 'w1', officerId: null, score: 1, dueInWorkingDays: 5 },
    requestHash: '',
    now: NOW,
    checkAge: false,
    dueAt,
  });
}
function step(kind: CaseKindDefinition, id: string, name: string, at: string, fields: Record<string, unknown> = {}, dueAt?: string) {
  return run(kind, id, { type: 'step', caseId: id, step: name, stepId: `s${stepNo}`, occurredAt: new Date(at), fields, requestHash: '', now: NOW, dueAt });
}

async function project(): Promise<void> {
  const c = new PostgresLogConsumer(pools.app, store, casesProjection.create({ pool: pools.app, store, timeZone: TZ, satisfactionSources: [], config: {} }, {}), { idlePollMs: 10, listenUrl: url });
  await c.start();
  await c.caughtUp();
  await c.stop();
}

async function counts(unitId: string, granularity: string, period: string, kind = 'complaint'): Promise<Record<string, number>> {
  const { rows } = await pools.app.query(
    `SELECT coalesce(sum(cases), 0)::int AS cases, coalesce(sum(excluded), 0)::int AS excluded, coalesce(sum(accepted), 0)::int AS accepted,
            coalesce(sum(handled), 0)::int AS handled, coalesce(sum(on_time), 0)::int AS on_time, coalesce(sum(replied), 0)::int AS replied,
            coalesce(sum(called_back), 0)::int AS called_back, coalesce(sum(satisfied), 0)::int AS satisfied, coalesce(sum(closed), 0)::int AS closed,
            coalesce(sum(final), 0)::int AS final
     FROM rm_case_counts WHERE unit_id = $1 AND granularity = $2 AND period = $3 AND kind = $4`,
    [unitId, granularity, period, kind],
  );
  return rows[0];
}

async function openByDeadline(unitId: string, granularity: string, period: string, kind = 'complaint'): Promise<Record<string, number>> {
  const { rows } = await pools.app.query<{ due_at: Date; n: number }>(
    'SELECT due_at, n FROM rm_case_open WHERE unit_id = $1 AND granularity = $2 AND period = $3 AND kind = $4 AND n <> 0 ORDER BY due_at',
    [unitId, granularity, period, kind],
  );
  return Object.fromEntries(rows.map((r) => [r.due_at.toISOString(), r.n]));
}

/** The units whose ledgers list the case: those under which its responsible unit counts cases (rm_case_units). */
async function ledgersOf(kind: string, caseId: string): Promise<string[]> {
  const { rows } = await pools.app.query(
    `SELECT u.unit_id FROM rm_case_units u JOIN rm_cases c ON c.kind = u.kind AND c.responsible_unit_id = u.responsible_unit_id
     WHERE c.kind = $1 AND c.case_id = $2 AND u.cases > 0 ORDER BY array_position(c.path, u.unit_id)`,
    [kind, caseId],
  );
  return rows.map((r) => r.unit_id);
}

/** rm_case_units of a kind as "unit > responsible unit": cases. */
async function caseUnits(kind: string): Promise<Record<string, number>> {
  const { rows } = await pools.app.query('SELECT unit_id, responsible_unit_id, cases FROM rm_case_units WHERE kind = $1 ORDER BY 1, 2', [kind]);
  return Object.fromEntries(rows.map((r) => [`${r.unit_id} > ${r.responsible_unit_id}`, r.cases]));
}

const ZERO = { cases: 0, excluded: 0, accepted: 0, handled: 0, on_time: 0, replied: 0, called_back: 0, satisfied: 0, closed: 0, final: 0 };
const DUE = '2026-11-06T00:00:00+08:00';

it('when a complaint is filed, accepted, handled late, replied and called back, then its row is the latest status and its cohort counts it up the tree in every granularity', async () => {
  await complaint('c1', 'ft-xm', '2026-10-21T09:00:00+08:00');
  await step(complaintKind, 'c1', 'accept', '2026-10-21T10:00:00+08:00', { unitId: 'ft-xm', dueInWorkingDays: 10 }, DUE);
  await step(complaintKind, 'c1', 'handle', '2026-11-07T10:00:00+08:00', { summary: '已劝离' });
  await step(complaintKind, 'c1', 'reply', '2026-11-08T10:00:00+08:00', { text: '已处理', via: 'phone' });
  await step(complaintKind, 'c1', 'callback', '2026-11-09T10:00:00+08:00', { score: 4 });
  await project();
  const { rows } = await pools.app.query('SELECT * FROM rm_cases');
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({
    kind: 'complaint',
    case_id: 'c1',
    filed_unit_id: 'ft-xm',
    responsible_unit_id: 'ft-xm',
    path: ['city', 'ft', 'ft-xm'],
    category: '噪音扰民',
    state: 'calledBack',
    due_at: DUE,
    handled: true,
    on_time: false,
    score: 4,
    text: '投诉 c1：楼下夜宵摊噪音',
  });
  expect(rows[0].filed_at.toISOString()).toBe('2026-10-21T01:00:00.000Z');
  const expected = { ...ZERO, cases: 1, accepted: 1, handled: 1, replied: 1, called_back: 1, satisfied: 1 };
  for (const unit of ['city', 'ft', 'ft-xm']) {
    expect(await counts(unit, 'day', '2026-10-21')).toEqual(expected);
    expect(await counts(unit, 'week', '2026-W43')).toEqual(expected);
    expect(await counts(unit, 'month', '2026-10')).toEqual(expected);
    expect(await counts(unit, 'quarter', '2026-Q4')).toEqual(expected);
    expect(await counts(unit, 'year', '2026')).toEqual(expected);
  }
  expect(await counts('ns', 'year', '2026')).toEqual(ZERO);
  // Handled: no longer open, whatever its deadline.
  expect(await openByDeadline('city', 'month', '2026-10')).toEqual({});
  expect(await ledgersOf('complaint', 'c1')).toEqual(['city', 'ft', 'ft-xm']);
  expect(await caseUnits('complaint')).toEqual({ 'city > ft-xm': 1, 'ft > ft-xm': 1, 'ft-xm > ft-xm': 1 });
});

it('when each step is projected in its own batch, then the counts are those of the final status (each change un-counts the one before)', async () => {
  await complaint('c1', 'ft-xm', '2026-10-21T09:00:00+08:00');
  await project();
  expect(await counts('ft', 'month', '2026-10')).toEqual({ ...ZERO, cases: 1 });
  expect(await openByDeadline('ft', 'month', '2026-10')).toEqual({});
  await step(complaintKind, 'c1', 'accept', '2026-10-21T10:00:00+08:00', { unitId: 'ft-xm', dueInWorkingDays: 10 }, DUE);
  await project();
  expect(await counts('ft', 'month', '2026-10')).toEqual({ ...ZERO, cases: 1, accepted: 1 });
  expect(await openByDeadline('ft', 'month', '2026-10')).toEqual({ '2026-11-05T16:00:00.000Z': 1 });
  await step(complaintKind, 'c1', 'handle', '2026-11-05T10:00:00+08:00', { summary: '已劝离' });
  await project();
  expect(await counts('ft', 'month', '2026-10')).toEqual({ ...ZERO, cases: 1, accepted: 1, handled: 1, on_time: 1 });
  expect(await openByDeadline('ft', 'month', '2026-10')).toEqual({});
  // A reopen: since-reopen flags reset, the deadline in force kept, open (and so overdue once past it) again.
  await step(complaintKind, 'c1', 'reopen', '2026-11-10T10:00:00+08:00', { reason: '噪音复发' });
  await project();
  expect(await counts('ft', 'month', '2026-10')).toEqual({ ...ZERO, cases: 1, accepted: 1 });
  expect(await openByDeadline('ft', 'month', '2026-10')).toEqual({ '2026-11-05T16:00:00.000Z': 1 });
  await step(complaintKind, 'c1', 'accept', '2026-11-10T11:00:00+08:00', { unitId: 'ft-xm', dueInWorkingDays: 5 }, '2026-11-18T00:00:00+08:00');
  await step(complaintKind, 'c1', 'handle', '2026-11-19T10:00:00+08:00', { summary: '再次劝离' });
  await step(complaintKind, 'c1', 'close', '2026-11-19T11:00:00+08:00', { final: true });
  await project();
  expect(await counts('ft', 'month', '2026-10')).toEqual({ ...ZERO, cases: 1, accepted: 1, handled: 1, closed: 1, final: 1 });
  expect(await openByDeadline('ft', 'month', '2026-10')).toEqual({});
  const { rows } = await pools.app.query('SELECT state, due_at, on_time FROM rm_cases');
  expect(rows).toEqual([{ state: 'closed', due_at: '2026-11-18T00:00:00+08:00', on_time: false }]);
});

it('when a complaint is escalated to another branch, then its cohort moves there (the old branch no longer counts it) and so do the ledgers that list it', async () => {
  await complaint('c1', 'ft-xm', '2026-10-21T09:00:00+08:00');
  await complaint('c2', 'ft-xm', '2026-10-22T09:00:00+08:00');
  await step(complaintKind, 'c1', 'accept', '2026-10-21T10:00:00+08:00', { unitId: 'ft-xm', dueInWorkingDays: 10 }, DUE);
  await project();
  await step(complaintKind, 'c1', 'escalate', '2026-10-23T10:00:00+08:00', { unitId: 'ns', reason: '跨辖区', dueInWorkingDays: 15 }, '2026-11-13T00:00:00+08:00');
  await project();
  expect(await counts('ft-xm', 'month', '2026-10')).toEqual({ ...ZERO, cases: 1 });
  expect(await counts('ft', 'month', '2026-10')).toEqual({ ...ZERO, cases: 1 });
  expect(await counts('ns', 'month', '2026-10')).toEqual({ ...ZERO, cases: 1, accepted: 1 });
  expect(await counts('city', 'month', '2026-10')).toEqual({ ...ZERO, cases: 2, accepted: 1 });
  expect(await openByDeadline('ft', 'month', '2026-10')).toEqual({});
  expect(await openByDeadline('ns', 'month', '2026-10')).toEqual({ '2026-11-12T16:00:00.000Z': 1 });
  expect(await openByDeadline('city', 'month', '2026-10')).toEqual({ '2026-11-12T16:00:00.000Z': 1 });
  // The path got shorter: the ledgers of the old branch and station no longer list it (c2 is still there).
  expect(await ledgersOf('complaint', 'c1')).toEqual(['city', 'ns']);
  expect(await ledgersOf('complaint', 'c2')).toEqual(['city', 'ft', 'ft-xm']);
  expect(await caseUnits('complaint')).toEqual({ 'city > ft-xm': 1, 'city > ns': 1, 'ft > ft-xm': 1, 'ft-xm > ft-xm': 1, 'ns > ns': 1 });
  await step(complaintKind, 'c2', 'accept', '2026-10-22T10:00:00+08:00', { unitId: 'ft-xm', dueInWorkingDays: 10 }, DUE);
  await step(complaintKind, 'c2', 'escalate', '2026-10-23T11:00:00+08:00', { unitId: 'ns', reason: '跨辖区', dueInWorkingDays: 15 }, '2026-11-13T00:00:00+08:00');
  await project();
  // Nothing left under the old station: its rows count 0 (a rebuild, which need not make them, leaves them out).
  expect(await caseUnits('complaint')).toEqual({ 'city > ft-xm': 0, 'city > ns': 2, 'ft > ft-xm': 0, 'ft-xm > ft-xm': 0, 'ns > ns': 2 });
  const { rows } = await pools.app.query(`SELECT responsible_unit_id, path, filed_unit_id FROM rm_cases WHERE case_id = 'c1'`);
  expect(rows).toEqual([{ responsible_unit_id: 'ns', path: ['city', 'ns'], filed_unit_id: 'ft-xm' }]);
});

it('when a follow-up is found invalid or voided, then it leaves every counter and counts as excluded only', async () => {
  const due = '2026-10-28T00:00:00+08:00';
  await followUp('f1', 'ft-xm', '2026-10-21T09:00:00+08:00', due);
  await followUp('f2', 'ft-xm', '2026-10-21T09:30:00+08:00', due);
  await followUp('f3', 'ft-xm', '2026-10-21T10:00:00+08:00', due);
  await project();
  expect(await counts('ft', 'day', '2026-10-21', 'followup')).toEqual({ ...ZERO, cases: 3 });
  expect(await openByDeadline('ft', 'day', '2026-10-21', 'followup')).toEqual({ '2026-10-27T16:00:00.000Z': 3 });
  await step(followUpKind, 'f1', 'verify', '2026-10-22T09:00:00+08:00', { valid: false, reason: '申诉成立：误触' });
  await step(followUpKind, 'f2', 'rectify', '2026-10-22T09:00:00+08:00', { summary: '已整改' });
  await step(followUpKind, 'f2', 'callback', '2026-10-23T09:00:00+08:00', { score: 2 });
  await step(followUpKind, 'f3', 'rectify', '2026-10-22T09:00:00+08:00', { summary: '已整改' });
  await step(followUpKind, 'f3', 'void', '2026-10-24T09:00:00+08:00', { reason: '管理员作废' });
  await project();
  expect(await counts('ft', 'day', '2026-10-21', 'followup')).toEqual({ ...ZERO, cases: 1, excluded: 2, handled: 1, on_time: 1, called_back: 1 });
  expect(await openByDeadline('ft', 'day', '2026-10-21', 'followup')).toEqual({});
  const { rows } = await pools.app.query(`SELECT case_id, state, excluded, text FROM rm_cases ORDER BY case_id`);
  expect(rows).toEqual([
    { case_id: 'f1', state: 'invalid', excluded: true, text: null },
    { case_id: 'f2', state: 'calledBack', excluded: false, text: null },
    { case_id: 'f3', state: 'voided', excluded: true, text: null },
  ]);
});

it('when the projection has not seen a unit registered (another topic, another instance), then it reads the unit path from the log', async () => {
  await complaint('c1', 'ft-xm', '2026-10-21T09:00:00+08:00');
  // The log is read gap-safely: a transaction still open anywhere on the server (another test file's) holds it back.
  const deadline = Date.now() + 30_000;
  let caseEvents: Awaited<ReturnType<typeof store.readAll>> = [];
  while (caseEvents.length === 0 && Date.now() < deadline) {
    caseEvents = (await store.readAll(LOG_START, 100, undefined, { metadata: false })).filter((e) => e.type.startsWith('Complaint'));
    if (caseEvents.length === 0) await new Promise((r) => setTimeout(r, 20));
  }
  expect(caseEvents).toHaveLength(1);
  const projection = new CasesProjection(TZ, store);
  await inTransaction((tx) => projection.apply(caseEvents, tx));
  expect(await ledgersOf('complaint', 'c1')).toEqual(['city', 'ft', 'ft-xm']);
  expect(await counts('city', 'year', '2026')).toEqual({ ...ZERO, cases: 1 });
});

/** Forty complaints and ten follow-ups through accept, escalate, late handling, reopen, verify (valid or not), rectify. */
async function writeMixed(): Promise<void> {
  const at = (d: number, h = 9) => new Date(Date.parse('2026-09-28T00:00:00+08:00') + d * 86_400_000 + h * 3_600_000).toISOString();
  for (let i = 0; i < 40; i++) {
    const id = `c${i}`;
    await complaint(id, i % 3 === 0 ? 'ns' : 'ft-xm', at(i), i % 2 ? '噪音扰民' : '占道经营');
    if (i % 5 === 4) continue;
    await step(complaintKind, id, 'accept', at(i, 10), { unitId: i % 7 === 0 ? 'ft' : 'ft-xm', dueInWorkingDays: 5 }, at(i + 7, 0));
    if (i % 4 === 1) await step(complaintKind, id, 'escalate', at(i, 11), { unitId: 'ns', reason: '升级', dueInWorkingDays: 10 }, at(i + 14, 0));
    if (i % 3 === 2) continue;
    await step(complaintKind, id, 'handle', at(i + (i % 11), 12), { summary: '已处理' });
    if (i % 2) await step(complaintKind, id, 'reopen', at(i + 12, 12), { reason: '不满意' });
  }
  for (let i = 0; i < 10; i++) {
    await followUp(`f${i}`, 'ft-xm', at(i), at(i + 5, 0));
    if (i % 3 === 0) await step(followUpKind, `f${i}`, 'verify', at(i + 1), { valid: i % 2 === 0, reason: '复核' });
    if (i % 3 === 1) await step(followUpKind, `f${i}`, 'rectify', at(i + 1), { summary: '整改' });
  }
}

it('when the whole log is folded into new tables through create(deps, tables), then they equal the live tables', async () => {
  await writeMixed();
  await project();
  const next = Object.fromEntries(Object.values(CASE_TABLES).map((t) => [t, `${t}_next`]));
  for (const [live, copy] of Object.entries(next)) {
    await pools.owner.query(`DROP TABLE IF EXISTS ${copy}`);
    await pools.owner.query(`CREATE TABLE ${copy} (LIKE ${live} INCLUDING ALL)`);
  }
  const rebuilt = casesProjection.create({ pool: pools.owner, store, timeZone: TZ, satisfactionSources: [], config: {} }, next);
  let position: LogPosition = LOG_START;
  for (;;) {
    const batch = await store.readAll(position, 37, undefined, { metadata: false });
    if (!batch.length) break;
    position = { transactionId: batch.at(-1)!.transactionId, globalPosition: batch.at(-1)!.globalPosition };
    await inTransaction((tx) => rebuilt.apply(batch as LogEvent[], tx), pools.owner);
  }
  for (const [live, copy] of Object.entries(next)) {
    const [a, b] = await Promise.all([snapshot(live), snapshot(copy)]);
    expect(b).toEqual(a);
    expect(a.length).toBeGreaterThan(0);
  }
});

it.each(['bulk', 'apply'] as RebuildMethod[])('when the generic rebuild (%s) swaps in new tables, then they equal the live ones', async (method) => {
  await writeMixed();
  await project();
  const live = await Promise.all(Object.values(CASE_TABLES).map(snapshot));
  const r = await rebuildProjection(casesProjection, { pool: pools.owner, store, timeZone: TZ, satisfactionSources: [], config: {} }, { method });
  expect({ method: r.method, declined: r.declined }).toEqual({ method, declined: false });
  expect(await Promise.all(Object.values(CASE_TABLES).map(snapshot))).toEqual(live);
  // The swapped-in tables have the live ones' keys and indexes back, and the live consumer goes on from the swap.
  const { rows } = await pools.owner.query(`SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = ANY($1::text[])`, [Object.values(CASE_TABLES)]);
  expect(rows[0].n).toBe(8);
  await step(complaintKind, 'c2', 'handle', '2026-11-19T10:00:00+08:00', { summary: '重建后处理' });
  await project();
  expect((await pools.app.query(`SELECT state FROM rm_cases WHERE case_id = 'c2'`)).rows).toEqual([{ state: 'handled' }]);
});

it('when a case event was written around the store with a value the catalogue refuses, then the bulk step declines and every event is applied (the bad one left out)', async () => {
  await writeMixed();
  await pools.owner.query(
    `INSERT INTO events (event_id, stream_id, stream_version, type, version, data, metadata, unit_id, occurred_at)
     SELECT gen_random_uuid(), stream_id, stream_version + 1, 'ComplaintHandled', 1,
            jsonb_set(jsonb_set(data, '{status,handled}', '"maybe"'), '{stepId}', '"poison"'), metadata, unit_id, now()
     FROM events WHERE stream_id = 'complaint-c2' ORDER BY stream_version DESC LIMIT 1`,
  );
  const r = await rebuildProjection(casesProjection, { pool: pools.owner, store, timeZone: TZ, satisfactionSources: [], config: {} }, { method: 'bulk' });
  expect({ method: r.method, declined: r.declined }).toEqual({ method: 'apply', declined: true });
  expect((await pools.app.query(`SELECT state, handled FROM rm_cases WHERE case_id = 'c2'`)).rows).toEqual([{ state: 'accepted', handled: false }]);
});

/** A table's rows, sorted, without the inert ones (which a live table keeps and a rebuild in other batches may not make). */
async function snapshot(table: string): Promise<string[]> {
  const inert = casesProjection.inert?.[table.replace(/_next$/, '')];
  const { rows } = await pools.owner.query(`SELECT * FROM ${table} ${inert ? `WHERE NOT (${inert})` : ''}`);
  return rows.map((r) => JSON.stringify(r)).sort();
}

async function inTransaction(work: (tx: PoolClient) => Promise<void>, pool = pools.app): Promise<void> {
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    await work(tx);
    await tx.query('COMMIT');
  } catch (err) {
    await tx.query('ROLLBACK');
    throw err;
  } finally {
    tx.release();
  }
}
