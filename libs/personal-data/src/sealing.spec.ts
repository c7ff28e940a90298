import { randomBytes } from 'node:crypto';
import { blindIndex, deriveKeys, newKey, openBox, sealBox } from './sealing';

describe('sealing', () => {
  const aad = Buffer.from('minyi/contact/v1/k');

  it('when a box is opened with its key and aad, then the plain bytes come back; each seal has its own nonce', () => {
    const key = newKey();
    const plain = Buffer.from('{"name":"张三 🙂","phone":"13912345678"}');
    const a = sealBox(key, plain, aad);
    const b = sealBox(key, plain, aad);
    expect(a.equals(b)).toBe(false);
    expect(a.length).toBe(12 + 16 + plain.length);
    expect(openBox(key, a, aad)!.equals(plain)).toBe(true);
    expect(a.includes(Buffer.from('13912345678'))).toBe(false);
  });

  it('when the key, the aad or a byte differs, then the box does not open', () => {
    const key = newKey();
    const box = sealBox(key, Buffer.from('secret'), aad);
    expect(openBox(newKey(), box, aad)).toBeNull();
    expect(openBox(key, box, Buffer.from('minyi/contact/v1/other'))).toBeNull();
    for (const at of [0, 12, 28, box.length - 1]) {
      const altered = Buffer.from(box);
      altered[at] ^= 1;
      expect(openBox(key, altered, aad)).toBeNull();
    }
    expect(openBox(key, box.subarray(0, 20), aad)).toBeNull();
  });

  it('when keys are derived from one secret, then each purpose has its own and the fingerprint is stable', () => {
    const secret = randomBytes(32);
    const a = deriveKeys(secret);
    const b = deriveKeys(Buffer.from(secret));
    expect(a.index.equals(b.index)).toBe(true);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(a.index.equals(a.wrap)).toBe(false);
    expect(deriveKeys(randomBytes(32)).fingerprint).not.toBe(a.fingerprint);
  });

  it('when a phone is indexed, then the index is 64 hex characters that depend on the key', () => {
    const k1 = deriveKeys(randomBytes(32)).index;
    const k2 = deriveKeys(randomBytes(32)).index;
    expect(blindIndex(k1, '13912345678')).toMatch(/^[0-9a-f]{64}$/);
    expect(blindIndex(k1, '13912345678')).toBe(blindIndex(k1, '13912345678'));
    expect(blindIndex(k1, '13912345678')).not.toBe(blindIndex(k2, '13912345678'));
    expect(blindIndex(k1, '13912345678')).not.toBe(blindIndex(k1, '13912345679'));
  });
});
