// Registers a unit in the organisation tree under its parent.
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Refused, streamIds, UnitRegistered, type UnitRegisteredV1 } from '@minyi/contracts';
import { Registrar, type Registered } from '../application/registrar.js';
import { OrganisationDirectory } from '../directory/organisation.directory.js';
import type { RegisterUnitBody } from './register-unit.schema.js';

export class RegisterUnit {
  constructor(
    readonly body: RegisterUnitBody,
    readonly actor: string,
    readonly correlationId: string,
  ) {}
}

@CommandHandler(RegisterUnit)
export class RegisterUnitHandler implements ICommandHandler<RegisterUnit, Registered<UnitRegisteredV1>> {
  constructor(
    private readonly registrar: Registrar,
    private readonly directory: OrganisationDirectory,
  ) {}

  async execute({ body, actor, correlationId }: RegisterUnit): Promise<Registered<UnitRegisteredV1>> {
    if (body.parentId !== null) {
      if (body.parentId === body.id) throw new Refused('a unit cannot be its own parent', [{ path: 'parentId', message: 'is the unit itself' }]);
      if (!(await this.directory.unit(body.parentId))) {
        throw new Refused(`parent unit ${body.parentId} does not exist`, [{ path: 'parentId', message: 'no such unit' }]);
      }
    }
    return this.registrar.register({
      what: 'unit',
      id: body.id,
      streamId: streamIds.unit(body.id),
      eventType: UnitRegistered.type,
      request: body,
      unitId: body.id,
      actor,
      correlationId,
      now: new Date(),
      propose: () => ({ unitId: body.id, name: body.name, parentId: body.parentId, kind: body.kind }),
    });
  }
}
