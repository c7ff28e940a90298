// Rebuilds in the distributed mode, against a real Kafka broker, while terminals keep rating and complaints keep
// moving: the Kafka projector's places (per topic-partition: next offset and last log position) are handed over in
// the swap, so that afterwards every read model of the registry equals a reference built from the log (the
// projection's own apply on the postgres transport, into tables of its own), and satisfaction the count of what
// intake accepted — nothing counted twice, nothing lost — whether the projector ran through the rebuilds or was
// stopped during them and started again after.
import { Pool } from 'pg';
import { EventStore } from '@minyi/event-store';
import { handledTypes, PostgresLogConsumer, type ProjectionDefinition, type ProjectionDeps } from '@minyi/messaging';
import { partsOf, PROJECTIONS, SATISFACTION_SOURCES, startSystem, type RunningSystem } from '@minyi/minyi';
import { buildOrganisation, SMALL_CITY, startDistributedTestSystem, waitFor, type DistributedTestSystem } from '@minyi/testing';
import { rebuildProjection } from '../src/rebuild/rebuild-projection.js';
import { complaintCallback } from './answers.js';
import { writeOrganisation, writeRound } from './mixed-log.js';

const TERMINALS = ['t-ft-xm-w1', 't-ft-xm-w2', 't-ns-yh-w1', 't-ns-crj-w1'];
const UNITS = ['ft-xm', 'ns-yh', 'ns-crj', 'ft'];

let d: DistributedTestSystem;
let keys: Record<string, string>;
let owner: Pool;
let deps: ProjectionDeps;

beforeAll(async () => {
  d = await startDistributedTestSystem();
  keys = (await buildOrganisation(d.admin, SMALL_CITY)).terminalKeys;
  owner = new Pool({ connectionString: d.database.url, max: 6 });
  owner.on('error', () => undefined);
  deps = { pool: owner, store: new EventStore(owner), timeZone: d.config.timeZone, satisfactionSources: SATISFACTION_SOURCES, config: {} };
  // A second organisation whose complaints the command kit walks through their steps (see mixed-log.ts).
  await writeOrganisation(d.intake.store);
}, 180_000);
afterAll(async () => {
  await owner?.end();
  await d?.close();
});

/** Terminals rating as fast as they are answered, an administrator voiding some, complaints called back. */
class LiveIntake {
  accepted = 0;
  voided = 0;
  callbacks = 0;
  private running = true;
  private readonly loops: Promise<void>[];

  constructor(private readonly round: string) {
    this.loops = [...TERMINALS.map((t, k) => this.rate(t, k)), this.cases()];
  }

  /** Complaints filed, accepted, escalated, handled, replied, called back, reopened, closed — a round at a time. */
  private async cases(): Promise<void> {
    for (let i = 0; this.running; i++) await writeRound(d.intake.store, `${this.round}-${i}`, { seed: i + 1, ratings: 4, complaints: 4 });
  }

  private async rate(terminalId: string, k: number): Promise<void> {
    const terminal = d.intakeClient(keys[terminalId]);
    for (let i = 0; this.running; i++) {
      const id = `${this.round}-${k}-${i}`;
      const r = await terminal.post('/v1/ratings', { id, score: 1 + ((i * 7 + k) % 5), occurredAt: new Date(Date.now() - 60_000).toISOString() });
      if (r.status !== 202) throw new Error(`rating ${id}: ${r.status} ${JSON.stringify(r.body)}`);
      this.accepted += 1;
      if (i % 10 === 3) {
        const v = await d.admin.post(`/v1/ratings/${id}/void`, { reason: '测试作废' });
        if (v.status !== 200) throw new Error(`void ${id}: ${v.status} ${JSON.stringify(v.body)}`);
        this.voided += 1;
      }
      if (i % 4 === 1) {
        // Complaint callbacks: the complaints topic, at unit scopes only.
        const unitId = UNITS[(i + k) % UNITS.length];
        await d.intake.store.append(`complaint-${id}`, 0, [complaintCallback({ id, unitId, score: 1 + (i % 5), at: new Date(Date.now() - 120_000).toISOString() })]);
        this.callbacks += 1;
      }
    }
  }

  /** Resolves once at least `n` more ratings were accepted. */
  async more(n: number): Promise<void> {
    const target = this.accepted + n;
    await waitFor(`${n} more ratings`, async () => this.accepted >= target, 60_000, 20);
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }
}

/** Every table of every projection: its rows that carry something, sorted. */
async function snapshot(tableOf: (live: string) => string = (t) => t): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const p of PROJECTIONS) {
    for (const live of p.tables) {
      const inert = p.inert?.[live];
      const { rows } = await owner.query(`SELECT * FROM ${tableOf(live)} ${inert ? `WHERE NOT (${inert})` : ''}`);
      out[live] = rows.map((r) => JSON.stringify(r)).sort();
    }
  }
  return out;
}

/** The reference: every event of the log through each projection's own apply, into tables of its own. */
async function reference(): Promise<Record<string, string[]>> {
  const refOf = (live: string) => `ref_${live}`;
  for (const p of PROJECTIONS) {
    for (const live of p.tables) await owner.query(`DROP TABLE IF EXISTS ${refOf(live)}; CREATE TABLE ${refOf(live)} (LIKE ${live} INCLUDING ALL)`);
    const tables = Object.fromEntries(p.tables.map((t) => [t, refOf(t)]));
    const c = new PostgresLogConsumer(owner, deps.store, (p as ProjectionDefinition).create(deps, tables), { idlePollMs: 10, handles: handledTypes(p, deps), checkpoint: `reference-${p.name}-${Date.now()}` });
    await c.start();
    await c.caughtUp(60_000);
    await c.stop();
  }
  return snapshot(refOf);
}

/** What intake accepted, at the root unit over every year: ratings less voids, and callbacks. */
async function totals(): Promise<Record<string, number>> {
  const { rows } = await owner.query<{ channel: string; n: string }>(
    `SELECT channel, sum(n1 + n2 + n3 + n4 + n5)::text AS n FROM rm_satisfaction WHERE scope = 'unit:sz' AND granularity = 'year' GROUP BY channel ORDER BY channel`,
  );
  return Object.fromEntries(rows.map((r) => [r.channel, Number(r.n)]));
}

/** After intake stopped: the Kafka projectors catch up to the reference; a double count or a loss never does. */
async function expectEqualToReference(expected: { ratings: number; complaints: number }): Promise<void> {
  const ref = await reference();
  // Every table of every projection holds something to compare (the four case tables too), and the ledger three
  // kinds: complaints, the follow-ups the reactor opened for the terminals' bad ratings, and the opinions the
  // suggestion reactor filed for the survey round's text answers.
  for (const p of PROJECTIONS) for (const table of p.tables) expect({ table, empty: ref[table].length === 0 }).toEqual({ table, empty: false });
  expect(new Set(ref.rm_cases.map((r) => JSON.parse(r).kind))).toEqual(new Set(['complaint', 'followup', 'opinion']));
  await waitFor('the Kafka projectors to reach the reference', async () => JSON.stringify(await snapshot()) === JSON.stringify(ref), 45_000, 200).catch(() => undefined);
  expect(await snapshot()).toEqual(ref);
  expect(await totals()).toEqual({ complaints: expected.complaints, ratings: expected.ratings });
}

/** Rebuilds every projection of the registry, one after the other, as `npm run rebuild -- <all names>` does. */
async function rebuildAll(): Promise<string[]> {
  const handedOver: string[] = [];
  for (const p of PROJECTIONS) handedOver.push(...(await rebuildProjection(p, deps, { kafkaTopicPrefix: d.topicPrefix })).handedOver);
  return handedOver;
}

let counted = { ratings: 0, complaints: 0 };

it('when every projection is rebuilt while the Kafka projector runs and intake goes on, then nothing is counted twice or lost', async () => {
  const intake = new LiveIntake('run');
  await intake.more(60);
  const during = intake.accepted;
  const handedOver = await rebuildAll();
  expect(intake.accepted).toBeGreaterThan(during); // intake went on through the rebuild
  expect(handedOver).toEqual(expect.arrayContaining(['satisfaction', `${d.topicPrefix}minyi.projector.satisfaction`, 'cases', `${d.topicPrefix}minyi.projector.cases`]));
  await intake.more(40);
  await intake.stop();
  counted = { ratings: intake.accepted - intake.voided, complaints: intake.callbacks };
  await expectEqualToReference(counted);
}, 180_000);

it('when the Kafka projector is stopped during the rebuilds and started again after them, then it goes on from the new tables without counting twice', async () => {
  const intake = new LiveIntake('stopped');
  await intake.more(40);
  // The projector stops with a backlog behind it, which the rebuild takes in (and more that comes meanwhile).
  await d.projector.stop();
  await intake.more(60);
  await rebuildAll();
  await intake.more(40);
  let projector: RunningSystem | null = null;
  try {
    projector = await startSystem(d.config, { logger: false, parts: partsOf('projector') });
    await intake.more(40);
    await intake.stop();
    await expectEqualToReference({ ratings: counted.ratings + intake.accepted - intake.voided, complaints: counted.complaints + intake.callbacks });
  } finally {
    await intake.stop();
    await projector?.stop();
  }
}, 180_000);
