// Request validation: every string a schema describes is checked for NUL characters and lone surrogates,
// whatever the field, at any depth, keys included — once, here, not per field.
import { InvalidInput } from '@minyi/contracts';
import { RequestSchema } from './request-schema.js';

const schema = new RequestSchema<Record<string, unknown>>({
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9]{1,8}$' },
    comment: { type: 'string', maxLength: 20 },
    reasons: { type: 'array', items: { type: 'string' } },
    nullable: { anyOf: [{ type: 'string' }, { type: 'null' }] },
    nested: { type: 'object', properties: { deep: { type: 'array', items: { type: 'object', properties: { text: { type: 'string' } } } } } },
    answers: { type: 'object', additionalProperties: { type: 'string' } },
    open: { type: 'array', description: 'items judged one by one later' },
  },
});

const pathsOf = (value: unknown) => (schema.errorsOf(value) ?? []).map((e) => e.path);

describe('RequestSchema: text no field may hold', () => {
  it('when every string is well-formed text, then the value is valid', () => {
    expect(schema.errorsOf({ id: 'a1', comment: '民警 👍\n', reasons: ['态度'], nullable: null, nested: { deep: [{ text: '\ufffd' }] }, answers: { q1: 'x' } })).toBeNull();
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a NUL in a field', { id: 'a1', comment: 'a\u0000b' }, 'comment'],
    ['a lone high surrogate in a field', { id: 'a1', comment: 'a\ud83d' }, 'comment'],
    ['a lone low surrogate in a field', { id: 'a1', comment: '\ude00a' }, 'comment'],
    ['a reversed surrogate pair', { id: 'a1', comment: '\ude00\ud83d' }, 'comment'],
    ['a NUL in an array item', { id: 'a1', reasons: ['ok', 'ok', 'a\u0000'] }, 'reasons.2'],
    ['a lone surrogate in a nullable field', { id: 'a1', nullable: '\ud800' }, 'nullable'],
    ['a NUL deep inside', { id: 'a1', nested: { deep: [{ text: 'x' }, { text: '\u0000' }] } }, 'nested.deep.1.text'],
    ['a NUL in a free-form value', { id: 'a1', answers: { q1: 'x\u0000' } }, 'answers.q1'],
    ['a lone surrogate in a free-form key', { id: 'a1', answers: { 'q\ud83d': 'x' } }, 'answers.q\ud83d'],
  ])('when the value holds %s, then the error names its path', (_what, value, path) => {
    expect(pathsOf(value)).toEqual([path]);
    expect(() => schema.parse(value)).toThrow(InvalidInput);
  });

  it('when a field is both too long and holds a NUL, then it is named once; other bad fields are named too', () => {
    const errors = schema.errorsOf({ id: 'A', comment: `${'x'.repeat(30)}\u0000`, reasons: ['\ud83d'] }) ?? [];
    expect(errors.map((e) => e.path)).toEqual(['id', 'comment', 'reasons.0']);
  });

  it('when a NUL sits in an unknown field’s name, then that field is named', () => {
    expect(pathsOf({ id: 'a1', 'x\u0000': 1 })).toEqual(['x\u0000']);
  });

  it('when a NUL sits in a part the schema leaves open (a batch’s items), then it is left to whoever judges that part', () => {
    expect(schema.errorsOf({ id: 'a1', open: [{ comment: 'a\u0000' }, 'b\u0000'] })).toBeNull();
  });

  it('when the message names the problem, then it says which one', () => {
    expect(schema.errorsOf({ id: 'a1', comment: 'a\u0000' })).toEqual([{ path: 'comment', message: expect.stringMatching(/NUL/) }]);
    expect(schema.errorsOf({ id: 'a1', comment: 'a\ud83d' })).toEqual([{ path: 'comment', message: expect.stringMatching(/surrogate/) }]);
  });
});
