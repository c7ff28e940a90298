// Bearer-token authentication: who is calling (admin, terminal, reader, client) and whether this route admits them.
// The token is resolved in Fastify's first hook, before the body is read (API.md "Limits"): a request without
// valid credentials is refused with 401 without its body being read or parsed. Every route must say who may call
// it (`@Allow(...)`) or that anyone may (`@Public()`); a route that says neither admits nobody.
import { CanActivate, ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, Forbidden, Unauthenticated } from '@minyi/contracts';
import { acceptedCorrelationId } from './logging.js';
import { problemOf, sendProblem } from './problem.filter.js';
import type { CredentialResolver, Principal, PrincipalKind } from './principal.js';
import { mergeRouteConfig, minyiRouteConfig, type MinyiRouteConfig } from './route-config.js';

export * from './principal.js';

/** Declares which kinds of caller a route (or every route of a controller) admits. */
export const Allow = (...kinds: PrincipalKind[]) => {
  if (kinds.length === 0) throw new Error('@Allow() needs at least one kind of caller; use @Public() for a route anyone may call');
  return mergeRouteConfig({ allow: kinds });
};

/** Declares that anyone may call the route, with or without a token (health, metrics). */
export const Public = () => mergeRouteConfig({ public: true });

/**
 * Beside `@Allow(...)`: a request that carries no Authorization header at all is let through without a principal
 * (a survey response proving itself by its invitation token, in its body). A request that does carry one must
 * still be valid and admitted. The handler reads `request.principal` (null then) and must check its own proof;
 * the route's body limit bounds what an unauthenticated caller can make the server read.
 */
export const AllowAnonymous = () => mergeRouteConfig({ anonymous: true });

/** What the first hook leaves on every request (Fastify request decorations, see http.ts). */
export interface AuthenticatedRequest {
  principal: Principal | null;
  correlationId: string;
}
type MinyiRequest = FastifyRequest & Partial<AuthenticatedRequest>;

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The token of an `Authorization: Bearer <token>` header, or null when there is none or it is malformed. */
export function bearerToken(header: string | undefined): string | null {
  if (typeof header !== 'string') return null;
  const m = BEARER.exec(header);
  return m ? m[1] : null;
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

/** Answers a refused request at once; its body, if any, is never read (the connection is closed after the answer). */
function refuse(request: FastifyRequest, reply: FastifyReply, err: DomainError, invalidToken = false): void {
  const problem = problemOf(err);
  problem.instance = request.url;
  if (problem.status === 401) void reply.header('www-authenticate', invalidToken ? 'Bearer realm="minyi", error="invalid_token"' : 'Bearer realm="minyi"');
  if (hasBody(request)) void reply.header('connection', 'close');
  sendProblem(reply, problem);
}

function admits(route: MinyiRouteConfig | undefined, principal: Principal): DomainError | null {
  if (!route?.allow) return new Forbidden('this route admits no caller (it declares neither @Allow nor @Public)');
  if (!route.allow.includes(principal.kind)) return new Forbidden(`this operation is for ${route.allow.join(' or ')} tokens, not a ${principal.kind} token`);
  return null;
}

/**
 * The authentication step of Fastify's onRequest hook: resolves the bearer token of a route that needs a caller
 * and either stores the principal on the request and calls `done()`, or answers 401/403 itself (no `done`).
 * Unknown routes pass (they answer 404); so do `@Public()` routes and anonymous requests to `@AllowAnonymous()` ones.
 */
export function authenticate(resolver: CredentialResolver | null, request: MinyiRequest, reply: FastifyReply, done: (err?: Error) => void): void {
  const route = minyiRouteConfig(request.routeOptions.config);
  if (request.is404 || route?.public) return done();
  const header = request.headers.authorization;
  if (header === undefined && route?.anonymous && route.allow) return done();
  const token = bearerToken(header);
  if (token === null) return refuse(request, reply, new Unauthenticated('send Authorization: Bearer <token>'));
  if (!resolver) return refuse(request, reply, new Unauthenticated('this process checks no credentials'), true);
  resolver.resolve(token).then(
    (principal) => {
      if (!principal) return refuse(request, reply, new Unauthenticated('the bearer token is not known'), true);
      const refusal = admits(route, principal);
      if (refusal) return refuse(request, reply, refusal);
      request.principal = principal;
      done();
    },
    (err: Error) => done(err),
  );
}

/**
 * The second line: every Nest route checks the principal the hook stored against what the route admits, and a
 * route that declares neither `@Allow` nor `@Public` is refused (deny by default).
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<MinyiRequest>();
    const route = minyiRouteConfig(request.routeOptions?.config);
    if (route?.public) return true;
    const principal = request.principal;
    if (!principal) {
      if (route?.allow && route.anonymous) return true;
      if (!route?.allow) throw new Forbidden('this route admits no caller (it declares neither @Allow nor @Public)');
      throw new Unauthenticated('send Authorization: Bearer <token>');
    }
    const refusal = admits(route, principal);
    if (refusal) throw refusal;
    return true;
  }
}

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const p = context.switchToHttp().getRequest<MinyiRequest>().principal;
  if (!p) throw new Unauthenticated('no principal on this request');
  return p;
});

/** The correlation id of the request: the client's well-formed `x-correlation-id`, or the request id minyi made. */
export const CorrelationId = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const r = context.switchToHttp().getRequest<MinyiRequest>();
  return r.correlationId || acceptedCorrelationId(r.headers['x-correlation-id']) || String(r.id);
});
