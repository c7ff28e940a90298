// Builds a minyi HTTP process: Nest on Fastify, problem+json for every error, OpenAPI at /docs.
import { randomUUID } from 'node:crypto';
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
  SwaggerModule.setup('docs', app as INestApplication, document, { jsonDocumentUrl: 'docs-json' });
  app.enableShutdownHooks();
  return app;
}
