// POST /v1/clients: the administrator registers a client app and receives its token once.
import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { actorOf, Allow, CorrelationId, CurrentPrincipal, SchemaPipe, type Principal } from '@minyi/platform';
import { RegisterClient, type ClientRegistration } from './register-client.handler.js';
import { registerClientSchema, type RegisterClientBody } from './register-client.schema.js';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('v1/clients')
export class RegisterClientController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow('admin')
  @ApiOperation({
    summary: 'Register a client app (hotline desks, officers’ phones, survey kiosks) and issue its token',
    description:
      'The token (`mc_…`) is shown once; only its hash is kept. The same id with the same content again (scopes in any ' +
      'order; unitId absent or null alike) answers 200 "duplicate" without a token — also after a revoke, which is final. ' +
      'A client with unitId acts only for that unit and the units below it; without, for every unit.',
  })
  @ApiBody({ schema: registerClientSchema.schema })
  @ApiResponse({ status: 201, description: '{ id, name, scopes, unitId, token, status: "created" }' })
  @ApiResponse({ status: 200, description: 'the same client again: { id, name, scopes, unitId, status: "duplicate" }, no token' })
  @ApiResponse({ status: 409, description: 'the id is taken by a different client' })
  @ApiResponse({ status: 422, description: 'the unit does not exist' })
  async register(
    @Body(new SchemaPipe(registerClientSchema)) body: RegisterClientBody,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const r: ClientRegistration = await this.commands.execute(new RegisterClient(body, actorOf(principal), correlationId));
    const base = { id: r.data.clientId, name: r.data.name, scopes: r.data.scopes, unitId: r.data.unitId };
    if (r.status === 'duplicate') {
      void reply.status(200);
      return { ...base, status: r.status };
    }
    return { ...base, token: r.token, status: r.status };
  }
}
