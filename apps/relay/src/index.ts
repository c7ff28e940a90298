// The relay's public face: its module and its manifest (distributed mode only: it feeds Kafka).
import type { ContextManifest } from '@minyi/messaging';
import { RelayModule } from './relay.module.js';

export * from './relay.module.js';

export const relayManifest: ContextManifest = {
  name: 'relay',
  parts: { relay: { module: RelayModule, process: 'relay', kafka: true, allInOne: false } },
  migrations: [],
};
