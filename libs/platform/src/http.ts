// Builds a minyi HTTP process: Nest on Fastify, problem+json for every error, OpenAPI at /docs; the limits of
// API.md (a body limit per route, authentication before the body is read, header and body timeouts, UTF-8
// bodies) and the logs (JSON lines, one access line per request, the request's ids on every line).
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate, type AuthenticatedRequest } from './auth.js';
import { actorOf, CREDENTIAL_RESOLVER, type CredentialResolver } from './principal.js';
import {
  BODY_LIMIT_EXTENSION,
  DEFAULT_BODY_LIMIT,
  DEFAULT_BODY_LIMIT_REASON,
  DEFAULT_HTTP_TIMEOUTS,
  formatBytes,
  type HttpTimeouts,
} from './limits.js';
import { acceptedCorrelationId, processLogger, requestContext, type NestPinoLogger, type RequestContext } from './logging.js';
import { minyiRouteConfig, ROUTE_CONFIG_KEY } from './route-config.js';

export interface HttpAppOptions {
  title: string;
  description: string;
  /** false: no logs at all (tests); otherwise the process's logger (see installLogging). */
  logger?: false | NestPinoLogger;
  /** Only for tests that cannot wait for the real limits; the defaults are API.md's. */
  timeouts?: Partial<HttpTimeouts>;
}

/** Fastify route config of the routes minyi registers outside Nest (the docs): anyone may read them. */
const PUBLIC_ROUTE = { config: { [ROUTE_CONFIG_KEY]: { public: true } } };

export async function createHttpApp(module: Type<unknown> | object, options: HttpAppOptions): Promise<NestFastifyApplication> {
  const timeouts = { ...DEFAULT_HTTP_TIMEOUTS, ...options.timeouts };
  const adapter = new FastifyAdapter({
    // The limit of a route that declares none; routes with larger requests declare theirs (@BodyLimit).
    bodyLimit: DEFAULT_BODY_LIMIT,
    // minyi's own id for every request; a client's x-correlation-id is kept beside it, never in its place.
    genReqId: () => randomUUID(),
    // Node checks the header and request timeouts only every connectionsCheckingInterval (30 s by default),
    // which can be set only when the server is created.
    http: { headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, connectionsCheckingInterval: timeouts.checkIntervalMs },
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    connectionTimeout: timeouts.idleMs,
    // Ids in paths are judged by minyi (400 naming the field); derived case ids may be up to 200 characters.
    routerOptions: { maxParamLength: 512 },
    frameworkErrors: frameworkProblem,
    clientErrorHandler: clientProblem,
  } as ConstructorParameters<typeof FastifyAdapter>[0]);
  const logger = options.logger === false ? false : (options.logger ?? processLogger());
  const app = await NestFactory.create<NestFastifyApplication>(module as Type<unknown>, adapter, {
    logger,
    bufferLogs: false,
    // A module that cannot be built throws (and says why) instead of exiting the process.
    abortOnError: false,
    // minyi registers its own JSON parser (UTF-8 checked) and no other (see installBodyParsers).
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  installRouteLimits(fastify);
  installBodyParsers(fastify);
  installRequestHooks(fastify, credentialResolverOf(app), logger === false ? null : logger);

  const doc = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description + LIMITS_TEXT)
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'admin token, terminal key or reader token' })
    .build();
  const document = describeLimits(SwaggerModule.createDocument(app as INestApplication, doc));
  fastify.get('/docs-json', PUBLIC_ROUTE, (_req, reply) => void reply.send(document));
  serveSwaggerUi(fastify, options.title);
  app.enableShutdownHooks();
  return app;
}

function credentialResolverOf(app: NestFastifyApplication): CredentialResolver | null {
  try {
    return app.get<CredentialResolver>(CREDENTIAL_RESOLVER, { strict: false });
  } catch {
    // A process without the organisation directory checks no credentials: every route that needs one answers 401.
    return null;
  }
}

/** Every route reads at most its own body limit (@BodyLimit), or the small default. Runs as Nest registers routes. */
function installRouteLimits(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    route.bodyLimit = minyiRouteConfig(route.config)?.bodyLimit ?? route.bodyLimit ?? DEFAULT_BODY_LIMIT;
  });
}

const notUtf8 = () => Object.assign(new Error('the request body is not valid UTF-8'), { statusCode: 400 });

/**
 * JSON only, decoded strictly as UTF-8 (a body that is not UTF-8 is 400, not silently mended with U+FFFD), then
 * parsed by Fastify's own parser, which keeps secure-json-parse's refusal of __proto__ and constructor.prototype.
 * Any other content type (form bodies, text) is 415. The parser has no limit of its own: the route's applies.
 */
function installBodyParsers(fastify: FastifyInstance): void {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = decoder.decode(body as Buffer);
    } catch {
      done(notUtf8(), undefined);
      return;
    }
    parseJson(request, text, done);
  });
}

type MinyiRequest = FastifyRequest & AuthenticatedRequest;

/**
 * The first hook of every request: its ids (into AsyncLocalStorage, so that every log line written while it is
 * served carries them) and its caller, resolved before the body is read. The last: one access log line.
 */
function installRequestHooks(fastify: FastifyInstance, resolver: CredentialResolver | null, logger: NestPinoLogger | null): void {
  fastify.decorateRequest('principal', null);
  fastify.decorateRequest('correlationId', '');
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    const r = request as MinyiRequest;
    r.correlationId = acceptedCorrelationId(request.headers['x-correlation-id']) ?? request.id;
    const context: RequestContext = { reqId: request.id, correlationId: r.correlationId };
    requestContext.run(context, () => authenticate(resolver, r, reply, done));
  });
  if (!logger) return;
  const log = logger.pino;
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (log.isLevelEnabled('info')) {
      const r = request as MinyiRequest;
      // The route pattern, never the URL: its query string and path are the caller's text (and may carry personal data).
      log.info(
        {
          method: request.method,
          route: request.routeOptions.url ?? null,
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime * 10) / 10,
          reqId: request.id,
          correlationId: r.correlationId,
          principal: r.principal ? actorOf(r.principal) : null,
        },
        'request',
      );
    }
    done();
  });
}

const LIMITS_TEXT =
  '\n\nLimits: every route reads at most its body limit (shown on each route; ' +
  `${formatBytes(DEFAULT_BODY_LIMIT)} where none is shown); a larger body is refused with 413 and not read further. ` +
  'A request without valid credentials is refused with 401 before its body is read. Headers must arrive within 10 s ' +
  'and the whole body within 30 s, else 408 and the connection is closed. Bodies are JSON in UTF-8 ' +
  '(Content-Type: application/json; anything else is 415; a body that is not valid UTF-8 is 400).';

/** Writes each operation's body limit (from @BodyLimit, or the default) into its description, and its 401/413. */
function describeLimits(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      const op = item[method];
      if (!op) continue;
      const extensions = op as unknown as Record<string, { bytes: number; reason: string } | undefined>;
      const limit = extensions[BODY_LIMIT_EXTENSION] ?? { bytes: DEFAULT_BODY_LIMIT, reason: DEFAULT_BODY_LIMIT_REASON };
      extensions[BODY_LIMIT_EXTENSION] = limit;
      op.description = `${op.description ? `${op.description}\n\n` : ''}Body limit: ${formatBytes(limit.bytes)} — ${limit.reason}. A larger body → 413.`;
      op.responses['413'] ??= { description: `the body is larger than ${formatBytes(limit.bytes)}` };
      op.responses['401'] ??= { description: 'no bearer token, or one nobody issued (answered before the body is read)' };
    }
  }
  return document;
}

const UI_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
};

/** Swagger UI at /docs from the swagger-ui-dist package, without a static-files plugin. */
function serveSwaggerUi(fastify: FastifyInstance, title: string): void {
  const dir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>${title} — API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script><script src="/docs/swagger-ui-standalone-preset.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/docs-json', dom_id: '#ui', presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });</script>
</body></html>`;
  fastify.get('/docs', PUBLIC_ROUTE, (_req, reply) => void reply.type('text/html; charset=utf-8').send(page));
  for (const [file, type] of Object.entries(UI_ASSETS)) {
    fastify.get(`/docs/${file}`, PUBLIC_ROUTE, (_req, reply) => void reply.type(type).header('cache-control', 'public, max-age=86400').send(fs.createReadStream(path.join(dir, file))));
  }
}

/**
 * Refusals made by the router before minyi sees the request (a path parameter longer than any id, a path
 * escape that is not UTF-8), as problem+json like every other refusal.
 */
function frameworkProblem(err: { code?: string }, request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const message = tooLong ? 'a path segment is longer than any id' : 'the URL is not percent-encoded UTF-8';
  void reply
    .status(400)
    .header('content-type', 'application/problem+json; charset=utf-8')
    // Every path parameter minyi declares is an id.
    .send({ type: 'https://minyi.dev/problems/invalid-input', title: 'Invalid input', status: 400, detail: message, errors: [{ path: tooLong ? 'id' : '', message }] });
}

const CLIENT_ERROR_TITLES: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/** What Node's HTTP parser refuses (malformed HTTP, headers over 16 KiB, a request too slow): problem+json, then close. */
function clientProblem(err: { code?: string }, socket: import('node:net').Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const title = CLIENT_ERROR_TITLES[status];
  const problem: Record<string, unknown> = { type: 'about:blank', title, status, detail: title };
  if (status === 400) problem.errors = [{ path: '', message: 'the request is not well-formed HTTP' }];
  const body = JSON.stringify(problem);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${title}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/problem+json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}
