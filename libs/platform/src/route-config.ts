// What a route tells the HTTP layer before its handler runs: who may call it and how large its body may be.
// Nest hands a handler's `@RouteConfig()` metadata to Fastify as the route's `config`; the decorators here merge
// their part into that metadata (`minyi`) instead of replacing it, and the Fastify hooks of http.ts read it.
import { PATH_METADATA } from '@nestjs/common/constants';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import type { PrincipalKind } from './principal.js';

export interface MinyiRouteConfig {
  /** The kinds of caller the route admits; checked from the token before the body is read. */
  allow?: PrincipalKind[];
  /** Anyone may call it, with or without a token (health, metrics, docs). */
  public?: boolean;
  /** A request without any Authorization header is let through (the handler proves who it is, e.g. by an invitation token). */
  anonymous?: boolean;
  /** The largest body this route reads, in bytes. */
  bodyLimit?: number;
}

export const ROUTE_CONFIG_KEY = 'minyi';

/** The minyi part of a Fastify route's `config`, if it has one. */
export function minyiRouteConfig(config: unknown): MinyiRouteConfig | undefined {
  return (config as Record<string, MinyiRouteConfig | undefined> | undefined)?.[ROUTE_CONFIG_KEY];
}

function mergeInto(handler: object, patch: MinyiRouteConfig): void {
  const existing = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) ?? {}) as Record<string, unknown>;
  const mine = (existing[ROUTE_CONFIG_KEY] ?? {}) as MinyiRouteConfig;
  Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...existing, [ROUTE_CONFIG_KEY]: { ...mine, ...patch } }, handler);
}

/**
 * A decorator for a route handler, or for a controller (then every route handler of it), that merges `patch`
 * into the Fastify route config. A class decorator runs after its methods' decorators, so a method's own
 * setting of the same field is kept.
 */
export function mergeRouteConfig(patch: MinyiRouteConfig): MethodDecorator & ClassDecorator {
  return ((target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (descriptor) {
      mergeInto(descriptor.value as object, patch);
      return descriptor;
    }
    const prototype = (target as { prototype: Record<string, unknown> }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const method = Object.getOwnPropertyDescriptor(prototype, name)?.value;
      if (name === 'constructor' || typeof method !== 'function' || !Reflect.hasMetadata(PATH_METADATA, method)) continue;
      const existing = minyiRouteConfig(Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, method)) ?? {};
      const missing = Object.fromEntries(Object.entries(patch).filter(([k]) => !(k in existing)));
      mergeInto(method, missing);
    }
    return target;
  }) as MethodDecorator & ClassDecorator;
}
