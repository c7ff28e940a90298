// Bearer-token authentication: who is calling (admin, terminal, reader) and whether this route admits them.
import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { Forbidden, Unauthenticated } from '@minyi/contracts';

/** What a client (an app of hotline desks, officers' phones, survey kiosks) may do: file into a channel, or take case steps. */
export const CLIENT_SCOPES = ['complaints:write', 'visits:write', 'surveys:write', 'cases:write'] as const;
export type ClientScope = (typeof CLIENT_SCOPES)[number];

export type Principal =
  | { kind: 'admin' }
  | { kind: 'terminal'; terminalId: string; windowId: string; unitId: string }
  | { kind: 'reader'; readerId: string; role: 'analyst' | 'leader'; unitId: string | null }
  /** A client bound to `unitId` may act only for that unit and the units below it; without one, for every unit. */
  | { kind: 'client'; clientId: string; scopes: ClientScope[]; unitId: string | null };

export type PrincipalKind = Principal['kind'];

/** Turns a bearer token into the principal it was issued to, or null when nobody issued it. */
export interface CredentialResolver {
  resolve(token: string): Promise<Principal | null>;
}
export const CREDENTIAL_RESOLVER = Symbol('CredentialResolver');

const ALLOWED = 'minyi:allowed-principals';
/** Declares which kinds of caller a route admits; routes without it are public. */
export const Allow = (...kinds: PrincipalKind[]) => SetMetadata(ALLOWED, kinds);

export function actorOf(p: Principal): string {
  switch (p.kind) {
    case 'admin':
      return 'admin';
    case 'terminal':
      return `terminal:${p.terminalId}`;
    case 'reader':
      return `reader:${p.readerId}`;
    case 'client':
      return `client:${p.clientId}`;
  }
}

type WithPrincipal = FastifyRequest & { principal?: Principal };

@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(CREDENTIAL_RESOLVER) private readonly credentials: CredentialResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const allowed = this.reflector.getAllAndOverride<PrincipalKind[] | undefined>(ALLOWED, [context.getHandler(), context.getClass()]);
    if (!allowed) return true;
    const request = context.switchToHttp().getRequest<WithPrincipal>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw new Unauthenticated('send Authorization: Bearer <token>');
    const principal = await this.credentials.resolve(match[1]);
    if (!principal) throw new Unauthenticated('the bearer token is not known');
    if (!allowed.includes(principal.kind)) {
      throw new Forbidden(`this operation is for ${allowed.join(' or ')} tokens, not a ${principal.kind} token`);
    }
    request.principal = principal;
    return true;
  }
}

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const p = context.switchToHttp().getRequest<WithPrincipal>().principal;
  if (!p) throw new Unauthenticated('no principal on this request');
  return p;
});

/** The correlation id of the request: the client's `x-correlation-id` or one Fastify generated. */
export const CorrelationId = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const r = context.switchToHttp().getRequest<FastifyRequest>();
  const h = r.headers['x-correlation-id'];
  return typeof h === 'string' && h.length > 0 && h.length <= 128 ? h : String(r.id);
});
