// POST /v1/windows: the administrator registers a service window.
import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { WindowRegisteredV1 } from '@minyi/contracts';
import { actorOf, Allow, CorrelationId, CurrentPrincipal, SchemaPipe, type Principal } from '@minyi/platform';
import { BodyLimit, KiB } from '@minyi/platform';
import type { Registered } from '../application/registrar.js';
import { RegisterWindow } from './register-window.handler.js';
import { registerWindowSchema, type RegisterWindowBody } from './register-window.schema.js';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('v1/windows')
export class RegisterWindowController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow('admin')
  @BodyLimit(64 * KiB, 'a window with 50 service types of 64 characters, every character sent as a \\uXXXX escape of a surrogate pair, is about 42 KB')
  @ApiOperation({ summary: 'Register a service window in a unit' })
  @ApiBody({ schema: registerWindowSchema.schema })
  @ApiResponse({ status: 201, description: 'registered' })
  @ApiResponse({ status: 422, description: 'the unit does not exist' })
  async register(
    @Body(new SchemaPipe(registerWindowSchema)) body: RegisterWindowBody,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const r: Registered<WindowRegisteredV1> = await this.commands.execute(new RegisterWindow(body, actorOf(principal), correlationId));
    if (r.status === 'duplicate') void reply.status(200);
    return { id: r.data.windowId, unitId: r.data.unitId, name: r.data.name, serviceTypes: r.data.serviceTypes, status: r.status };
  }
}
