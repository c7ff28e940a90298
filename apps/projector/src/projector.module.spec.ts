// Which topics each projection's Kafka consumer subscribes to: those of the contexts whose events it handles.
import { handledTypes, KafkaNames, type KafkaConnection, type ProjectionDeps } from '@minyi/messaging';
import { SATISFACTION_SOURCES } from '@minyi/minyi';
import { PROJECTIONS } from './projections.js';
import { topicsOf } from './projector.module.js';

const kafka = { names: new KafkaNames('p.') } as KafkaConnection;
const deps = { satisfactionSources: SATISFACTION_SOURCES } as unknown as ProjectionDeps;

it('when satisfaction is consumed from Kafka, then it subscribes to the topics of the organisation and of each channel with a source, only', () => {
  const satisfaction = PROJECTIONS.find((p) => p.name === 'satisfaction')!;
  expect(topicsOf(handledTypes(satisfaction, deps), kafka)).toEqual(['p.minyi.complaints.events.v1', 'p.minyi.organisation.events.v1', 'p.minyi.ratings.events.v1', 'p.minyi.surveys.events.v1', 'p.minyi.visits.events.v1']);
  // Without the complaints' source it would not read their topic at all.
  expect(topicsOf(handledTypes(satisfaction, { satisfactionSources: SATISFACTION_SOURCES.filter((s) => s.channel === 'ratings') } as unknown as ProjectionDeps), kafka)).toEqual([
    'p.minyi.organisation.events.v1',
    'p.minyi.ratings.events.v1',
  ]);
});

it('when any projection of the registry is consumed from Kafka, then every type it handles is a known event, on a topic it subscribes to', () => {
  for (const p of PROJECTIONS) {
    const types = handledTypes(p, deps);
    expect(types.length).toBeGreaterThan(0);
    expect(topicsOf(types, kafka).length).toBeGreaterThan(0);
  }
});
