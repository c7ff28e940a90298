// What the manifests compose to: every part placed once, the intake holding the write side of every channel, the
// migrations in an order that keeps the applied ids and applies each context's own in order, projections and
// reactors with unique names, and satisfaction sources that point at fields the events' schemas have.
import { CHANNELS, eventCatalog, type JsonSchema } from '@minyi/contracts';
import { orderMigrations } from '@minyi/event-store';
import { ALL_MIGRATIONS, ALL_PARTS, DISTRIBUTED_LAYOUT, KAFKA_PARTS, MANIFESTS, PARTS, PROCESSES, PROJECTIONS, SATISFACTION_SOURCES } from './index.js';

it('when the layout is composed, then every part runs in exactly one process, the write side of every channel in the intake', () => {
  const placed = PROCESSES.flatMap((p) => DISTRIBUTED_LAYOUT[p]);
  expect([...placed].sort()).toEqual(Object.keys(PARTS).sort());
  expect(DISTRIBUTED_LAYOUT.intake).toEqual(expect.arrayContaining(['organisation', 'ratings', 'complaints']));
  expect(DISTRIBUTED_LAYOUT.relay).toEqual(['relay']);
  expect(DISTRIBUTED_LAYOUT.projector).toEqual(['projector']);
  expect(DISTRIBUTED_LAYOUT.analytics).toEqual(['analytics']);
  // The all-in-one runs everything but the relay; only the projector and the relay talk to Kafka.
  expect([...ALL_PARTS].sort()).toEqual(Object.keys(PARTS).filter((p) => p !== 'relay').sort());
  expect([...KAFKA_PARTS].sort()).toEqual(['projector', 'relay']);
});

it('when migrations are composed, then the globally numbered ones come first, by number, and each context\'s follow in order', () => {
  const ids = ALL_MIGRATIONS.map((m) => m.id);
  expect(new Set(ids).size).toBe(ids.length);
  // The ids installations have applied: never renamed, still first and in their order.
  const global = ['0001-event-store', '0002-messaging', '0003-satisfaction-read-models', '0004-stream-versions-from-events', '0005-events-notify-trigger', '0006-events-notify-after-commit', '0007-events-app-privileges', '0008-messaging-app-privileges', '0009-satisfaction-app-privileges'];
  expect(ids.slice(0, global.length)).toEqual(global);
  const rest = ids.slice(global.length);
  expect(rest.every((id) => !/^\d{4}-/.test(id))).toBe(true);
  // Each context's prefixed ids in the order its manifest gives them, the contexts in composition order.
  const expected = MANIFESTS.flatMap((m) => m.migrations.map((x) => x.id).filter((id) => !/^\d{4}-/.test(id)));
  expect(rest).toEqual(expected);
  for (const m of MANIFESTS) for (const x of m.migrations) if (!/^\d{4}-/.test(x.id)) expect(x.id.startsWith(`${m.name}-`)).toBe(true);
  expect(ids).toEqual(expect.arrayContaining(['personal-data-0001-keys', 'projector-0001-case-read-models']));
});

it('when migrations are ordered, then alphabetical order never decides between contexts, and a repeated id is refused', () => {
  const m = (id: string) => ({ id, sql: '' });
  expect(orderMigrations([m('zeta-0001-a'), m('0002-b'), m('alpha-0001-c'), m('0001-d'), m('zeta-0002-e')]).map((x) => x.id)).toEqual([
    '0001-d',
    '0002-b',
    'zeta-0001-a',
    'alpha-0001-c',
    'zeta-0002-e',
  ]);
  expect(() => orderMigrations([m('0001-a'), m('0001-a')])).toThrow(/0001-a is given twice/);
});

it('when projections are composed, then names are unique and satisfaction is among them', () => {
  const names = PROJECTIONS.map((p) => p.name);
  expect(new Set(names).size).toBe(names.length);
  expect(names).toContain('satisfaction');
});

/** The schema of the value at a dotted path, if every step of the path is a required property. */
function requiredAt(schema: JsonSchema, path: string): JsonSchema | null {
  let s: JsonSchema | undefined = schema;
  for (const key of path.split('.')) {
    const props: Record<string, JsonSchema> | undefined = s?.properties as Record<string, JsonSchema> | undefined;
    const required: string[] = (s?.required as string[] | undefined) ?? [];
    if (!props?.[key] || !required.includes(key)) return null;
    s = props[key];
  }
  return s ?? null;
}

it('when satisfaction sources are composed, then each names a known event, a channel, and required fields of its schema', () => {
  const types = SATISFACTION_SOURCES.map((s) => s.eventType);
  expect(new Set(types).size).toBe(types.length);
  expect(types).toEqual(expect.arrayContaining(['RatingSubmitted', 'RatingVoided', 'ComplaintCalledBack']));
  for (const s of SATISFACTION_SOURCES) {
    const definition = eventCatalog.definitions.find((d) => d.type === s.eventType && d.version === eventCatalog.latestVersion(s.eventType));
    expect(definition).toBeDefined();
    expect(CHANNELS).toContain(s.channel);
    for (const path of [s.score, s.unitId, s.windowId, s.officerId, s.at]) {
      if (path === undefined) continue;
      expect({ source: s.eventType, path, found: requiredAt(definition!.schema, path) !== null }).toEqual({ source: s.eventType, path, found: true });
    }
  }
});
