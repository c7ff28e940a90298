// POST /v1/terminals/{id}/revoke, /v1/readers/{id}/revoke, /v1/clients/{id}/revoke: the administrator revokes
// a credential for good.
import { applyDecorators, Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { actorOf, Allow, CorrelationId, CurrentPrincipal, type Principal } from '@minyi/platform';
import { EmptyBodyPipe, emptyBodySchema, holderIdOf } from '../application/credential-action.js';
import type { CredentialKind } from '../domain/credentials.js';
import { RevokeCredential, type Revocation } from './revoke-credential.handler.js';

const DESCRIPTION =
  'From the answer on, the credential is refused (401) by this process, and by every other process within 5 seconds ' +
  '(each checks the credentials in use every second and trusts what it read for at most 4 s). A revocation is final: ' +
  'registering the same id again answers 200 "duplicate" and issues nothing; a new credential needs a new id.';

async function revoke(commands: CommandBus, kind: CredentialKind, id: string, principal: Principal, correlationId: string) {
  const status: Revocation = await commands.execute(new RevokeCredential(kind, holderIdOf(id), actorOf(principal), correlationId));
  return { id, status };
}

const Responses = (what: string) =>
  applyDecorators(
    ApiResponse({ status: 200, description: `{ id, status: "revoked" }, or { id, status: "duplicate" } when the ${what} was revoked already` }),
    ApiResponse({ status: 400, description: 'the id is malformed, or the body is not `{}`' }),
    ApiResponse({ status: 404, description: `no ${what} with this id` }),
  );

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('v1/terminals')
export class RevokeTerminalController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/revoke')
  @HttpCode(200)
  @Allow('admin')
  @ApiOperation({ summary: 'Revoke a terminal: its key is refused from then on', description: DESCRIPTION })
  @ApiParam({ name: 'id', description: 'the terminal’s id' })
  @ApiBody({ schema: emptyBodySchema.schema, required: false })
  @Responses('terminal')
  revoke(@Param('id') id: string, @Body(EmptyBodyPipe) _body: unknown, @CurrentPrincipal() principal: Principal, @CorrelationId() correlationId: string) {
    return revoke(this.commands, 'terminal', id, principal, correlationId);
  }
}

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('v1/readers')
export class RevokeReaderController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/revoke')
  @HttpCode(200)
  @Allow('admin')
  @ApiOperation({ summary: 'Revoke a reader token', description: DESCRIPTION })
  @ApiParam({ name: 'id', description: 'the reader’s id' })
  @ApiBody({ schema: emptyBodySchema.schema, required: false })
  @Responses('reader')
  revoke(@Param('id') id: string, @Body(EmptyBodyPipe) _body: unknown, @CurrentPrincipal() principal: Principal, @CorrelationId() correlationId: string) {
    return revoke(this.commands, 'reader', id, principal, correlationId);
  }
}

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('v1/clients')
export class RevokeClientController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/revoke')
  @HttpCode(200)
  @Allow('admin')
  @ApiOperation({ summary: 'Revoke a client token', description: DESCRIPTION })
  @ApiParam({ name: 'id', description: 'the client’s id' })
  @ApiBody({ schema: emptyBodySchema.schema, required: false })
  @Responses('client')
  revoke(@Param('id') id: string, @Body(EmptyBodyPipe) _body: unknown, @CurrentPrincipal() principal: Principal, @CorrelationId() correlationId: string) {
    return revoke(this.commands, 'client', id, principal, correlationId);
  }
}
