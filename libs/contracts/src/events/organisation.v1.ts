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

const hash = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;

// Credentials after their issue: a terminal's new key, and revocations. Each lies in its credential's own
// stream (`terminal-<id>`, `reader-<id>`, `client-<id>`), after the registration it follows.

export interface TerminalKeyIssuedV1 {
  terminalId: string;
  /** sha256 of the new API key, hex; from this event on, only this key admits the terminal. */
  keyHash: string;
}
export const TerminalKeyIssued: EventDefinition<TerminalKeyIssuedV1> = {
  type: 'TerminalKeyIssued',
  version: 1,
  context: 'organisation',
  schema: { type: 'object', additionalProperties: false, required: ['terminalId', 'keyHash'], properties: { terminalId: id, keyHash: hash } },
};

export interface TerminalRevokedV1 {
  terminalId: string;
}
export const TerminalRevoked: EventDefinition<TerminalRevokedV1> = {
  type: 'TerminalRevoked',
  version: 1,
  context: 'organisation',
  schema: { type: 'object', additionalProperties: false, required: ['terminalId'], properties: { terminalId: id } },
};

export interface ReaderRevokedV1 {
  readerId: string;
}
export const ReaderRevoked: EventDefinition<ReaderRevokedV1> = {
  type: 'ReaderRevoked',
  version: 1,
  context: 'organisation',
  schema: { type: 'object', additionalProperties: false, required: ['readerId'], properties: { readerId: id } },
};

/** What a client may do (the same four as `CLIENT_SCOPES` of the platform's principals). */
export const CLIENT_SCOPE_NAMES = ['complaints:write', 'visits:write', 'surveys:write', 'cases:write'] as const;

export interface ClientRegisteredV1 {
  clientId: string;
  name: string;
  /** At least one, each once, in the order of CLIENT_SCOPE_NAMES. */
  scopes: (typeof CLIENT_SCOPE_NAMES)[number][];
  /** The unit whose subtree the client may act for, or null for every unit. */
  unitId: string | null;
  /** sha256 of the client's token, hex. */
  tokenHash: string;
}
export const ClientRegistered: EventDefinition<ClientRegisteredV1> = {
  type: 'ClientRegistered',
  version: 1,
  context: 'organisation',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['clientId', 'name', 'scopes', 'unitId', 'tokenHash'],
    properties: {
      clientId: id,
      name,
      scopes: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...CLIENT_SCOPE_NAMES] } },
      unitId: { anyOf: [id, { type: 'null' }] },
      tokenHash: hash,
    },
  },
};

export interface ClientRevokedV1 {
  clientId: string;
}
export const ClientRevoked: EventDefinition<ClientRevokedV1> = {
  type: 'ClientRevoked',
  version: 1,
  context: 'organisation',
  schema: { type: 'object', additionalProperties: false, required: ['clientId'], properties: { clientId: id } },
};
