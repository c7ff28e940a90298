// Organisation events, version 1: the unit tree, windows, officers and the credentials issued to them.
import { ID_PATTERN } from '../ids.js';
import type { EventDefinition } from '../event-definition.js';

const id = { type: 'string', pattern: ID_PATTERN } as const;
const name = { type: 'string', minLength: 1, maxLength: 200 } as const;

export interface UnitRegisteredV1 {
  unitId: string;
  name: string;
  parentId: string | null;
  kind: string;
}
export const UnitRegistered: EventDefinition<UnitRegisteredV1> = {
  type: 'UnitRegistered',
  version: 1,
  context: 'organisation',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['unitId', 'name', 'parentId', 'kind'],
    properties: { unitId: id, name, parentId: { anyOf: [id, { type: 'null' }] }, kind: { type: 'string', minLength: 1, maxLength: 64 } },
  },
};

export interface WindowRegisteredV1 {
  windowId: string;
  unitId: string;
  name: string;
  serviceTypes: string[];
}
export const WindowRegistered: EventDefinition<WindowRegisteredV1> = {
  type: 'WindowRegistered',
  version: 1,
  context: 'organisation',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['windowId', 'unitId', 'name', 'serviceTypes'],
    properties: { windowId: id, unitId: id, name, serviceTypes: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 64 } } },
  },
};

export interface OfficerRegisteredV1 {
  officerId: string;
  unitId: string;
  name: string;
}
export const OfficerRegistered: EventDefinition<OfficerRegisteredV1> = {
  type: 'OfficerRegistered',
  version: 1,
  context: 'organisation',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['officerId', 'unitId', 'name'],
    properties: { officerId: id, unitId: id, name },
  },
};

export interface TerminalRegisteredV1 {
  terminalId: string;
  windowId: string;
  unitId: string;
  /** sha256 of the API key, hex; the key itself is never stored. */
  keyHash: string;
}
export const TerminalRegistered: EventDefinition<TerminalRegisteredV1> = {
  type: 'TerminalRegistered',
  version: 1,
  context: 'organisation',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['terminalId', 'windowId', 'unitId', 'keyHash'],
    properties: { terminalId: id, windowId: id, unitId: id, keyHash: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
  },
};

export interface ReaderIssuedV1 {
  readerId: string;
  role: 'analyst' | 'leader';
  unitId: string | null;
  tokenHash: string;
}
export const ReaderIssued: EventDefinition<ReaderIssuedV1> = {
  type: 'ReaderIssued',
  version: 1,
  context: 'organisation',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['readerId', 'role', 'unitId', 'tokenHash'],
    properties: {
      readerId: id,
      role: { enum: ['analyst', 'leader'] },
      unitId: { anyOf: [id, { type: 'null' }] },
      tokenHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    },
  },
};

export interface AdministratorTokenSetV1 {
  tokenHash: string;
  source: 'environment' | 'generated';
}
export const AdministratorTokenSet: EventDefinition<AdministratorTokenSetV1> = {
  type: 'AdministratorTokenSet',
  version: 1,
  context: 'organisation',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tokenHash', 'source'],
    properties: { tokenHash: { type: 'string', pattern: '^[0-9a-f]{64}$' }, source: { enum: ['environment', 'generated'] } },
  },
};
