// POST /v1/units: the administrator registers a unit of the organisation tree.
import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { actorOf, Allow, CorrelationId, CurrentPrincipal, SchemaPipe, type Principal } from '@minyi/platform';
import type { Registered } from '../application/registrar.js';
import { RegisterUnit } from './register-unit.handler.js';
import { registerUnitSchema, type RegisterUnitBody } from './register-unit.schema.js';
import type { UnitRegisteredV1 } from '@minyi/contracts';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('v1/units')
export class RegisterUnitController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow('admin')
  @ApiOperation({ summary: 'Register a unit (bureau, branch, station, brigade …) under its parent' })
  @ApiBody({ schema: registerUnitSchema.schema })
  @ApiResponse({ status: 201, description: 'registered' })
  @ApiResponse({ status: 200, description: 'the same id and content again: the first outcome, status "duplicate"' })
  @ApiResponse({ status: 409, description: 'the id is taken by different content' })
  @ApiResponse({ status: 422, description: 'the parent unit does not exist' })
  async register(
    @Body(new SchemaPipe(registerUnitSchema)) body: RegisterUnitBody,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const r: Registered<UnitRegisteredV1> = await this.commands.execute(new RegisterUnit(body, actorOf(principal), correlationId));
    if (r.status === 'duplicate') void reply.status(200);
    return { id: r.data.unitId, name: r.data.name, parentId: r.data.parentId, kind: r.data.kind, status: r.status };
  }
}
