// The life of a credential after its issue, folded from the credential's own stream: a terminal's key can be
// replaced, any credential revoked, and a revocation is final. Decides what a key request or a revoke records,
// and whether a token's hash admits its holder now.
import { Conflict, NotFound, type ClientRegisteredV1, type Decider, type DomainEvent, type ReaderIssuedV1, type TerminalRegisteredV1 } from '@minyi/contracts';
import { sameHash, type CredentialKind } from './credentials.js';

export type Holder =
  | ({ kind: 'terminal' } & Omit<TerminalRegisteredV1, 'keyHash'>)
  | ({ kind: 'reader' } & Omit<ReaderIssuedV1, 'tokenHash'>)
  | ({ kind: 'client' } & Omit<ClientRegisteredV1, 'tokenHash'>);

export type CredentialState =
  | { status: 'unknown' }
  /** `secretHash`: the hash of the one secret that admits the holder now (the latest key of a terminal). */
  | { status: 'active'; holder: Holder; secretHash: string }
  | { status: 'revoked'; holder: Holder };

export const initialCredential: CredentialState = { status: 'unknown' };

/** The events of a credential's stream, as the store gives them back. */
export interface CredentialEvent {
  type: string;
  data: unknown;
}

export function evolveCredential(state: CredentialState, event: CredentialEvent): CredentialState {
  switch (event.type) {
    case 'TerminalRegistered': {
      if (state.status !== 'unknown') return state;
      const { keyHash, ...rest } = event.data as TerminalRegisteredV1;
      return { status: 'active', holder: { kind: 'terminal', ...rest }, secretHash: keyHash };
    }
    case 'ReaderIssued': {
      if (state.status !== 'unknown') return state;
      const { tokenHash, ...rest } = event.data as ReaderIssuedV1;
      return { status: 'active', holder: { kind: 'reader', ...rest }, secretHash: tokenHash };
    }
    case 'ClientRegistered': {
      if (state.status !== 'unknown') return state;
      const { tokenHash, ...rest } = event.data as ClientRegisteredV1;
      return { status: 'active', holder: { kind: 'client', ...rest }, secretHash: tokenHash };
    }
    case 'TerminalKeyIssued':
      return state.status === 'active' ? { ...state, secretHash: (event.data as { keyHash: string }).keyHash } : state;
    case 'TerminalRevoked':
    case 'ReaderRevoked':
    case 'ClientRevoked':
      return state.status === 'active' ? { status: 'revoked', holder: state.holder } : state;
    default:
      return state;
  }
}

export function foldCredential(events: readonly CredentialEvent[]): CredentialState {
  return events.reduce(evolveCredential, initialCredential);
}

/** Whether a token whose hash is `tokenHash` admits the credential's holder now. */
export function admits(state: CredentialState, tokenHash: string): boolean {
  return state.status === 'active' && sameHash(state.secretHash, tokenHash);
}

export type CredentialCommand =
  /** A new key for a terminal (its hash: the key itself is never recorded). */
  | { type: 'IssueTerminalKey'; terminalId: string; keyHash: string }
  | { type: 'RevokeCredential'; kind: CredentialKind; holderId: string };

export type CredentialDecision =
  | { outcome: 'recorded'; event: { type: string; data: Record<string, unknown> } }
  /** Already so (a revoke again): nothing to record. */
  | { outcome: 'duplicate' };

const REVOKED: Record<CredentialKind, { type: string; idField: string }> = {
  terminal: { type: 'TerminalRevoked', idField: 'terminalId' },
  reader: { type: 'ReaderRevoked', idField: 'readerId' },
  client: { type: 'ClientRevoked', idField: 'clientId' },
};

export function decideCredential(command: CredentialCommand, state: CredentialState): CredentialDecision {
  switch (command.type) {
    case 'IssueTerminalKey':
      if (state.status === 'unknown' || state.holder.kind !== 'terminal') throw new NotFound(`terminal ${command.terminalId} does not exist`);
      // A revoked terminal stays revoked: a new key would bring it back without anybody saying so.
      if (state.status === 'revoked') throw new Conflict(`terminal ${command.terminalId} is revoked; register a new terminal instead`);
      return { outcome: 'recorded', event: { type: 'TerminalKeyIssued', data: { terminalId: command.terminalId, keyHash: command.keyHash } } };
    case 'RevokeCredential': {
      if (state.status === 'unknown' || state.holder.kind !== command.kind) throw new NotFound(`${command.kind} ${command.holderId} does not exist`);
      if (state.status === 'revoked') return { outcome: 'duplicate' };
      const r = REVOKED[command.kind];
      return { outcome: 'recorded', event: { type: r.type, data: { [r.idField]: command.holderId } } };
    }
  }
}

/**
 * The credential as a decider value (the command kit's shape): a change is recorded in the holder's unit; a
 * change already so (a revoke again) decides nothing.
 */
export const credentialDecider: Decider<CredentialCommand, CredentialState, DomainEvent<string, unknown>> = {
  initialState: () => initialCredential,
  evolve: (state, event) => evolveCredential(state, event),
  decide(command, state) {
    const d = decideCredential(command, state);
    // decideCredential refuses an unknown credential, so a recorded change has its holder.
    return d.outcome === 'duplicate' ? [] : [{ ...d.event, unitId: (state as { holder: Holder }).holder.unitId }];
  },
};
