// What minyi is made of: the contexts' manifests, composed once — the process parts and where each runs, the
// migrations in the order they apply, the projector's projections and reactors, every channel's satisfaction
// sources. Everything that names a part, a migration or a read model reads it from here.
import type { Type } from '@nestjs/common';
import { analyticsManifest } from '@minyi/analytics';
import { complaintsManifest } from '@minyi/complaints';
import { eventStoreMigrations, orderMigrations, type Migration } from '@minyi/event-store';
import { messagingMigrations, type Composition, type ContextManifest, type PartDefinition, type ProjectionDefinition, type ReactorDefinition } from '@minyi/messaging';
import { organisationManifest } from '@minyi/organisation';
import { personalDataManifest } from '@minyi/personal-data';
import { projectorManifest } from '@minyi/projector';
import { ratingsManifest } from '@minyi/ratings';
import { relayManifest } from '@minyi/relay';
import { surveysManifest } from '@minyi/surveys';
import { visitsManifest } from '@minyi/visits';
import type { SatisfactionSource } from '@minyi/contracts';

/** The contexts, in the order their own (prefixed) migrations apply. */
export const MANIFESTS: readonly ContextManifest[] = [
  organisationManifest,
  ratingsManifest,
  personalDataManifest,
  complaintsManifest,
  visitsManifest,
  surveysManifest,
  projectorManifest,
  analyticsManifest,
  relayManifest,
];

/** The processes of the distributed mode, in start order (the write side first: the rest follow its log). */
export const PROCESSES = ['intake', 'relay', 'projector', 'analytics'] as const;
export type DistributedProcess = (typeof PROCESSES)[number];

export interface ComposedPart {
  name: string;
  /** The context that contributes it. */
  context: string;
  module: Type<unknown>;
  process: DistributedProcess;
  kafka: boolean;
  allInOne: boolean;
}

/** A part's name (`node main.js <part>…`). */
export type Part = string;

function composeParts(manifests: readonly ContextManifest[]): Readonly<Record<Part, ComposedPart>> {
  const parts: Record<string, ComposedPart> = {};
  for (const m of manifests) {
    for (const [name, p] of Object.entries(m.parts)) {
      if (parts[name]) throw new Error(`part "${name}" is contributed by both ${parts[name].context} and ${m.name}`);
      const d: PartDefinition = typeof p === 'function' ? { module: p } : p;
      parts[name] = { name, context: m.name, module: d.module, process: d.process ?? 'intake', kafka: d.kafka ?? false, allInOne: d.allInOne ?? true };
    }
  }
  return parts;
}

/** The base libraries' migrations (the log, the transport), then every context's. */
function composeMigrations(manifests: readonly ContextManifest[]): Migration[] {
  for (const m of manifests) {
    for (const g of m.migrations) {
      if (!/^\d{4}-/.test(g.id) && !g.id.startsWith(`${m.name}-`)) throw new Error(`migration ${g.id} of ${m.name} must be prefixed "${m.name}-"`);
    }
  }
  return orderMigrations([...eventStoreMigrations, ...messagingMigrations, ...manifests.flatMap((m) => m.migrations)]);
}

function unique<T extends { name: string }>(kind: string, items: T[]): T[] {
  const names = new Set<string>();
  for (const i of items) {
    if (names.has(i.name)) throw new Error(`two ${kind} are named ${i.name}`);
    names.add(i.name);
  }
  return items;
}

export const PARTS = composeParts(MANIFESTS);
/** The embedded all-in-one: every part but those that exist only to feed Kafka (the relay). */
export const ALL_PARTS: Part[] = Object.values(PARTS).filter((p) => p.allInOne).map((p) => p.name);
/** The parts that talk to Kafka when it is configured; a process without them never connects to it. */
export const KAFKA_PARTS: Part[] = Object.values(PARTS).filter((p) => p.kafka).map((p) => p.name);
/** Applied in this order: the globally numbered ones by number, then each context's in manifest order. */
export const ALL_MIGRATIONS: Migration[] = composeMigrations(MANIFESTS);
export const PROJECTIONS: readonly ProjectionDefinition[] = unique('projections', MANIFESTS.flatMap((m) => m.projections ?? []));
export const REACTORS: readonly ReactorDefinition[] = unique('reactors', MANIFESTS.flatMap((m) => m.reactors ?? []));
export const SATISFACTION_SOURCES: readonly SatisfactionSource[] = MANIFESTS.flatMap((m) => m.satisfactionSources ?? []);
export const COMPOSED: Composition = { projections: PROJECTIONS, reactors: REACTORS, satisfactionSources: SATISFACTION_SOURCES };
