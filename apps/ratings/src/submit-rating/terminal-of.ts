// The terminal behind a terminal principal: where its ratings belong.
import { Forbidden } from '@minyi/contracts';
import type { Principal } from '@minyi/platform';
import type { Submitter } from '../application/rating-intake.js';

export function terminalOf(p: Principal): Submitter {
  if (p.kind !== 'terminal') throw new Forbidden('only a terminal key submits ratings');
  return { terminalId: p.terminalId, windowId: p.windowId, unitId: p.unitId };
}
