// Registers a client (an app of hotline desks, officers' phones, survey kiosks) and issues its token (shown
// once, kept only as a hash): what it may do (scopes) and for which units.
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLIENT_SCOPE_NAMES, ClientRegistered, Refused, streamIds, type ClientRegisteredV1 } from '@minyi/contracts';
import { Registrar, type Registered } from '../application/registrar.js';
import { hashCredential, issueCredential } from '../domain/credentials.js';
import { OrganisationCredentials } from '../directory/credential-resolver.js';
import { OrganisationDirectory } from '../directory/organisation.directory.js';
import type { RegisterClientBody } from './register-client.schema.js';

export class RegisterClient {
  constructor(
    readonly body: RegisterClientBody,
    readonly actor: string,
    readonly correlationId: string,
  ) {}
}

export type ClientRegistration = Registered<ClientRegisteredV1> & { token: string | null };

@CommandHandler(RegisterClient)
export class RegisterClientHandler implements ICommandHandler<RegisterClient, ClientRegistration> {
  constructor(
    private readonly registrar: Registrar,
    private readonly directory: OrganisationDirectory,
    private readonly credentials: OrganisationCredentials,
  ) {}

  async execute({ body, actor, correlationId }: RegisterClient): Promise<ClientRegistration> {
    const unitId = body.unitId ?? null;
    if (unitId !== null && !(await this.directory.unit(unitId))) {
      throw new Refused(`unit ${unitId} does not exist`, [{ path: 'unitId', message: 'no such unit' }]);
    }
    // The content, not its spelling: scopes in any order, and unitId absent or null, are the same client.
    const scopes = CLIENT_SCOPE_NAMES.filter((s) => body.scopes.includes(s));
    const token = issueCredential('client', body.id);
    const streamId = streamIds.client(body.id);
    const r = await this.registrar.register({
      what: 'client',
      id: body.id,
      streamId,
      eventType: ClientRegistered.type,
      request: { id: body.id, name: body.name, scopes, unitId },
      unitId,
      actor,
      correlationId,
      now: new Date(),
      propose: () => ({ clientId: body.id, name: body.name, scopes, unitId, tokenHash: hashCredential(token) }),
    });
    // This process may remember the id as unknown (someone tried the token before it existed).
    if (r.status === 'created') this.credentials.forget(streamId);
    return { ...r, token: r.status === 'created' ? token : null };
  }
}
