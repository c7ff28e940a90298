import { Conflict } from '@minyi/contracts';
import { DeciderSpecification } from '@minyi/testing';
import { decideRegistration, evolveRegistration, initialRegistration, registrationDecider, type Register } from './registration.decider.js';

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

describe('registration decider (given / when / then)', () => {
  type Unit = { unitId: string; name: string };
  const spec = DeciderSpecification.for(registrationDecider<Unit>());
  const register = (requestHash: string, name = '青山派出所'): Register<Unit> => ({
    type: 'Register', what: 'unit', id: 'u1', eventType: 'UnitRegistered', requestHash, unitId: 'u1', propose: () => ({ unitId: 'u1', name }),
  });
  const registered = { type: 'UnitRegistered', data: { unitId: 'u1', name: '青山派出所' }, requestHash: 'h1' };

  it('given nothing registered, when a registration comes, then its event records the proposal in its unit', () => {
    spec.given([]).when(register('h1')).then([{ type: 'UnitRegistered', data: { unitId: 'u1', name: '青山派出所' }, unitId: 'u1' }]);
  });

  it('given a registration, when the same content comes again, then nothing happens (a duplicate) and the first data stands', () => {
    const given = spec.given([registered]);
    expect(given.state).toEqual({ registered: true, requestHash: 'h1', data: { unitId: 'u1', name: '青山派出所' } });
    given.when(register('h1', 'another name the proposal would build')).thenNothingHappened();
  });

  it('given a registration, when other content comes under its id, then 409', () => {
    spec.given([registered]).when(register('h2', '另一个')).thenThrows(Conflict, /unit u1 is already registered with different content/);
  });

  it('given a registration, when a second one (lost a race) is in the stream too, then the first still wins', () => {
    spec.given([registered, { type: 'UnitRegistered', data: { unitId: 'u1', name: 'late' }, requestHash: 'h9' }]).when(register('h1')).thenNothingHappened();
  });
});
