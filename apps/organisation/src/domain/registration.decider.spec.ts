import { Conflict } from '@minyi/contracts';
import { decideRegistration, evolveRegistration, initialRegistration } from './registration.decider.js';

describe('registration decider', () => {
  it('when nothing is registered, then the proposal is created', () => {
    const d = decideRegistration(initialRegistration<{ n: number }>(), 'unit', 'u1', 'h1', () => ({ n: 1 }));
    expect(d).toEqual({ outcome: 'created', data: { n: 1 } });
  });

  it('when the same content is sent again, then it is a duplicate carrying the first data', () => {
    const s = evolveRegistration(initialRegistration<{ n: number }>(), { data: { n: 1 }, requestHash: 'h1' });
    const d = decideRegistration(s, 'unit', 'u1', 'h1', () => ({ n: 2 }));
    expect(d).toEqual({ outcome: 'duplicate', data: { n: 1 } });
  });

  it('when other content is sent under the same id, then it is a conflict', () => {
    const s = evolveRegistration(initialRegistration<{ n: number }>(), { data: { n: 1 }, requestHash: 'h1' });
    expect(() => decideRegistration(s, 'unit', 'u1', 'h2', () => ({ n: 2 }))).toThrow(Conflict);
  });

  it('when a later event arrives, then the first registration stays', () => {
    let s = evolveRegistration(initialRegistration<{ n: number }>(), { data: { n: 1 }, requestHash: 'h1' });
    s = evolveRegistration(s, { data: { n: 9 }, requestHash: 'h9' });
    expect(s).toEqual({ registered: true, requestHash: 'h1', data: { n: 1 } });
  });
});
