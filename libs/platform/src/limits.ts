// What one request may cost the server (API.md "Limits"): body size per route, time for headers and body.
import { applyDecorators } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { mergeRouteConfig } from './route-config.js';

export const KiB = 1024;
export const MiB = 1024 * 1024;

/** The body limit of every route that does not declare its own: a registration or a void is well under 2 KB. */
export const DEFAULT_BODY_LIMIT = 16 * KiB;
export const DEFAULT_BODY_LIMIT_REASON = 'the default of every route: its largest valid request is a few KB';

/** The OpenAPI extension that carries a route's body limit; http.ts writes it into the operation's description. */
export const BODY_LIMIT_EXTENSION = 'x-body-limit';

/**
 * The largest body this route reads, in bytes, and why it is that large (shown in /docs). A larger body is
 * refused with 413: at once when Content-Length says so, else as soon as the bytes read pass the limit.
 */
export const BodyLimit = (bytes: number, reason: string) => {
  if (!Number.isInteger(bytes) || bytes <= 0) throw new Error(`a body limit is a positive number of bytes, got ${bytes}`);
  return applyDecorators(mergeRouteConfig({ bodyLimit: bytes }), ApiExtension(BODY_LIMIT_EXTENSION, { bytes, reason }));
};

/** How long a client may take (API.md "Limits"). Node checks its timers every `checkIntervalMs`. */
export interface HttpTimeouts {
  /** From the connection (or the end of the previous request) to the last header: else 408 and the connection closed. */
  headersMs: number;
  /** From the connection (or the end of the previous request) to the last byte of the body: else 408 and closed. */
  requestMs: number;
  /** How often Node looks for connections past those two limits (only settable when the server is created). */
  checkIntervalMs: number;
  /** A kept-alive connection with no request is closed after this long. */
  keepAliveMs: number;
  /** A connection on which nothing moves (no byte either way, e.g. a client that stopped reading) is closed after this long. */
  idleMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = {
  headersMs: 10_000,
  requestMs: 30_000,
  checkIntervalMs: 1_000,
  // Above the 60 s idle timeout of the usual proxies in front, so that the proxy, not minyi, closes an idle connection.
  keepAliveMs: 65_000,
  // Longer than any request may take to arrive; a handler's own work (an import of 10000 ratings) takes seconds.
  idleMs: 120_000,
};

/** Human-readable bytes for the docs: 16 KiB, 32 KiB, 16 MiB. */
export function formatBytes(bytes: number): string {
  if (bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes % KiB === 0) return `${bytes / KiB} KiB`;
  return `${bytes} bytes`;
}
