// Builds a minyi HTTP process: Nest on Fastify, problem+json for every error, OpenAPI at /docs.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export interface HttpAppOptions {
  title: string;
  description: string;
  logger?: false | ('log' | 'error' | 'warn' | 'debug' | 'verbose')[];
}

export async function createHttpApp(module: Type<unknown> | object, options: HttpAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: 16 * 1024 * 1024,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const h = req.headers['x-correlation-id'];
      return typeof h === 'string' && h.length > 0 && h.length <= 128 ? h : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(module as Type<unknown>, adapter, {
    logger: options.logger ?? ['error', 'warn', 'log'],
    bufferLogs: false,
  });
  const doc = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description)
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'admin token, terminal key or reader token' })
    .build();
  const document = SwaggerModule.createDocument(app as INestApplication, doc);
  SwaggerModule.setup('docs', app as INestApplication, document, { jsonDocumentUrl: 'docs-json', swaggerUiEnabled: false });
  serveSwaggerUi(app, options.title);
  app.enableShutdownHooks();
  return app;
}

const UI_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
};

/** Swagger UI at /docs from the swagger-ui-dist package, without a static-files plugin. */
function serveSwaggerUi(app: NestFastifyApplication, title: string): void {
  const dir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  const fastify = app.getHttpAdapter().getInstance();
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>${title} — API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script><script src="/docs/swagger-ui-standalone-preset.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/docs-json', dom_id: '#ui', presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });</script>
</body></html>`;
  fastify.get('/docs', (_req, reply) => void reply.type('text/html; charset=utf-8').send(page));
  for (const [file, type] of Object.entries(UI_ASSETS)) {
    fastify.get(`/docs/${file}`, (_req, reply) => void reply.type(type).header('cache-control', 'public, max-age=86400').send(fs.createReadStream(path.join(dir, file))));
  }
}
