// The route decorators merge their part into the Fastify route config Nest passes on, and keep what others put there.
import 'reflect-metadata';
import { Controller, Post } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import { Allow, AllowAnonymous, Public } from './auth';
import { BodyLimit } from './limits';

const configOf = (fn: unknown) => Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, fn as object);

it('when @Allow, @AllowAnonymous and @BodyLimit are stacked over a @RouteConfig, then the route config holds all of them', () => {
  class C {
    @Allow('client')
    @AllowAnonymous()
    @BodyLimit(2048, 'why')
    @RouteConfig({ rateLimit: 5 })
    @Post()
    m() {}
  }
  expect(configOf(C.prototype.m)).toEqual({ rateLimit: 5, minyi: { allow: ['client'], anonymous: true, bodyLimit: 2048 } });
});

it('when @Allow is on a controller, then each route gets it unless the route says otherwise', () => {
  @Allow('admin')
  @Controller('x')
  class C {
    @Post('a')
    a() {}
    @Public()
    @Post('b')
    b() {}
    @Allow('reader')
    @Post('c')
    c() {}
    helper() {}
  }
  expect(configOf(C.prototype.a)).toEqual({ minyi: { allow: ['admin'] } });
  expect(configOf(C.prototype.b)).toEqual({ minyi: { public: true, allow: ['admin'] } });
  expect(configOf(C.prototype.c)).toEqual({ minyi: { allow: ['reader'] } });
  expect(configOf(C.prototype.helper)).toBeUndefined();
});

it('when @Allow names no kind or @BodyLimit no positive size, then the decorator refuses at once', () => {
  expect(() => Allow()).toThrow(/at least one/);
  expect(() => BodyLimit(0, 'x')).toThrow(/positive/);
  expect(() => BodyLimit(1.5, 'x')).toThrow(/positive/);
});
