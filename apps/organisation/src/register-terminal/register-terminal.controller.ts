// POST /v1/terminals: the administrator registers a rating terminal and receives its key once.
import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { actorOf, Allow, CorrelationId, CurrentPrincipal, SchemaPipe, type Principal } from '@minyi/platform';
import { RegisterTerminal, type TerminalRegistration } from './register-terminal.handler.js';
import { registerTerminalSchema, type RegisterTerminalBody } from './register-terminal.schema.js';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('v1/terminals')
export class RegisterTerminalController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow('admin')
  @ApiOperation({
    summary: 'Register a rating terminal at a window',
    description:
      'Returns the terminal’s API key once. Only its hash is kept, so a duplicate registration (same id and ' +
      'window) answers 200 with status "duplicate" and no key; a lost key means registering a new terminal.',
  })
  @ApiBody({ schema: registerTerminalSchema.schema })
  @ApiResponse({ status: 201, description: '{ id, windowId, apiKey, status: "created" }' })
  @ApiResponse({ status: 422, description: 'the window does not exist' })
  async register(
    @Body(new SchemaPipe(registerTerminalSchema)) body: RegisterTerminalBody,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const r: TerminalRegistration = await this.commands.execute(new RegisterTerminal(body, actorOf(principal), correlationId));
    if (r.status === 'duplicate') {
      void reply.status(200);
      return { id: r.data.terminalId, windowId: r.data.windowId, status: r.status };
    }
    return { id: r.data.terminalId, windowId: r.data.windowId, apiKey: r.apiKey, status: r.status };
  }
}
