// The distributed mode's processes: which parts each one runs, in start order (intake first, so that the write
// side is up before the parts that follow its log), from where each manifest places its parts. One place for the
// CLI, the tests, the bench and docker-compose.yml (a test checks its commands against it).
import { PARTS, PROCESSES, type DistributedProcess, type Part } from './composition.js';

export type { DistributedProcess };

export const DISTRIBUTED_LAYOUT: Readonly<Record<DistributedProcess, readonly Part[]>> = Object.fromEntries(
  PROCESSES.map((process) => [process, Object.values(PARTS).filter((p) => p.process === process).map((p) => p.name)]),
) as unknown as Record<DistributedProcess, readonly Part[]>;

/** The parts of one process of the distributed mode, as a fresh array. */
export const partsOf = (process: DistributedProcess): Part[] => [...DISTRIBUTED_LAYOUT[process]];
