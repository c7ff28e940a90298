// Who may file, step and read a case (API.md "Credentials", "Cases: the shared rules", "Personal data"). A
// client's unit covers itself and every unit below it; a client without a unit covers every unit. The admin
// token may do whatever a client may. An unknown case is 404 before anything else; a case outside the caller's
// scope is 403 (as /v1/satisfaction answers 404 for an unknown unit and 403 for one outside a leader's subtree).
import { Inject, Injectable } from '@nestjs/common';
import { Forbidden, Refused } from '@minyi/contracts';
import { UNIT_DIRECTORY, type ClientScope, type Principal, type UnitDirectory } from '@minyi/platform';

/** What a caller admitted to read a case may see of it. */
export interface CaseReadAccess {
  /** The contact details (personal data): the admin and clients with `cases:write` covering the case only. */
  contact: boolean;
}

export const STEP_SCOPE: ClientScope = 'cases:write';

@Injectable()
export class CaseAccess {
  constructor(@Inject(UNIT_DIRECTORY) private readonly units: UnitDirectory) {}

  /** The unit's path (root … unit); null when it does not exist. */
  unitPath(unitId: string): Promise<string[] | null> {
    return this.units.unitPath(unitId);
  }

  /** Whether a unit bound to `scopeUnitId` (null: every unit) covers `unitId`. */
  async covers(scopeUnitId: string | null, unitId: string): Promise<boolean> {
    if (scopeUnitId === null) return true;
    const path = await this.units.unitPath(unitId);
    return path !== null && path.includes(scopeUnitId);
  }

  /**
   * Filing into `unitId` through a channel whose scope is `scope`: the admin, or a client with that scope whose
   * unit covers it (else 403). The unit must exist (else 422 naming `unitId`).
   */
  async authoriseFiling(principal: Principal, scope: ClientScope, unitId: string, field = 'unitId'): Promise<void> {
    if (principal.kind !== 'admin' && !(principal.kind === 'client' && principal.scopes.includes(scope))) {
      throw new Forbidden(`filing here needs the admin token or a client with ${scope}`);
    }
    const path = await this.units.unitPath(unitId);
    if (path === null) throw new Refused(`unit ${unitId} does not exist`, [{ path: field, message: 'no such unit' }]);
    if (principal.kind === 'client' && principal.unitId !== null && !path.includes(principal.unitId)) {
      throw new Forbidden(`this client acts for unit ${principal.unitId} and the units below it; ${unitId} is not among them`);
    }
  }

  /** Whether the caller may take steps at all (before the case is read): the admin, or a client with cases:write. */
  mayTakeSteps(principal: Principal): boolean {
    return principal.kind === 'admin' || (principal.kind === 'client' && principal.scopes.includes(STEP_SCOPE));
  }

  /** A step on a case whose responsible unit (before the step) is `responsibleUnitId`; else 403. */
  async authoriseStep(principal: Principal, responsibleUnitId: string): Promise<void> {
    if (!this.mayTakeSteps(principal)) throw new Forbidden(`steps need the admin token or a client with ${STEP_SCOPE}`);
    if (principal.kind === 'client' && !(await this.covers(principal.unitId, responsibleUnitId))) {
      throw new Forbidden(`this client acts for unit ${principal.unitId} and the units below it; the case is at ${responsibleUnitId}`);
    }
  }

  /**
   * Reading a case whose responsible unit is `responsibleUnitId`: the admin, an analyst, a leader whose subtree
   * holds it, or a client with cases:write covering it; else 403.
   */
  async authoriseRead(principal: Principal, responsibleUnitId: string): Promise<CaseReadAccess> {
    switch (principal.kind) {
      case 'admin':
        return { contact: true };
      case 'reader':
        if (principal.role === 'analyst') return { contact: false };
        if (principal.unitId !== null && (await this.covers(principal.unitId, responsibleUnitId))) return { contact: false };
        break;
      case 'client':
        if (principal.scopes.includes(STEP_SCOPE) && (await this.covers(principal.unitId, responsibleUnitId))) return { contact: true };
        break;
      case 'terminal':
        break;
    }
    throw new Forbidden(`this token may not read a case at unit ${responsibleUnitId}`);
  }
}
