import { hashCredential, issueCredential, MAX_CREDENTIAL_LENGTH, parseCredential, sameHash } from './credentials.js';

const EXPECTED = '21444bbe09c01ef783863222ff41a68fc570be7afa67b129d80395d241b74a46';

describe('credentials', () => {
  it('when a terminal key is issued, then it parses back to its terminal id', () => {
    const key = issueCredential('terminal', 'win-01.t:2_a');
    expect(parseCredential(key)).toEqual({ kind: 'terminal', holderId: 'win-01.t:2_a' });
  });

  it('when a reader token is issued, then it parses as a reader', () => {
    expect(parseCredential(issueCredential('reader', 'r1'))?.kind).toBe('reader');
  });

  it('when a client token is issued, then it parses as a client, under a prefix of its own', () => {
    const token = issueCredential('client', 'hotline-app');
    expect(token.startsWith('mc_')).toBe(true);
    expect(parseCredential(token)).toEqual({ kind: 'client', holderId: 'hotline-app' });
  });

  it('when a token is not of minyi shape, then it does not parse', () => {
    expect(parseCredential('hello')).toBeNull();
    expect(parseCredential('mk_zz_abcdefghijklmnopqrstuvwxyz')).toBeNull();
    expect(parseCredential('mk_616_abcdefghijklmnop')).toBeNull();
  });

  const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');
  const secret = 'A'.repeat(32);
  it.each([
    ['the holder id decodes to NUL', 'mk_00_AAAAAAAAAAAAAAAA'],
    ['the holder id holds a NUL among valid characters', `mr_${hex('r\u0000x')}_${secret}`],
    ['the holder id is a lone surrogate, encoded as hex (CESU-style ED A0 BD)', `mk_eda0bd_${secret}`],
    ['the holder id is invalid UTF-8', `mk_ff_${secret}`],
    ['the holder id is not a client-made id (a space)', `mk_${hex('t 1')}_${secret}`],
    ['the holder id is not a client-made id (a slash)', `mc_${hex('c/1')}_${secret}`],
    ['the holder id is 65 characters', `mk_${hex('t'.repeat(65))}_${secret}`],
    ['the hex is odd', `mk_${hex('t1')}a_${secret}`],
    ['the hex is uppercase', `mk_${hex('zz').toUpperCase()}_${secret}`],
    ['the holder part is empty', `mk__${secret}`],
    ['the secret is empty', `mk_${hex('t1')}_`],
    ['the secret is shorter than 16', `mk_${hex('t1')}_${'A'.repeat(15)}`],
    ['the secret is longer than 64', `mk_${hex('t1')}_${'A'.repeat(65)}`],
    ['the secret holds a character outside base64url', `mk_${hex('t1')}_${'A'.repeat(20)}+`],
    ['the prefix is unknown', `mx_${hex('t1')}_${secret}`],
    ['the prefix is uppercase', `MK_${hex('t1')}_${secret}`],
    ['a newline follows it', `mk_${hex('t1')}_${secret}\n`],
    ['it is megabytes long', `mk_${hex('t1')}_${'A'.repeat(2_000_000)}`],
  ])('when %s, then it does not parse', (_name, token) => {
    expect(parseCredential(token)).toBeNull();
  });

  it('when the longest id and secret minyi accepts are used, then the token parses, and it fits MAX_CREDENTIAL_LENGTH', () => {
    const token = issueCredential('terminal', 't'.repeat(64), 'A'.repeat(64));
    expect(token.length).toBe(MAX_CREDENTIAL_LENGTH);
    expect(parseCredential(token)).toEqual({ kind: 'terminal', holderId: 't'.repeat(64) });
  });

  it('when two keys differ, then their hashes differ and compare unequal', () => {
    const a = hashCredential(issueCredential('terminal', 't'));
    const b = hashCredential(issueCredential('terminal', 't'));
    expect(sameHash(a, a)).toBe(true);
    expect(sameHash(a, b)).toBe(false);
  });

  it('when a key is hashed, then it is the SHA-256 of its UTF-8 text in hex (the hashes already stored in the log stay valid)', () => {
    // sha256("mk_74_abcdefghijklmnopqrstuvwx窗口"), computed apart from this code.
    expect(hashCredential('mk_74_abcdefghijklmnopqrstuvwx窗口')).toBe(EXPECTED);
  });
});
