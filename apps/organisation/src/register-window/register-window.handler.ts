// Registers a service window (窗口) in a unit.
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Refused, streamIds, WindowRegistered, type WindowRegisteredV1 } from '@minyi/contracts';
import { Registrar, type Registered } from '../application/registrar.js';
import { OrganisationDirectory } from '../directory/organisation.directory.js';
import type { RegisterWindowBody } from './register-window.schema.js';

export class RegisterWindow {
  constructor(
    readonly body: RegisterWindowBody,
    readonly actor: string,
    readonly correlationId: string,
  ) {}
}

@CommandHandler(RegisterWindow)
export class RegisterWindowHandler implements ICommandHandler<RegisterWindow, Registered<WindowRegisteredV1>> {
  constructor(
    private readonly registrar: Registrar,
    private readonly directory: OrganisationDirectory,
  ) {}

  async execute({ body, actor, correlationId }: RegisterWindow): Promise<Registered<WindowRegisteredV1>> {
    if (!(await this.directory.unit(body.unitId))) {
      throw new Refused(`unit ${body.unitId} does not exist`, [{ path: 'unitId', message: 'no such unit' }]);
    }
    return this.registrar.register({
      what: 'window',
      id: body.id,
      streamId: streamIds.window(body.id),
      eventType: WindowRegistered.type,
      request: body,
      unitId: body.unitId,
      actor,
      correlationId,
      now: new Date(),
      propose: () => ({ windowId: body.id, unitId: body.unitId, name: body.name, serviceTypes: body.serviceTypes ?? [] }),
    });
  }
}
