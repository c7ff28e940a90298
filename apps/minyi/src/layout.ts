// The distributed mode's processes: which parts each one runs, in start order (intake first, so that the
// write side is up before the parts that follow its log). One place for the CLI, the tests and the bench.
import type { Part } from './minyi.module.js';

export const DISTRIBUTED_LAYOUT = {
  intake: ['organisation', 'ratings'],
  relay: ['relay'],
  projector: ['projector'],
  analytics: ['analytics'],
} as const satisfies Record<string, readonly Part[]>;

export type DistributedProcess = keyof typeof DISTRIBUTED_LAYOUT;

/** The parts of one process of the distributed mode, as a fresh array. */
export const partsOf = (process: DistributedProcess): Part[] => [...DISTRIBUTED_LAYOUT[process]];
