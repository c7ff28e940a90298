// Registers an officer (民警 or 辅警) in a unit.
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { OfficerRegistered, Refused, streamIds, type OfficerRegisteredV1 } from '@minyi/contracts';
import { Registrar, type Registered } from '../application/registrar.js';
import { OrganisationDirectory } from '../directory/organisation.directory.js';
import type { RegisterOfficerBody } from './register-officer.schema.js';

export class RegisterOfficer {
  constructor(
    readonly body: RegisterOfficerBody,
    readonly actor: string,
    readonly correlationId: string,
  ) {}
}

@CommandHandler(RegisterOfficer)
export class RegisterOfficerHandler implements ICommandHandler<RegisterOfficer, Registered<OfficerRegisteredV1>> {
  constructor(
    private readonly registrar: Registrar,
    private readonly directory: OrganisationDirectory,
  ) {}

  async execute({ body, actor, correlationId }: RegisterOfficer): Promise<Registered<OfficerRegisteredV1>> {
    if (!(await this.directory.unit(body.unitId))) {
      throw new Refused(`unit ${body.unitId} does not exist`, [{ path: 'unitId', message: 'no such unit' }]);
    }
    return this.registrar.register({
      what: 'officer',
      id: body.id,
      streamId: streamIds.officer(body.id),
      eventType: OfficerRegistered.type,
      request: body,
      unitId: body.unitId,
      actor,
      correlationId,
      now: new Date(),
      propose: () => ({ officerId: body.id, unitId: body.unitId, name: body.name }),
    });
  }
}
