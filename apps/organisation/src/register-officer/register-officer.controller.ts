// POST /v1/officers: the administrator registers an officer.
import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { OfficerRegisteredV1 } from '@minyi/contracts';
import { actorOf, Allow, CorrelationId, CurrentPrincipal, SchemaPipe, type Principal } from '@minyi/platform';
import type { Registered } from '../application/registrar.js';
import { RegisterOfficer } from './register-officer.handler.js';
import { registerOfficerSchema, type RegisterOfficerBody } from './register-officer.schema.js';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('v1/officers')
export class RegisterOfficerController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow('admin')
  @ApiOperation({ summary: 'Register an officer in a unit' })
  @ApiBody({ schema: registerOfficerSchema.schema })
  @ApiResponse({ status: 201, description: 'registered' })
  @ApiResponse({ status: 422, description: 'the unit does not exist' })
  async register(
    @Body(new SchemaPipe(registerOfficerSchema)) body: RegisterOfficerBody,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const r: Registered<OfficerRegisteredV1> = await this.commands.execute(new RegisterOfficer(body, actorOf(principal), correlationId));
    if (r.status === 'duplicate') void reply.status(200);
    return { id: r.data.officerId, unitId: r.data.unitId, name: r.data.name, status: r.status };
  }
}
