// The HTTP layer of every minyi process (createHttpApp), on a small app of its own: body limits per route,
// authentication before the body is read, deny by default, UTF-8 JSON only, header and body timeouts, the logs.
// The credential resolver is a table here (this suite is about the HTTP layer; the e2e suites use the real one).
import { Body, Controller, Get, Logger, Module, Post, Query, Req } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiClient, RawConnection } from '@minyi/testing';
import {
  Allow,
  AllowAnonymous,
  BearerAuthGuard,
  BodyLimit,
  CorrelationId,
  createHttpApp,
  createLog,
  CREDENTIAL_RESOLVER,
  CurrentPrincipal,
  DEFAULT_BODY_LIMIT,
  KiB,
  MiB,
  NestPinoLogger,
  ProblemFilter,
  Public,
  type CredentialResolver,
  type Principal,
} from './index.js';

const ADMIN = 'admin-token-0123456789abcdef';
const TERMINAL = 'mk_7465726d_terminal-key-0123456789';
const PRINCIPALS: Record<string, Principal> = {
  [ADMIN]: { kind: 'admin' },
  [TERMINAL]: { kind: 'terminal', terminalId: 'term', windowId: 'win', unitId: 'unit' },
};

class TableResolver implements CredentialResolver {
  calls = 0;
  async resolve(token: string): Promise<Principal | null> {
    this.calls += 1;
    return PRINCIPALS[token] ?? null;
  }
}
const resolver = new TableResolver();

/** What handlers saw, so that a test can tell whether a handler ran at all. */
const handled: string[] = [];

@Controller('t')
class TestController {
  @Post('small')
  @Allow('admin')
  small(@Body() body: unknown) {
    handled.push('small');
    return { bytes: JSON.stringify(body).length };
  }

  @Post('large')
  @Allow('admin')
  @BodyLimit(1 * MiB, 'a test route')
  large(@Body() body: unknown) {
    handled.push('large');
    return { bytes: JSON.stringify(body).length };
  }

  @Post('terminal')
  @Allow('terminal')
  terminal(@CurrentPrincipal() p: Principal) {
    return { kind: p.kind };
  }

  @Post('undeclared')
  undeclared() {
    handled.push('undeclared');
    return { ran: true };
  }

  @Get('public')
  @Public()
  open() {
    return { open: true };
  }

  @Post('anonymous')
  @Allow('client', 'admin')
  @AllowAnonymous()
  anonymous(@Req() request: { principal: Principal | null }, @Body() body: unknown) {
    return { principal: request.principal?.kind ?? null, body };
  }

  @Get('log')
  @Allow('admin')
  log(@CorrelationId() correlationId: string, @Query('q') _q: string) {
    new Logger('test-handler').log('inside the handler');
    return { correlationId };
  }
}

@Allow('admin')
@Controller('c')
class ClassLevelController {
  @Post()
  post() {
    return { ran: true };
  }

  @Get('open')
  @Public()
  open() {
    return { open: true };
  }
}

@Module({
  controllers: [TestController, ClassLevelController],
  providers: [
    { provide: CREDENTIAL_RESOLVER, useValue: resolver },
    { provide: APP_GUARD, useClass: BearerAuthGuard },
    { provide: APP_FILTER, useClass: ProblemFilter },
  ],
})
class TestModule {}

const logLines: string[] = [];
let app: NestFastifyApplication;
let url: string;
const admin = () => new ApiClient(url, ADMIN);
const anyone = () => new ApiClient(url);

beforeAll(async () => {
  const logger = new NestPinoLogger(createLog({ level: 'info', destination: { write: (line: string) => void logLines.push(line) } }));
  app = await createHttpApp(TestModule, {
    title: 'test',
    description: 'test',
    logger,
    // Short enough for a test to wait out; one e2e test (apps/minyi/test/http-limits) waits out the real 10 s.
    timeouts: { headersMs: 1500, requestMs: 3000, checkIntervalMs: 200 },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => app.close());

/** Sends a request head and none or part of its body; the connection stays open for the test to go on. */
async function rawRequest(path: string, headers: Record<string, string>, body = ''): Promise<RawConnection> {
  const c = await RawConnection.open(url);
  const head = [`POST ${path} HTTP/1.1`, 'Host: test', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)].join('\r\n');
  await c.write(`${head}\r\n\r\n${body}`);
  return c;
}

describe('body limits', () => {
  it('when a route declares no limit, then a body over the default is 413 and one under it is read', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(DEFAULT_BODY_LIMIT) });
    const r = await admin().request('POST', '/t/small', big);
    expect(r.status).toBe(413);
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({ status: 413, title: 'Content Too Large', detail: expect.stringMatching(/limit of 16 KiB/) });
    expect((await admin().post('/t/small', { pad: 'x'.repeat(DEFAULT_BODY_LIMIT - 100) })).status).toBe(201);
  });

  it('when a route declares a limit above the JSON parser default, then the route limit wins both ways', async () => {
    // 600 KiB: over the 16 KiB every parser is registered with, under the route's 1 MiB.
    const r = await admin().post('/t/large', { pad: 'x'.repeat(600 * KiB) });
    expect(r.status).toBe(201);
    expect(r.body.bytes).toBeGreaterThan(600 * KiB);
    expect((await admin().post('/t/large', { pad: 'x'.repeat(MiB) })).status).toBe(413);
  });

  it('when Content-Length is over the limit, then 413 comes at once, before any byte of the body is sent', async () => {
    const c = await rawRequest('/t/small', { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', 'content-length': String(10 * MiB) });
    await c.response('the 413');
    expect(c.status).toBe(413);
    expect(c.header('connection')).toBe('close');
    c.destroy();
  });

  it('when a chunked body passes the limit, then 413 and reading stops (the connection is closed)', async () => {
    const c = await rawRequest('/t/small', { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    const chunk = Buffer.alloc(4 * KiB, 'x');
    // Up to 10x the limit; the server refuses as soon as it has read past it.
    for (let sent = 0; sent < 10 * DEFAULT_BODY_LIMIT && c.status === null; sent += chunk.length) {
      if (!(await c.write(Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])))) break;
    }
    await c.response('the 413');
    expect(c.status).toBe(413);
    await c.closedByServer('the close after the 413', 5000);
    c.destroy();
  });

  it('when the docs are read, then every route with a body shows its limit and why', async () => {
    const doc = (await anyone().get('/docs-json')).body;
    expect(doc.paths['/t/large'].post['x-body-limit']).toEqual({ bytes: MiB, reason: 'a test route' });
    expect(doc.paths['/t/large'].post.description).toMatch(/Body limit: 1 MiB — a test route/);
    expect(doc.paths['/t/small'].post.description).toMatch(/Body limit: 16 KiB/);
    expect(doc.paths['/t/small'].post.responses['413']).toBeDefined();
  });
});

describe('authentication before the body', () => {
  it('when a 10 MB body that is not even JSON comes without a token, then 401 (not 400, not 413): it was never read', async () => {
    const before = handled.length;
    const c = await rawRequest('/t/large', { 'content-type': 'application/json', 'content-length': String(10 * MiB) }, '{not json'.repeat(1000));
    await c.response('the 401');
    expect(c.status).toBe(401);
    expect(c.header('www-authenticate')).toMatch(/^Bearer/);
    expect(c.header('content-type')).toMatch(/^application\/problem\+json/);
    expect(c.header('connection')).toBe('close');
    expect(handled.length).toBe(before);
    c.destroy();
  });

  it('when the token is unknown or malformed, then 401 with WWW-Authenticate, whatever the body', async () => {
    for (const authorization of ['Bearer nobody-issued-this-token', 'Basic YWRtaW46YWRtaW4=', 'Bearer', `Bearer ${ADMIN} extra`]) {
      const r = await anyone().request('POST', '/t/small', '{not json', { authorization, 'content-type': 'application/json' });
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer realm="minyi"/);
    }
    const unknown = await anyone().request('POST', '/t/small', '{}', { authorization: 'Bearer nobody-issued-this-token' });
    expect(unknown.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });

  it('when a valid token of the wrong kind posts a body that is not JSON, then 403 before the body is read', async () => {
    const r = await new ApiClient(url, TERMINAL).request('POST', '/t/large', '{not json', { 'content-type': 'application/json' });
    expect(r.status).toBe(403);
    expect(r.body.detail).toMatch(/admin/);
    expect((await new ApiClient(url, TERMINAL).post('/t/terminal', {})).body).toEqual({ kind: 'terminal' });
  });

  it('when a route declares neither @Allow nor @Public, then nobody may call it: 401 without a token, 403 with one', async () => {
    expect((await anyone().post('/t/undeclared', {})).status).toBe(401);
    expect((await admin().post('/t/undeclared', {})).status).toBe(403);
    expect(handled).not.toContain('undeclared');
  });

  it('when a route is @Public, then it answers without a token', async () => {
    expect((await anyone().get('/t/public')).body).toEqual({ open: true });
    expect((await anyone().get('/docs')).status).toBe(200);
  });

  it('when @Allow is on the controller, then its routes need the token and a @Public method of it does not', async () => {
    expect((await anyone().post('/c', {})).status).toBe(401);
    expect((await new ApiClient(url, TERMINAL).post('/c', {})).status).toBe(403);
    expect((await admin().post('/c', {})).status).toBe(201);
    expect((await anyone().get('/c/open')).body).toEqual({ open: true });
  });

  it('when a route allows anonymous callers, then no header passes without a principal, and a bad header is still 401', async () => {
    expect((await anyone().post('/t/anonymous', { invitation: 'x' })).body).toEqual({ principal: null, body: { invitation: 'x' } });
    expect((await admin().post('/t/anonymous', {})).body.principal).toBe('admin');
    expect((await new ApiClient(url, 'nobody-issued-this').post('/t/anonymous', {})).status).toBe(401);
    expect((await new ApiClient(url, TERMINAL).post('/t/anonymous', {})).status).toBe(403);
  });

  it('when a route does not exist, then 404 with or without a token', async () => {
    expect((await anyone().post('/t/nothing-here', {})).status).toBe(404);
    expect((await admin().post('/t/nothing-here', {})).status).toBe(404);
  });
});

describe('bodies are UTF-8 JSON', () => {
  it('when the body is not valid UTF-8, then 400 naming the body, and the handler never runs', async () => {
    const before = handled.length;
    for (const bytes of [Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), Buffer.from('{"a":"\xed\xa0\x80"}', 'latin1'), Buffer.from([0x7b, 0x22, 0xc3])]) {
      const r = await fetch(`${url}/t/small`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: bytes });
      const body = (await r.json()) as { errors: unknown };
      expect(r.status).toBe(400);
      expect(body.errors).toEqual([{ path: '', message: 'the request body is not valid UTF-8' }]);
    }
    expect(handled.length).toBe(before);
  });

  it('when the body is UTF-8 with any script, then it is read as sent', async () => {
    const r = await admin().post('/t/anonymous', { comment: '窗口服务很好 😀 ñ' });
    expect(r.body.body).toEqual({ comment: '窗口服务很好 😀 ñ' });
  });

  it('when the body is a form, text or anything but JSON, then 415', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const r = await admin().request('POST', '/t/small', 'a=1', { 'content-type': type });
      expect(r.status).toBe(415);
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(r.body).toMatchObject({ status: 415, title: 'Unsupported Media Type', detail: expect.stringMatching(/application\/json/) });
    }
  });

  it('when the JSON carries __proto__ or constructor.prototype, then 400', async () => {
    expect((await admin().request('POST', '/t/small', '{"__proto__":{"admin":true}}', { 'content-type': 'application/json' })).status).toBe(400);
    expect((await admin().request('POST', '/t/small', '{"constructor":{"prototype":{"admin":true}}}', { 'content-type': 'application/json' })).status).toBe(400);
  });
});

describe('timeouts', () => {
  it('when headers come too slowly, then the server answers 408 or closes the connection', async () => {
    const c = await RawConnection.open(url);
    await c.write('GET /t/public HTTP/1.1\r\nHost: test\r\n');
    // One byte of a header at a time, each well within any idle timeout: only the headers timeout can end this.
    for (let i = 0; i < 40 && !c.closed; i++) {
      await c.write('X');
      await new Promise((r) => setTimeout(r, 250));
    }
    await c.closedByServer('the server to give up on the headers', 10_000);
    expect([408, null]).toContain(c.status);
    c.destroy();
  });

  it('when a body is trickled one byte at a time past the request timeout, then 408 or the connection closed', async () => {
    const c = await rawRequest('/t/small', { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', 'content-length': '1000' }, '{');
    for (let i = 0; i < 40 && !c.closed; i++) {
      await c.write(' ');
      await new Promise((r) => setTimeout(r, 250));
    }
    await c.closedByServer('the server to give up on the body', 10_000);
    expect([408, null]).toContain(c.status);
    c.destroy();
  });
});

describe('correlation ids and logs', () => {
  it('when a client sends a well-formed x-correlation-id, then the handler and every log line of the request carry it', async () => {
    logLines.length = 0;
    const r = await admin().request('GET', '/t/log?q=personal-query-value', undefined, { 'x-correlation-id': 'corr-123.abc:X_y' });
    expect(r.body).toEqual({ correlationId: 'corr-123.abc:X_y' });
    await waitForLine((l) => l.msg === 'request' && l.correlationId === 'corr-123.abc:X_y');
    const lines = logLines.map((l) => JSON.parse(l));
    const handler = lines.find((l) => l.msg === 'inside the handler');
    expect(handler).toMatchObject({ level: 'info', context: 'test-handler', correlationId: 'corr-123.abc:X_y', pid: process.pid });
    expect(typeof handler.time).toBe('string');
    const access = lines.find((l) => l.msg === 'request');
    expect(access).toMatchObject({ method: 'GET', route: '/t/log', status: 200, principal: 'admin', correlationId: 'corr-123.abc:X_y' });
    expect(access.reqId).toBe(handler.reqId);
    expect(access.reqId).not.toBe('corr-123.abc:X_y');
    expect(typeof access.ms).toBe('number');
    const all = logLines.join('');
    expect(all).not.toContain(ADMIN);
    expect(all).not.toContain('personal-query-value');
  });

  it('when x-correlation-id is malformed or too long, then minyi uses its own request id instead', async () => {
    for (const bad of ['has space', 'x'.repeat(129), 'ünïcode', 'a/b', '']) {
      const r = await admin().request('GET', '/t/log', undefined, { 'x-correlation-id': bad });
      expect(r.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('when a refused request is logged, then the line has its status and no token or body text', async () => {
    logLines.length = 0;
    await anyone().request('POST', '/t/small', '{"comment":"secret body text"}', { authorization: 'Bearer not-a-token-anyone-issued', 'content-type': 'application/json' });
    await waitForLine((l) => l.msg === 'request' && l.status === 401);
    const all = logLines.join('');
    expect(all).not.toContain('not-a-token-anyone-issued');
    expect(all).not.toContain('secret body text');
    expect(JSON.parse(logLines.find((l) => l.includes('"status":401'))!)).toMatchObject({ route: '/t/small', principal: null });
  });
});

async function waitForLine(match: (line: Record<string, unknown>) => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!logLines.some((l) => match(JSON.parse(l)))) {
    if (Date.now() > deadline) throw new Error(`no such log line in:\n${logLines.join('')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
