// The projector's registry: every read model it keeps, each one definition (handled types, version, tables). A
// definition listed here is consumed live (one consumer each, in either transport), rebuilt by `npm run rebuild --
// <name>` and checked against its live self by the registry's rebuild test; its folder holds the rest.
import type { ProjectionDefinition } from '@minyi/messaging';
import { casesProjection } from './cases/cases.projection.js';
import { satisfactionProjection } from './satisfaction/satisfaction.projection.js';
import { visitsProjection } from './visits/visits.projection.js';

export const PROJECTIONS: readonly ProjectionDefinition[] = [
  satisfactionProjection,
  casesProjection,
  visitsProjection,
];
