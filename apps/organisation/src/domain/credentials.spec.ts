import { hashCredential, issueCredential, parseCredential, sameHash } from './credentials.js';

const EXPECTED = '21444bbe09c01ef783863222ff41a68fc570be7afa67b129d80395d241b74a46';

describe('credentials', () => {
  it('when a terminal key is issued, then it parses back to its terminal id', () => {
    const key = issueCredential('terminal', 'win-01.t:2_a');
    expect(parseCredential(key)).toEqual({ kind: 'terminal', holderId: 'win-01.t:2_a' });
  });

  it('when a reader token is issued, then it parses as a reader', () => {
    expect(parseCredential(issueCredential('reader', 'r1'))?.kind).toBe('reader');
  });

  it('when a token is not of minyi shape, then it does not parse', () => {
    expect(parseCredential('hello')).toBeNull();
    expect(parseCredential('mk_zz_abcdefghijklmnopqrstuvwxyz')).toBeNull();
    expect(parseCredential('mk_616_abcdefghijklmnop')).toBeNull();
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
