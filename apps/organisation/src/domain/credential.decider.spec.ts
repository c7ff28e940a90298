import { Conflict, NotFound } from '@minyi/contracts';
import { DeciderSpecification } from '@minyi/testing';
import { admits, credentialDecider, decideCredential, foldCredential, type CredentialCommand, type CredentialEvent } from './credential.decider.js';

const h = (c: string) => c.repeat(64);
const terminalRegistered: CredentialEvent = { type: 'TerminalRegistered', data: { terminalId: 't1', windowId: 'w1', unitId: 'u1', keyHash: h('a') } };
const readerIssued: CredentialEvent = { type: 'ReaderIssued', data: { readerId: 'r1', role: 'leader', unitId: 'u1', tokenHash: h('b') } };
const clientRegistered: CredentialEvent = {
  type: 'ClientRegistered',
  data: { clientId: 'c1', name: '12345 热线', scopes: ['complaints:write'], unitId: null, tokenHash: h('c') },
};
const keyIssued = (c: string): CredentialEvent => ({ type: 'TerminalKeyIssued', data: { terminalId: 't1', keyHash: h(c) } });

/** given events, when a command: the decision (or the error it throws). */
const given = (events: CredentialEvent[]) => ({
  when: (command: CredentialCommand) => () => decideCredential(command, foldCredential(events)),
});
const revoke = (kind: 'terminal' | 'reader' | 'client', holderId: string): CredentialCommand => ({ type: 'RevokeCredential', kind, holderId });
const newKey = (c: string): CredentialCommand => ({ type: 'IssueTerminalKey', terminalId: 't1', keyHash: h(c) });

describe('credential decider', () => {
  describe('a terminal’s new key', () => {
    it('when a registered terminal asks for a new key, then TerminalKeyIssued is recorded with the new hash', () => {
      expect(given([terminalRegistered]).when(newKey('d'))()).toEqual({
        outcome: 'recorded',
        event: { type: 'TerminalKeyIssued', data: { terminalId: 't1', keyHash: h('d') } },
      });
    });

    it('when a key was replaced, then only the latest key admits the terminal', () => {
      const state = foldCredential([terminalRegistered, keyIssued('d'), keyIssued('e')]);
      expect(admits(state, h('a'))).toBe(false);
      expect(admits(state, h('d'))).toBe(false);
      expect(admits(state, h('e'))).toBe(true);
      expect(state).toEqual(expect.objectContaining({ status: 'active', holder: { kind: 'terminal', terminalId: 't1', windowId: 'w1', unitId: 'u1' } }));
    });

    it('when the terminal was revoked, then a new key is a conflict (409): a revoked terminal stays revoked', () => {
      expect(given([terminalRegistered, { type: 'TerminalRevoked', data: { terminalId: 't1' } }]).when(newKey('d'))).toThrow(Conflict);
    });

    it('when the terminal does not exist, then a new key is not found', () => {
      expect(given([]).when(newKey('d'))).toThrow(NotFound);
    });
  });

  describe('revocation', () => {
    it.each([
      ['terminal', terminalRegistered, 't1', { type: 'TerminalRevoked', data: { terminalId: 't1' } }],
      ['reader', readerIssued, 'r1', { type: 'ReaderRevoked', data: { readerId: 'r1' } }],
      ['client', clientRegistered, 'c1', { type: 'ClientRevoked', data: { clientId: 'c1' } }],
    ] as const)('when an active %s is revoked, then its revocation is recorded and its secret admits it no more', (kind, issued, id, revoked) => {
      expect(given([issued]).when(revoke(kind, id))()).toEqual({ outcome: 'recorded', event: revoked });
      const { keyHash, tokenHash } = issued.data as { keyHash?: string; tokenHash?: string };
      const secretHash = (keyHash ?? tokenHash) as string;
      expect(admits(foldCredential([issued]), secretHash)).toBe(true);
      const after = foldCredential([issued, revoked]);
      expect(after.status).toBe('revoked');
      expect(admits(after, secretHash)).toBe(false);
    });

    it('when a revoked credential is revoked again, then it is a duplicate and nothing is recorded', () => {
      expect(given([readerIssued, { type: 'ReaderRevoked', data: { readerId: 'r1' } }]).when(revoke('reader', 'r1'))()).toEqual({ outcome: 'duplicate' });
    });

    it('when the credential does not exist, then revoking it is not found', () => {
      expect(given([]).when(revoke('client', 'c1'))).toThrow(NotFound);
    });

    it('when a terminal was revoked, then a key issued before it no longer matters and a later registration changes nothing', () => {
      const state = foldCredential([terminalRegistered, keyIssued('d'), { type: 'TerminalRevoked', data: { terminalId: 't1' } }, terminalRegistered]);
      expect(state.status).toBe('revoked');
      expect(admits(state, h('d'))).toBe(false);
      expect(admits(state, h('a'))).toBe(false);
    });
  });

  describe('the first issue', () => {
    it('when a credential is issued twice in its stream, then the first issue stays', () => {
      const state = foldCredential([readerIssued, { type: 'ReaderIssued', data: { ...(readerIssued.data as object), tokenHash: h('f') } }]);
      expect(admits(state, h('b'))).toBe(true);
      expect(admits(state, h('f'))).toBe(false);
    });

    it('when a client is registered, then its token admits it and the holder carries its scopes and unit', () => {
      const state = foldCredential([clientRegistered]);
      expect(admits(state, h('c'))).toBe(true);
      expect(state).toEqual(expect.objectContaining({ holder: { kind: 'client', clientId: 'c1', name: '12345 热线', scopes: ['complaints:write'], unitId: null } }));
    });
  });
});

describe('credential decider as a value (given / when / then, as the command kit runs it)', () => {
  const spec = DeciderSpecification.for(credentialDecider);

  it('given a terminal, when a new key is asked for, then TerminalKeyIssued in the terminal’s unit', () => {
    spec.given([terminalRegistered]).when(newKey('d')).then([{ type: 'TerminalKeyIssued', data: { terminalId: 't1', keyHash: h('d') }, unitId: 'u1' }]);
  });

  it('given a client without a unit, when it is revoked, then ClientRevoked with no unit; again, nothing happens', () => {
    spec.given([clientRegistered]).when(revoke('client', 'c1')).then([{ type: 'ClientRevoked', data: { clientId: 'c1' }, unitId: null }]);
    spec.given([clientRegistered, { type: 'ClientRevoked', data: { clientId: 'c1' } }]).when(revoke('client', 'c1')).thenNothingHappened();
  });

  it('given nothing, when a reader is revoked, then 404; given a revoked terminal, when a new key is asked for, then 409', () => {
    spec.given([]).when(revoke('reader', 'r1')).thenThrows(NotFound, /reader r1 does not exist/);
    spec.given([terminalRegistered, { type: 'TerminalRevoked', data: { terminalId: 't1' } }]).when(newKey('d')).thenThrows(Conflict, /is revoked/);
  });
});
