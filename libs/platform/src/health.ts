// Health: the database answers and every registered component (each projection) says it is running.
import { Controller, Get, Inject, Injectable, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
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

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    @Inject(POOLS) private readonly pools: Pools,
    private readonly registry: HealthRegistry,
    private readonly metrics: Metrics,
  ) {}

  @Get('health')
  @ApiOperation({ summary: 'Liveness and readiness: database reachable and every projection running' })
  async health(@Res() reply: FastifyReply): Promise<void> {
    const problems: Record<string, string> = {};
    try {
      await this.pools.app.query('SELECT 1');
    } catch (err) {
      problems.database = `unreachable: ${(err as Error).message}`;
    }
    for (const c of this.registry.list()) {
      try {
        const p = await c.check();
        if (p) problems[c.name] = p;
      } catch (err) {
        problems[c.name] = (err as Error).message;
      }
    }
    if (Object.keys(problems).length === 0) {
      void reply.status(200).send({ status: 'ok' });
    } else {
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
