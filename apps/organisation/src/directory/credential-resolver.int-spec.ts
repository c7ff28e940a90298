// The credential resolver against a real event store: what costs a query and what does not, and how a new key
// or a revocation recorded elsewhere (another process: here, the store written to directly) reaches its answers.
// Every query the resolver makes goes through the application pool, which is watched by a spy (the database
// stays real; the spy also counts the test's own appends, so it is reset after them).
import { streamIds } from '@minyi/contracts';
import type { NewEvent } from '@minyi/event-store';
import { useTestStore, type TestStore } from '@minyi/testing';
import { hashCredential, issueCredential } from '../domain/credentials.js';
import type { AdministratorToken } from './administrator-token.js';
import { OrganisationCredentials, type CredentialCacheOptions } from './credential-resolver.js';
import { CredentialStreams } from './credential-streams.js';

const ADMIN_TOKEN = 'an-administrator-token-for-this-test';
let t: TestStore;
useTestStore((s) => (t = s));

function resolverWith(options: Partial<CredentialCacheOptions> = {}) {
  const admin = { hash: hashCredential(ADMIN_TOKEN) } as AdministratorToken;
  // No timer runs (onModuleInit is not called): the tests call verify() themselves.
  const credentials = new OrganisationCredentials(admin, new CredentialStreams(t.store, t.pools), { missTtlMs: 60_000, ...options });
  const query = jest.spyOn(t.pools.app, 'query');
  // The store's readers' notification after an append is sent up to notifyIntervalMs later, on the same pool: it is
  // the test's write, not the resolver's query (under load it landed after the reset and was counted).
  const isNotify = (args: unknown[]) => /pg_notify/.test(typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: unknown })?.text ?? ''));
  return { credentials, queries: () => query.mock.calls.filter((args) => !isNotify(args)).length, reset: () => query.mockClear() };
}

const meta = { actor: 'admin', correlationId: 'test', causationId: null };
const event = (type: string, data: Record<string, unknown>, unitId: string | null = 'u1'): NewEvent => ({ type, version: 1, data, occurredAt: new Date(), unitId, metadata: meta });

async function registerTerminal(id: string): Promise<string> {
  const key = issueCredential('terminal', id);
  await t.store.append(streamIds.terminal(id), 0, [event('TerminalRegistered', { terminalId: id, windowId: 'w1', unitId: 'u1', keyHash: hashCredential(key) })]);
  return key;
}

const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');
const secret = 'A'.repeat(32);
const CANNOT_HAVE_BEEN_ISSUED: [string, string][] = [
  ['a NUL holder id', 'mk_00_AAAAAAAAAAAAAAAA'],
  ['a NUL reader id', `mr_00_${secret}`],
  ['a NUL client id', `mc_00_${secret}`],
  ['a lone surrogate, encoded as hex', `mk_eda0bd_${secret}`],
  ['invalid UTF-8', `mr_c3_${secret}`],
  ['a 65-character id', `mk_${hex('t'.repeat(65))}_${secret}`],
  ['odd hex', `mk_${hex('t1')}7_${secret}`],
  ['uppercase hex', `mk_${hex('zz').toUpperCase()}_${secret}`],
  ['an empty secret', `mk_${hex('t1')}_`],
  ['a short secret', `mk_${hex('t1')}_abc`],
  ['an unknown prefix', `mq_${hex('t1')}_${secret}`],
  ['no minyi shape at all', 'not-a-token-anybody-issued'],
  ['a megabyte', `mk_${hex('t1')}_${'A'.repeat(1 << 20)}`],
];

describe('credential resolver', () => {
  it('when tokens that cannot have been issued are resolved, then each is nobody and not one query is made', async () => {
    const { credentials, queries } = resolverWith();
    for (const [, token] of CANNOT_HAVE_BEEN_ISSUED) expect(await credentials.resolve(token)).toBeNull();
    expect(queries()).toBe(0);
  });

  it('when the administrator token is resolved, then it is the administrator, without a query', async () => {
    const { credentials, queries } = resolverWith();
    expect(await credentials.resolve(ADMIN_TOKEN)).toEqual({ kind: 'admin' });
    expect(queries()).toBe(0);
  });

  it('when a well-formed token names a holder nobody registered, then it costs one query, and repeating it (or another secret for that holder) costs none', async () => {
    const { credentials, queries } = resolverWith();
    const forged = `mk_${hex('t-ghost')}_${secret}`;
    expect(await credentials.resolve(forged)).toBeNull();
    expect(queries()).toBe(1);
    expect(await credentials.resolve(forged)).toBeNull();
    expect(await credentials.resolve(`mk_${hex('t-ghost')}_${'B'.repeat(32)}`)).toBeNull();
    expect(queries()).toBe(1);
  });

  it('when 50 requests with one unknown token arrive at once, then they share one query', async () => {
    const { credentials, queries } = resolverWith();
    const forged = `mr_${hex('r-ghost')}_${secret}`;
    expect(await Promise.all(Array.from({ length: 50 }, () => credentials.resolve(forged)))).toEqual(Array(50).fill(null));
    expect(queries()).toBe(1);
  });

  it('when a terminal key is resolved again and again, then only the first reads its stream, and a wrong secret for that terminal costs nothing', async () => {
    const key = await registerTerminal('t1');
    const { credentials, queries } = resolverWith();
    const principal = { kind: 'terminal', terminalId: 't1', windowId: 'w1', unitId: 'u1' };
    expect(await Promise.all(Array.from({ length: 20 }, () => credentials.resolve(key)))).toEqual(Array(20).fill(principal));
    for (let i = 0; i < 1000; i++) await credentials.resolve(key);
    expect(await credentials.resolve(`mk_${hex('t1')}_${secret}`)).toBeNull();
    expect(queries()).toBe(1);
  });

  it('when a key is replaced and then the terminal revoked elsewhere, then after one check the old key is nobody, the new one admits, and after the revocation neither', async () => {
    const oldKey = await registerTerminal('t2');
    const { credentials, queries, reset } = resolverWith();
    expect(await credentials.resolve(oldKey)).toEqual(expect.objectContaining({ terminalId: 't2' }));

    const newKey = issueCredential('terminal', 't2');
    await t.store.append(streamIds.terminal('t2'), 1, [event('TerminalKeyIssued', { terminalId: 't2', keyHash: hashCredential(newKey) })]);
    reset();
    await credentials.verify();
    expect(queries()).toBe(2); // which streams moved on (one query for all), then the one that did
    expect(await credentials.resolve(oldKey)).toBeNull();
    expect(await credentials.resolve(newKey)).toEqual(expect.objectContaining({ terminalId: 't2' }));

    await t.store.append(streamIds.terminal('t2'), 2, [event('TerminalRevoked', { terminalId: 't2' })]);
    await credentials.verify();
    expect(await credentials.resolve(newKey)).toBeNull();
    expect(await credentials.resolve(oldKey)).toBeNull();
    reset();
    // Nothing moved: the check is one query; a revoked credential is final and is not checked at all.
    await credentials.verify();
    expect(queries()).toBe(0);
    expect(await credentials.resolve(newKey)).toBeNull();
    expect(queries()).toBe(0);
  });

  it('when the credentials in use have not changed, then a check is one query whatever their number, and reads no stream', async () => {
    const keys = await Promise.all(Array.from({ length: 30 }, (_, i) => registerTerminal(`tn-${i}`)));
    const { credentials, queries, reset } = resolverWith();
    for (const k of keys) expect(await credentials.resolve(k)).not.toBeNull();
    reset();
    await credentials.verify();
    expect(queries()).toBe(1);
  });

  it('when an entry is older than trustForMs, then the next request reads its stream again and sees a revocation at once', async () => {
    const key = await registerTerminal('t3');
    const { credentials, queries, reset } = resolverWith({ trustForMs: 0 });
    expect(await credentials.resolve(key)).not.toBeNull();
    await t.store.append(streamIds.terminal('t3'), 1, [event('TerminalRevoked', { terminalId: 't3' })]);
    reset();
    expect(await credentials.resolve(key)).toBeNull();
    expect(queries()).toBe(1);
  });

  it('when this process forgets a credential it has just changed, then its next request reads the stream again', async () => {
    const key = await registerTerminal('t4');
    const { credentials, queries, reset } = resolverWith();
    expect(await credentials.resolve(key)).not.toBeNull();
    await t.store.append(streamIds.terminal('t4'), 1, [event('TerminalRevoked', { terminalId: 't4' })]);
    reset();
    credentials.forget(streamIds.terminal('t4'));
    expect(await credentials.resolve(key)).toBeNull();
    expect(queries()).toBe(1);
  });

  it('when a holder unknown a moment ago is registered and this process forgets it, then its token admits at once', async () => {
    const { credentials } = resolverWith();
    const token = issueCredential('client', 'c1');
    expect(await credentials.resolve(token)).toBeNull();
    await t.store.append(streamIds.client('c1'), 0, [
      event('ClientRegistered', { clientId: 'c1', name: '热线', scopes: ['complaints:write', 'cases:write'], unitId: null, tokenHash: hashCredential(token) }, null),
    ]);
    credentials.forget(streamIds.client('c1'));
    expect(await credentials.resolve(token)).toEqual({ kind: 'client', clientId: 'c1', scopes: ['complaints:write', 'cases:write'], unitId: null });
  });

  it('when a reader is revoked elsewhere, then after a check its token is nobody', async () => {
    const token = issueCredential('reader', 'r1');
    await t.store.append(streamIds.reader('r1'), 0, [event('ReaderIssued', { readerId: 'r1', role: 'analyst', unitId: null, tokenHash: hashCredential(token) }, null)]);
    const { credentials } = resolverWith();
    expect(await credentials.resolve(token)).toEqual({ kind: 'reader', readerId: 'r1', role: 'analyst', unitId: null });
    await t.store.append(streamIds.reader('r1'), 1, [event('ReaderRevoked', { readerId: 'r1' }, null)]);
    await credentials.verify();
    expect(await credentials.resolve(token)).toBeNull();
  });

  it('when more unknown holders are tried than maxMisses, then only the latest are remembered (memory stays bounded)', async () => {
    const { credentials, queries } = resolverWith({ maxMisses: 3 });
    const forged = (i: number) => `mk_${hex(`ghost-${i}`)}_${secret}`;
    for (let i = 0; i < 5; i++) await credentials.resolve(forged(i));
    expect(queries()).toBe(5);
    await credentials.resolve(forged(4));
    expect(queries()).toBe(5);
    await credentials.resolve(forged(0));
    expect(queries()).toBe(6);
  });
});
