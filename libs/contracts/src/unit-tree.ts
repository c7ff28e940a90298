// What the unit tree says of an officer named beside a unit (a rating's window, a visit's unit): shared by every
// context that lets a client name an officer (API.md "Limits": the officer's unit is that unit, or above or below it).

/**
 * Whether an officer of the unit at `officerUnitPath` may be named for the unit at `unitPath` (each path from the
 * root down to the unit itself): the officer's unit is that unit, or above or below it.
 */
export function isOfficerOfRelatedUnit(unitPath: readonly string[], officerUnitPath: readonly string[]): boolean {
  const unit = unitPath[unitPath.length - 1];
  const officerUnit = officerUnitPath[officerUnitPath.length - 1];
  if (unit === undefined || officerUnit === undefined) return false;
  return officerUnitPath.includes(unit) || unitPath.includes(officerUnit);
}
