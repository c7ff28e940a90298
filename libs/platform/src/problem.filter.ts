// The one place where errors become RFC 9457 problem+json responses.
import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type FieldError } from '@minyi/contracts';

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
  if (err instanceof HttpException) {
    // Raised by the framework before a handler runs: malformed JSON, unknown route, wrong content type.
    const status = err.getStatus();
    const p: Problem = { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail: err.message };
    if (status === 400) Object.assign(p, { type: BY_KIND.invalid.type, errors: [{ path: '', message: err.message }] });
    return p;
  }
  const fastifyError = err as { statusCode?: number; code?: string; message?: string };
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    // Body parsing errors from Fastify (malformed JSON, wrong content type, too large).
    return {
      type: BY_KIND.invalid.type,
      title: BY_KIND.invalid.title,
      status: fastifyError.statusCode,
      detail: fastifyError.message ?? 'bad request',
      errors: fastifyError.statusCode === 400 ? [{ path: '', message: fastifyError.message ?? 'malformed body' }] : undefined,
    };
  }
  return { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'an unexpected error occurred; it has been logged' };
}

export function sendProblem(reply: FastifyReply, problem: Problem): void {
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
    if (problem.status >= 500) {
      this.logger.error(`${request?.method} ${request?.url} [correlation ${request?.id}]: ${(err as Error)?.stack ?? String(err)}`);
    }
    sendProblem(reply, problem);
  }
}
