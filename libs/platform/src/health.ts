// Health: the database answers and every registered component (each projection) says it is running.
import { Controller, Get, Inject, Injectable, Logger, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from './auth.js';
import { Metrics } from './metrics.js';
import { POOLS } from './tokens.js';
import type { Pools } from './database.js';

export interface HealthCheck {
  name: string;
  /** null when healthy, else what is wrong. */
  check(): Promise<string | null> | string | null;
}

@Injectable()
export class HealthRegistry {
  private readonly checks: HealthCheck[] = [];
  register(check: HealthCheck): void {
    this.checks.push(check);
  }
  list(): readonly HealthCheck[] {
    return this.checks;
  }
}

/** The short public reason of a problem ("failing: <error text>" → "failing"); the details go to the log only. */
export function shortReason(problem: string): string {
  return problem.split(':', 1)[0].trim().slice(0, 40) || 'failing';
}

@ApiTags('operations')
@Public()
@Controller()
export class HealthController {
  private readonly logger = new Logger('health');
  /** The details last logged per component, so that a polled failure is logged when it changes, not on every poll. */
  private readonly logged = new Map<string, string>();

  constructor(
    @Inject(POOLS) private readonly pools: Pools,
    private readonly registry: HealthRegistry,
    private readonly metrics: Metrics,
  ) {}

  @Get('health')
  @ApiOperation({
    summary: 'Liveness and readiness: database reachable and every projection running',
    description: '200 {status:"ok"}, else 503 {status:"unavailable", problems:{<component>:<short reason>}} (e.g. database: "unreachable"); the details are in the log, not in the answer.',
  })
  async health(@Res() reply: FastifyReply): Promise<void> {
    const details: Record<string, string> = {};
    try {
      await this.pools.app.query('SELECT 1');
    } catch (err) {
      details.database = `unreachable: ${(err as Error).message}`;
    }
    for (const c of this.registry.list()) {
      try {
        const p = await c.check();
        if (p) details[c.name] = p;
      } catch (err) {
        details[c.name] = `failing: ${(err as Error).message}`;
      }
    }
    for (const name of [...this.logged.keys()]) if (!(name in details)) this.logged.delete(name);
    for (const [name, detail] of Object.entries(details)) {
      if (this.logged.get(name) === detail) continue;
      this.logged.set(name, detail);
      this.logger.warn(`${name}: ${detail}`);
    }
    if (Object.keys(details).length === 0) {
      void reply.status(200).send({ status: 'ok' });
    } else {
      const problems = Object.fromEntries(Object.entries(details).map(([name, detail]) => [name, shortReason(detail)]));
      void reply.status(503).send({ status: 'unavailable', problems });
    }
  }

  @Get('metrics')
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format)' })
  async metricsText(@Res() reply: FastifyReply): Promise<void> {
    const body = await this.metrics.registry.metrics();
    void reply.status(200).header('content-type', this.metrics.registry.contentType).send(body);
  }
}
