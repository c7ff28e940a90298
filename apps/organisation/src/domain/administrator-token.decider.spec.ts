// The administrator token's record in given/when/then: recorded at the first boot and whenever it changes.
import { DeciderSpecification } from '@minyi/testing';
import { administratorTokenDecider, type AdministratorTokenEvent } from './administrator-token.decider.js';

const spec = DeciderSpecification.for(administratorTokenDecider);
const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const set = (tokenHash: string): AdministratorTokenEvent => ({ type: 'AdministratorTokenSet', data: { tokenHash, source: 'environment' } });

it('given no token recorded, when minyi boots with one, then its hash is recorded', () => {
  spec.given([]).when({ type: 'SetAdministratorToken', tokenHash: A, source: 'generated' }).then([{ type: 'AdministratorTokenSet', data: { tokenHash: A, source: 'generated' } }]);
});

it('given the token recorded, when minyi boots with it again, then nothing is recorded', () => {
  spec.given([set(B), set(A)]).when({ type: 'SetAdministratorToken', tokenHash: A, source: 'environment' }).thenNothingHappened();
});

it('given another token recorded last, when minyi boots with a new one (or an older one again), then it is recorded', () => {
  spec.given([set(A)]).when({ type: 'SetAdministratorToken', tokenHash: B, source: 'environment' }).then([{ type: 'AdministratorTokenSet', data: { tokenHash: B, source: 'environment' } }]);
  spec.given([set(A), set(B)]).when({ type: 'SetAdministratorToken', tokenHash: A, source: 'environment' }).then((events) => expect(events).toHaveLength(1));
});
