// What a reader may see: analysts and the administrator everything, a leader only their unit's subtree.
import { Injectable } from '@nestjs/common';
import { Forbidden, NotFound } from '@minyi/contracts';
import { OrganisationDirectory } from '@minyi/organisation';
import type { Principal } from '@minyi/platform';

export type ScopeKind = 'unit' | 'window' | 'officer';

@Injectable()
export class ReadScope {
  constructor(private readonly directory: OrganisationDirectory) {}

  /** The unit path (root … unit) the scope belongs to; 404 when it does not exist. */
  async unitPathOf(kind: ScopeKind, id: string): Promise<string[]> {
    let unitId: string | undefined;
    if (kind === 'unit') unitId = id;
    else if (kind === 'window') unitId = (await this.directory.window(id))?.unitId;
    else unitId = (await this.directory.officer(id))?.unitId;
    const unit = unitId ? await this.directory.unit(unitId) : null;
    if (!unit) throw new NotFound(`${kind} ${id} does not exist`);
    return unit.path;
  }

  /** Throws 404 when the scope does not exist and 403 when the principal may not read it. */
  async authorise(principal: Principal, kind: ScopeKind, id: string): Promise<void> {
    const path = await this.unitPathOf(kind, id);
    if (principal.kind === 'admin' || (principal.kind === 'reader' && principal.role === 'analyst')) return;
    if (principal.kind === 'reader' && principal.unitId && path.includes(principal.unitId)) return;
    throw new Forbidden(`this token may not read ${kind} ${id}`);
  }
}
