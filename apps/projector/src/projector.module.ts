// The projector: one consumer per projection and reactor the manifests compose (the postgres log embedded, Kafka
// distributed), with their health and lag.
import { Inject, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { eventCatalog } from '@minyi/contracts';
import { EventStore } from '@minyi/event-store';
import {
  COMPOSITION,
  RETIRED,
  consumerHealthCheck,
  handledTypes,
  KAFKA,
  KafkaLogConsumer,
  PostgresLogConsumer,
  REBUILT_FLOOR,
  projectionCheckpoint,
  projectionGroup,
  reactorGroup,
  type Composition,
  type Consumer,
  type KafkaConnection,
  type ProjectionDefinition,
  type ProjectionDeps,
} from '@minyi/messaging';
import { CONFIG, HealthRegistry, Metrics, POOLS, type MinyiConfig, type Pools } from '@minyi/platform';

export const CONSUMERS = Symbol('Consumers');

/** A consumer with what the projector reports and checks of it. */
interface Running {
  consumer: Consumer;
  /** `projection:<name>` or `reactor:<name>`: its health check. */
  health: string;
  /** Where it keeps its place (the postgres checkpoint or the Kafka group's row), and the rows of its other versions. */
  checkpoint?: { row: string; base: string };
}
const RUNNING = Symbol('RunningConsumers');

/** The Kafka topics of the contexts whose events a consumer handles. */
export function topicsOf(types: readonly string[], kafka: KafkaConnection): string[] {
  return [...new Set(types.map((t) => kafka.names.eventTopic(eventCatalog.contextOf(t))))].sort();
}

function consumersOf(config: MinyiConfig, pools: Pools, store: EventStore, kafka: KafkaConnection | null, composition: Composition): Running[] {
  const logger = new Logger('projector');
  const deps: ProjectionDeps = { pool: pools.app, store, timeZone: config.timeZone, satisfactionSources: composition.satisfactionSources, config: config as unknown as Record<string, unknown>, kafka };
  const onError = (name: string) => (err: unknown) => logger.warn(`${name}: ${(err as Error).message}`);
  const running: Running[] = [];
  for (const definition of composition.projections) {
    const projection = definition.create(deps, Object.fromEntries(definition.tables.map((t) => [t, t])));
    const handles = handledTypes(definition, deps);
    const health = `projection:${definition.name}`;
    if (!kafka) {
      // Embedded: follow the event store's log directly.
      const checkpoint = projectionCheckpoint(definition);
      const consumer = new PostgresLogConsumer(pools.app, store, projection, { listenUrl: pools.url, onError: onError(definition.name), handles, checkpoint });
      running.push({ consumer, health, checkpoint: { row: checkpoint, base: definition.name } });
    } else {
      // Distributed: consume the topics of the contexts it handles.
      const groupId = kafka.names.group(projectionGroup(definition));
      const consumer = new KafkaLogConsumer(kafka.kafka, kafka.producer, pools.app, projection, {
        topics: topicsOf(handles, kafka),
        handles,
        groupId,
        deadLetterTopic: kafka.names.deadLetters,
        onError: onError(definition.name),
      });
      running.push({ consumer, health, checkpoint: { row: groupId, base: kafka.names.group(projectionGroup({ name: definition.name, version: 1 })) } });
    }
  }
  for (const definition of composition.reactors) {
    const reactor = definition.create(deps);
    const health = `reactor:${definition.name}`;
    // A reactor runs on Kafka only if its deliveries may repeat; else it follows the log in PostgreSQL, as the relay does.
    const consumer =
      kafka && reactor.deliversIdempotently
        ? new KafkaLogConsumer(kafka.kafka, kafka.producer, pools.app, reactor, {
            topics: topicsOf(definition.handles, kafka),
            handles: definition.handles,
            groupId: kafka.names.group(reactorGroup(definition)),
            deadLetterTopic: kafka.names.deadLetters,
            onError: onError(definition.name),
          })
        : new PostgresLogConsumer(pools.app, store, reactor, { listenUrl: pools.url, onError: onError(definition.name), handles: definition.handles });
    running.push({ consumer, health });
  }
  return running;
}

/**
 * A projection whose version changed keeps its read model until a rebuild has built the new one: it would otherwise
 * apply the whole log again on top of the old counts. Its consumer waits; its health says why.
 */
export async function awaitingRebuild(pool: Pool, checkpoint: { row: string; base: string }): Promise<string | null> {
  const { rows } = await pool.query<{ consumer: string; retired: boolean }>(
    `SELECT consumer, transaction_id::text = $4 OR (offsets->'${REBUILT_FLOOR}'->>'transactionId') = $4 AS retired
     FROM consumer_checkpoints WHERE consumer = $1 OR consumer = $2 OR consumer LIKE $3 ORDER BY consumer`,
    [checkpoint.row, checkpoint.base, `${checkpoint.base.replace(/[\\%_]/g, (c) => `\\${c}`)}@v%`, RETIRED.transactionId],
  );
  const own = rows.find((r) => r.consumer === checkpoint.row);
  if (own?.retired) return 'retired by a rebuild of another version; run npm run rebuild';
  if (own) return null;
  const others = rows.filter((r) => r.consumer !== checkpoint.row).map((r) => r.consumer);
  return others.length ? `built by another version (${others.join(', ')}); run npm run rebuild` : null;
}

@Module({
  providers: [
    { provide: RUNNING, inject: [CONFIG, POOLS, EventStore, KAFKA, COMPOSITION], useFactory: consumersOf },
    { provide: CONSUMERS, inject: [RUNNING], useFactory: (running: Running[]): Consumer[] => running.map((r) => r.consumer) },
  ],
  exports: [CONSUMERS],
})
export class ProjectorModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private lagTimer: NodeJS.Timeout | null = null;
  private readonly logger = new Logger('projector');
  private started: Consumer[] = [];

  constructor(
    @Inject(RUNNING) private readonly running: Running[],
    @Inject(POOLS) private readonly pools: Pools,
    private readonly health: HealthRegistry,
    private readonly metrics: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const r of this.running) {
      const waiting = r.checkpoint ? await awaitingRebuild(this.pools.app, r.checkpoint) : null;
      if (waiting) {
        this.logger.error(`${r.health} is ${waiting}; it applies nothing until then`);
        this.health.register({ name: r.health, check: () => waiting });
        continue;
      }
      this.health.register(consumerHealthCheck(r.health, r.consumer));
      await r.consumer.start();
      this.started.push(r.consumer);
    }
    this.lagTimer = setInterval(() => {
      for (const c of this.started) {
        const s = c.status();
        if (s.lastLagSeconds !== null) this.metrics.projectionLagSeconds.set({ projection: s.name }, s.lastLagSeconds);
      }
    }, 1000);
    this.lagTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.lagTimer) clearInterval(this.lagTimer);
    await Promise.all(this.started.map((c) => c.stop()));
  }
}

export type { ProjectionDefinition };
