import { normalisePhone } from './phone-number';

describe('normalisePhone', () => {
  it.each([
    ['+86 138-0013-8000', '13800138000'],
    ['13800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['(138) 0013.8000', '13800138000'],
    ['0086 13800138000', '13800138000'],
    ['8613800138000', '13800138000'],
    ['+8613800138000', '13800138000'],
    ['１３８００１３８０００', '13800138000'],
    ['＋８６ １３８ ００１３ ８０００', '13800138000'],
    ['  13800138000  ', '13800138000'],
  ])('when a mobile number is spelt %j, then it is %j', (raw, canonical) => {
    expect(normalisePhone(raw)).toBe(canonical);
  });

  it.each([
    ['(0755) 8888-8888', '075588888888'],
    ['+86 755 8888 8888', '075588888888'],
    ['0086-755-88888888', '075588888888'],
    ['0755-8888 8888转123', '075588888888123'],
    ['12345', '12345'],
  ])('when a landline or service number is spelt %j, then it is %j (the trunk 0 of a +86 number restored)', (raw, canonical) => {
    expect(normalisePhone(raw)).toBe(canonical);
  });

  it('when the number has another country code, then the code is kept and differs from the bare number', () => {
    expect(normalisePhone('+852 9123 4567')).toBe('+85291234567');
    expect(normalisePhone('00852 9123 4567')).toBe('+85291234567');
    expect(normalisePhone('9123 4567')).toBe('91234567');
  });

  it('when a domestic number merely starts with 86, then it is not taken for +86', () => {
    expect(normalisePhone('86123456')).toBe('86123456');
    expect(normalisePhone('8612345678')).toBe('8612345678');
  });

  it.each(['', '   ', '无', 'none', '---'])('when %j holds no digit, then it is no phone number (null)', (raw) => {
    expect(normalisePhone(raw)).toBeNull();
  });
});
