// Prometheus metrics: one registry per process, served as text at /metrics.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly intake = new Counter({
    name: 'minyi_intake_total',
    help: 'Items taken in, by channel and outcome (accepted, duplicate, rejected)',
    labelNames: ['channel', 'outcome'],
    registers: [this.registry],
  });
  readonly projectionLagSeconds = new Gauge({
    name: 'minyi_projection_lag_seconds',
    help: 'Seconds between the recording of the last applied event and its application',
    labelNames: ['projection'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'minyi_' });
  }
}
