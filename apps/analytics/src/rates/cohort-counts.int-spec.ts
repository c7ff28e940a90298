// The overdue sums of the rates and the ledgers at an injected moment, on real PostgreSQL: a case is overdue when
// now is past its deadline (not at it), it is not handled nor closed; the sum reads the open cases by deadline.
import { caseDecider, type CaseCommand } from '@minyi/cases';
import { complaintKind } from '@minyi/complaints';
import { handleCommand, type EventStore } from '@minyi/event-store';
import { PostgresLogConsumer } from '@minyi/messaging';
import { casesProjection } from '@minyi/projector';
import { events, useTestStore, type TestPools } from '@minyi/testing';
import { ledgerPage } from '../ledgers/ledger-page.js';
import { cohortCounts } from './cohort-counts.js';

let url: string;
let pools: TestPools;
let store: EventStore;
useTestStore((t) => ({ pools, store, url } = t));

const NOW = new Date('2026-07-01T12:00:00+08:00');
let n = 0;
type Bare<C> = C extends unknown ? Omit<C, 'requestHash' | 'now' | 'caseId'> : never;
async function run(id: string, command: Bare<CaseCommand>): Promise<void> {
  const requestHash = `h${(n += 1)}`;
  await handleCommand(store, complaintKind.streamId(id), caseDecider(complaintKind), { ...command, caseId: id, requestHash, now: NOW } as CaseCommand, {
    actor: 'test',
    correlationId: 'test',
    now: NOW,
    requestHash,
  });
}
const file = (id: string, at: string) => run(id, { type: 'file', unitId: 'st', category: 'c', occurredAt: new Date(at), fields: { channel: 'app', text: id, contact: null } });
const step = (id: string, name: string, at: string, fields: Record<string, unknown>, dueAt?: string) =>
  run(id, { type: 'step', step: name, stepId: `s${n}`, occurredAt: new Date(at), fields, dueAt });

beforeEach(async () => {
  await store.append('unit-city', 0, [events.unit('city', null)]);
  await store.append('unit-st', 0, [events.unit('st', 'city')]);
  // Three complaints of May with deadlines on 5, 10 and 20 June; a fourth handled late; a fifth without a deadline.
  await file('a', '2026-05-04T09:00:00+08:00');
  await step('a', 'accept', '2026-05-04T10:00:00+08:00', { unitId: 'st', dueInWorkingDays: 5 }, '2026-06-05T00:00:00+08:00');
  await file('b', '2026-05-05T09:00:00+08:00');
  await step('b', 'accept', '2026-05-05T10:00:00+08:00', { unitId: 'st', dueInWorkingDays: 5 }, '2026-06-10T00:00:00+08:00');
  await file('c', '2026-05-06T09:00:00+08:00');
  await step('c', 'escalate', '2026-05-06T10:00:00+08:00', { unitId: 'st', reason: 'r', dueInWorkingDays: 5 }, '2026-06-20T00:00:00+08:00');
  await file('d', '2026-05-07T09:00:00+08:00');
  await step('d', 'accept', '2026-05-07T10:00:00+08:00', { unitId: 'st', dueInWorkingDays: 5 }, '2026-06-01T00:00:00+08:00');
  await step('d', 'handle', '2026-06-15T10:00:00+08:00', { summary: 's' });
  await file('e', '2026-05-08T09:00:00+08:00');
  const c = new PostgresLogConsumer(pools.app, store, casesProjection.create({ pool: pools.app, store, timeZone: 'Asia/Shanghai', satisfactionSources: [], config: {} }, {}), { listenUrl: url });
  await c.start();
  await c.caughtUp();
  await c.stop();
});

const at = (local: string) => Date.parse(`${local}+08:00`);

it('when the moment is injected, then overdue counts the open cases whose deadline is strictly before it', async () => {
  const overdue = async (now: number) => (await cohortCounts(pools.app, 'city', 'month', ['2026-05'], ['complaint'], now))('complaint', '2026-05').overdue;
  expect(await overdue(at('2026-06-01T00:00:00'))).toBe(0);
  // Handled late: never overdue again, though its deadline is long past.
  expect(await overdue(at('2026-06-04T23:59:59'))).toBe(0);
  expect(await overdue(at('2026-06-05T00:00:00'))).toBe(0);
  expect(await overdue(at('2026-06-05T00:00:00') + 1)).toBe(1);
  expect(await overdue(at('2026-06-10T00:00:01'))).toBe(2);
  expect(await overdue(at('2030-01-01T00:00:00'))).toBe(3);
  const all = (await cohortCounts(pools.app, 'st', 'month', ['2026-05'], ['complaint'], at('2030-01-01T00:00:00')))('complaint', '2026-05');
  expect(all).toMatchObject({ cases: 5, accepted: 4, handled: 1, onTime: 0, overdue: 3, handledBy: { handle: 1 } });
});

it('when a ledger is filtered on overdue at an injected moment, then it lists exactly the cases overdue then', async () => {
  const ids = async (now: number, overdue: boolean) =>
    (await ledgerPage(pools.app, { kind: 'complaint', unitId: 'city', overdue, limit: 10, nowMs: now, text: false })).map((r) => `${r.caseId}:${r.overdue}`);
  expect(await ids(at('2026-06-10T00:00:00'), true)).toEqual(['a:true']);
  expect(await ids(at('2026-06-10T00:00:00'), false)).toEqual(['e:false', 'd:false', 'c:false', 'b:false']);
  expect(await ids(at('2026-06-21T00:00:00'), true)).toEqual(['c:true', 'b:true', 'a:true']);
});
