// Registers a rating terminal at a window and issues its API key (shown once, kept only as a hash).
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Refused, streamIds, TerminalRegistered, type TerminalRegisteredV1 } from '@minyi/contracts';
import { Registrar, type Registered } from '../application/registrar.js';
import { hashCredential, issueCredential } from '../domain/credentials.js';
import { OrganisationCredentials } from '../directory/credential-resolver.js';
import { OrganisationDirectory } from '../directory/organisation.directory.js';
import type { RegisterTerminalBody } from './register-terminal.schema.js';

export class RegisterTerminal {
  constructor(
    readonly body: RegisterTerminalBody,
    readonly actor: string,
    readonly correlationId: string,
  ) {}
}

export type TerminalRegistration = Registered<TerminalRegisteredV1> & { apiKey: string | null };

@CommandHandler(RegisterTerminal)
export class RegisterTerminalHandler implements ICommandHandler<RegisterTerminal, TerminalRegistration> {
  constructor(
    private readonly registrar: Registrar,
    private readonly directory: OrganisationDirectory,
    private readonly credentials: OrganisationCredentials,
  ) {}

  async execute({ body, actor, correlationId }: RegisterTerminal): Promise<TerminalRegistration> {
    const window = await this.directory.window(body.windowId);
    if (!window) throw new Refused(`window ${body.windowId} does not exist`, [{ path: 'windowId', message: 'no such window' }]);
    const apiKey = issueCredential('terminal', body.id);
    const r = await this.registrar.register({
      what: 'terminal',
      id: body.id,
      streamId: streamIds.terminal(body.id),
      eventType: TerminalRegistered.type,
      request: body,
      unitId: window.unitId,
      actor,
      correlationId,
      now: new Date(),
      propose: () => ({ terminalId: body.id, windowId: body.windowId, unitId: window.unitId, keyHash: hashCredential(apiKey) }),
    });
    // This process may remember the id as unknown (someone tried the key before it existed).
    if (r.status === 'created') this.credentials.forget(streamIds.terminal(body.id));
    return { ...r, apiKey: r.status === 'created' ? apiKey : null };
  }
}
