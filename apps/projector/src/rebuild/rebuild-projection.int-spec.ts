// Every projection of the registry (as the manifests compose it), rebuilt on real PostgreSQL while its live consumer
// runs and the log keeps growing: the swapped-in tables, carried on by the live consumer, equal a reference built by
// the projection's own apply into tables of its own — and so do a rebuild applying every event, and a rebuild of a
// new version of the definition, which the live consumer of the old one goes on from without counting twice.
import { EventStore } from '@minyi/event-store';
import { handledTypes, PostgresLogConsumer, projectionCheckpoint, type ProjectionDefinition, type ProjectionDeps } from '@minyi/messaging';
import { PROJECTIONS, SATISFACTION_SOURCES } from '@minyi/minyi';
import type { TestPools } from '@minyi/testing';
import { useTestStore } from '@minyi/testing';
import { writeOrganisation, writeRound } from '../../test/mixed-log.js';
import { awaitingRebuild } from '../projector.module.js';
import { rebuildProjection, type RebuildMethod } from './rebuild-projection.js';

const TZ = 'Asia/Shanghai';
let url: string;
let pools: TestPools;
let store: EventStore;

useTestStore((t) => ({ pools, store, url } = t));

const deps = (pool = pools.owner): ProjectionDeps => ({ pool, store, timeZone: TZ, satisfactionSources: SATISFACTION_SOURCES, config: {} });

/** A consumer as the projector builds it (handled types, checkpoint), over the given tables. */
function consumer(definition: ProjectionDefinition, tables: Record<string, string>, checkpoint = projectionCheckpoint(definition)) {
  return new PostgresLogConsumer(pools.app, store, definition.create(deps(pools.app), tables), {
    idlePollMs: 10,
    listenUrl: url,
    handles: handledTypes(definition, deps()),
    checkpoint,
  });
}

/** The reference: the projection's own apply over the whole log, into `ref_<table>` copies of its tables. */
async function reference(definition: ProjectionDefinition): Promise<ReturnType<typeof consumer>> {
  const tables: Record<string, string> = {};
  for (const live of definition.tables) {
    tables[live] = `ref_${live}`;
    await pools.owner.query(`DROP TABLE IF EXISTS ref_${live}; CREATE TABLE ref_${live} (LIKE ${live} INCLUDING ALL)`);
    await pools.owner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ref_${live} TO minyi_app`);
  }
  return consumer(definition, tables, `reference-${definition.name}`);
}

/** A table's rows that carry something, sorted. */
async function rows(definition: ProjectionDefinition, live: string, table = live): Promise<string[]> {
  const inert = definition.inert?.[live];
  const { rows: all } = await pools.owner.query(`SELECT * FROM ${table} ${inert ? `WHERE NOT (${inert})` : ''}`);
  return all.map((r) => JSON.stringify(r)).sort();
}

async function expectEqualToReference(definition: ProjectionDefinition): Promise<void> {
  for (const live of definition.tables) {
    const [built, ref] = await Promise.all([rows(definition, live), rows(definition, live, `ref_${live}`)]);
    expect({ table: live, rows: built }).toEqual({ table: live, rows: ref });
  }
}

it('when the registry is composed, then it holds every read model the projector keeps', () => {
  expect(PROJECTIONS.map((p) => p.name)).toContain('satisfaction');
  for (const p of PROJECTIONS) expect(p.tables.length).toBeGreaterThan(0);
});

describe.each(PROJECTIONS.map((p) => [p.name, p] as const))('the %s projection', (_name, definition) => {
  const methods: RebuildMethod[] = definition.bulk ? ['bulk', 'apply'] : ['apply'];

  it.each(methods.map((m) => [m]))('when it is rebuilt (%s) while its live consumer runs and the log grows, then it equals its reference, and the live consumer goes on exactly once', async (method) => {
    await writeOrganisation(store);
    await writeRound(store, 'a', { seed: 1 });
    const live = consumer(definition, Object.fromEntries(definition.tables.map((t) => [t, t])));
    const ref = await reference(definition);
    await live.start();
    await live.caughtUp();
    const before = await Promise.all(definition.tables.map((t) => rows(definition, t)));
    expect(before.some((r) => r.length > 0)).toBe(true);

    // Writes go on during the rebuild, and after it, while the live consumer keeps applying them.
    const writing = writeRound(store, 'b', { seed: 2 });
    const result = await rebuildProjection(definition, deps(), { method });
    await writing;
    await writeRound(store, 'c', { seed: 3, ratings: 40, complaints: 10 });
    expect(result.method).toBe(method);
    expect(result.declined).toBe(false);
    expect(result.handedOver).toContain(projectionCheckpoint(definition));
    await live.caughtUp();
    await ref.start();
    await ref.caughtUp();
    await Promise.all([live.stop(), ref.stop()]);
    await expectEqualToReference(definition);
  });
});

it('when a projection gets a new version, then its rebuild retires the old version\'s consumers, and the new one goes on from where the new tables stand', async () => {
  const definition = PROJECTIONS.find((p) => p.name === 'satisfaction')!;
  const v2: ProjectionDefinition = { ...definition, version: 2 };
  await writeOrganisation(store);
  await writeRound(store, 'a', { seed: 4 });
  const old = consumer(definition, Object.fromEntries(definition.tables.map((t) => [t, t])));
  await old.start();
  await old.caughtUp();
  // Before its rebuild, the new version waits (it would apply the whole log again on top of the old counts).
  expect(await awaitingRebuild(pools.app, { row: 'satisfaction@v2', base: 'satisfaction' })).toMatch(/built by another version \(satisfaction\)/);
  const result = await rebuildProjection(v2, deps());
  expect(result.handedOver).toEqual(expect.arrayContaining(['satisfaction@v2', 'satisfaction (retired)']));
  expect(await awaitingRebuild(pools.app, { row: 'satisfaction@v2', base: 'satisfaction' })).toBeNull();
  expect(await awaitingRebuild(pools.app, { row: 'satisfaction', base: 'satisfaction' })).toMatch(/retired/);
  // A projector still running the old definition applies nothing more to the new tables; the new one takes over.
  await writeRound(store, 'b', { seed: 5, ratings: 50, complaints: 5 });
  await old.caughtUp();
  await old.stop();
  expect(old.status().appliedEvents).toBeGreaterThan(0);
  await writeRound(store, 'c', { seed: 6, ratings: 50, complaints: 5 });
  const next = consumer(v2, Object.fromEntries(definition.tables.map((t) => [t, t])));
  await next.start();
  await next.caughtUp();
  await next.stop();
  const ref = await reference(definition);
  await ref.start();
  await ref.caughtUp();
  await ref.stop();
  await expectEqualToReference(definition);
});

it('when a projection is being rebuilt, then a second rebuild of it is refused at once, and runs once the first is done', async () => {
  await writeOrganisation(store);
  await writeRound(store, 'a', { seed: 7, ratings: 50, complaints: 5 });
  const definition = PROJECTIONS.find((p) => p.name === 'satisfaction')!;
  const holder = await pools.owner.connect();
  try {
    await holder.query('SELECT pg_advisory_lock(hashtext($1))', ['minyi rebuild satisfaction']);
    await expect(rebuildProjection(definition, deps())).rejects.toThrow(/another rebuild of satisfaction is running/);
    // Nothing of the refused rebuild was left behind.
    const { rows } = await pools.owner.query(`SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE 'rm\\_%\\_next'`);
    expect(rows[0].n).toBe(0);
  } finally {
    await holder.query('SELECT pg_advisory_unlock(hashtext($1))', ['minyi rebuild satisfaction']);
    holder.release();
  }
  expect((await rebuildProjection(definition, deps())).events).toBeGreaterThan(0);
});
