// The port through which libraries learn where a unit sits in the tree, without importing the organisation
// context that knows it (apps/organisation's OrganisationDirectoryModule provides it).

/** Looks units up by id. Registrations never change, so an answer may be kept. */
export interface UnitDirectory {
  /** The unit's path from the root down to the unit itself, or null when no such unit is registered. */
  unitPath(id: string): Promise<string[] | null>;
}
export const UNIT_DIRECTORY = Symbol('UnitDirectory');
