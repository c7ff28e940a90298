// Prometheus metrics: one registry per process, served as text at /metrics.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly intake = new Counter({
    name: 'minyi_intake_total',
    help: 'Items taken in, by channel and outcome (accepted, duplicate, rejected)',
    labelNames: ['channel', 'outcome'],
    registers: [this.registry],
  });
  readonly appendBatchSize = new Histogram({
    name: 'minyi_event_store_commit_events',
    help: 'Events written per grouped commit',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000],
    registers: [this.registry],
  });
  readonly projectionLag = new Gauge({
    name: 'minyi_projection_lag_events',
    help: 'Committed events a projection has not yet applied',
    labelNames: ['projection'],
    registers: [this.registry],
  });
  readonly projectionLagSeconds = new Gauge({
    name: 'minyi_projection_lag_seconds',
    help: 'Seconds between the recording of the last applied event and its application',
    labelNames: ['projection'],
    registers: [this.registry],
  });
  readonly projectedEvents = new Counter({
    name: 'minyi_projected_events_total',
    help: 'Events applied to read models',
    labelNames: ['projection'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'minyi_' });
  }
}
