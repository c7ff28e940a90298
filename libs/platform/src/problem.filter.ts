// The one place where errors become RFC 9457 problem+json responses.
import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type FieldError } from '@minyi/contracts';
import { formatBytes } from './limits.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  instance?: string;
}

const BY_KIND: Record<DomainError['kind'], { status: number; title: string; type: string }> = {
  invalid: { status: 400, title: 'Invalid input', type: 'https://minyi.dev/problems/invalid-input' },
  refused: { status: 422, title: 'Refused by the domain', type: 'https://minyi.dev/problems/refused' },
  conflict: { status: 409, title: 'Conflict', type: 'https://minyi.dev/problems/conflict' },
  'not-found': { status: 404, title: 'Not found', type: 'https://minyi.dev/problems/not-found' },
  unauthenticated: { status: 401, title: 'Unauthenticated', type: 'https://minyi.dev/problems/unauthenticated' },
  forbidden: { status: 403, title: 'Forbidden', type: 'https://minyi.dev/problems/forbidden' },
};

export function problemOf(err: unknown): Problem {
  if (err instanceof DomainError) {
    const k = BY_KIND[err.kind];
    const p: Problem = { type: k.type, title: k.title, status: k.status, detail: err.message };
    if (err.errors.length) p.errors = err.errors;
    return p;
  }
  const statusOf = err instanceof HttpException ? err.getStatus() : (err as { statusCode?: unknown })?.statusCode;
  const whole = typeof statusOf === 'number' ? BY_STATUS[statusOf] : undefined;
  // A refusal of the request as a whole (too large, too slow, not JSON), from Fastify directly or wrapped by Nest.
  if (whole) return { type: whole.type, title: whole.title, status: statusOf as number, detail: whole.detail };
  if (err instanceof HttpException) {
    // Raised by the framework before a handler runs: malformed JSON, unknown route.
    const status = err.getStatus();
    const p: Problem = { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail: err.message };
    if (status === 400) Object.assign(p, { type: BY_KIND.invalid.type, errors: [{ path: '', message: err.message }] });
    return p;
  }
  const fastifyError = err as { statusCode?: number; code?: string; message?: string };
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    // Raised by Fastify or minyi's body parser before a handler runs: a body that is not UTF-8.
    const status = fastifyError.statusCode;
    return {
      type: BY_KIND.invalid.type,
      title: BY_KIND.invalid.title,
      status,
      detail: fastifyError.message ?? 'bad request',
      errors: status === 400 ? [{ path: '', message: fastifyError.message ?? 'malformed body' }] : undefined,
    };
  }
  return { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'an unexpected error occurred; it has been logged' };
}

/** Refusals of a request as a whole (its size, its type, its pace), with a detail a client can act on. */
const BY_STATUS: Record<number, { type: string; title: string; detail: string }> = {
  408: { type: 'https://minyi.dev/problems/request-timeout', title: 'Request Timeout', detail: 'the request did not arrive in time (headers within 10 s, the whole body within 30 s)' },
  413: { type: 'https://minyi.dev/problems/body-too-large', title: 'Content Too Large', detail: "the body is larger than this route's limit (see the route in /docs)" },
  415: { type: 'https://minyi.dev/problems/unsupported-media-type', title: 'Unsupported Media Type', detail: 'bodies are JSON: send Content-Type: application/json' },
};

export function sendProblem(reply: FastifyReply, problem: Problem): void {
  // RFC 6750 §3: a 401 says which scheme would do.
  if (problem.status === 401 && !reply.hasHeader('www-authenticate')) void reply.header('www-authenticate', 'Bearer realm="minyi"');
  void reply.status(problem.status).header('content-type', 'application/problem+json; charset=utf-8').send(problem);
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('problem');

  catch(err: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const problem = problemOf(err);
    problem.instance = request?.url;
    const limit = request?.routeOptions?.bodyLimit;
    if (problem.status === 413 && limit) problem.detail = `the body is larger than this route's limit of ${formatBytes(limit)} (see the route in /docs)`;
    if (problem.status >= 500) {
      // The route pattern, not the URL: a query string is the caller's text. The correlation id comes with the log line.
      this.logger.error(`${request?.method} ${request?.routeOptions?.url ?? '(no route)'} failed: ${(err as Error)?.stack ?? String(err)}`);
    }
    sendProblem(reply, problem);
  }
}
