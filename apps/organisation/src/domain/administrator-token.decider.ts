// The administrator token's record: the hash of the token in force, recorded again only when it changes (a new
// MINYI_ADMIN_TOKEN, or a generated one), so that every boot with the same token records nothing.
import { AdministratorTokenSet, type AdministratorTokenSetV1, type Decider, type DomainEvent } from '@minyi/contracts';

export interface SetAdministratorToken {
  type: 'SetAdministratorToken';
  tokenHash: string;
  source: AdministratorTokenSetV1['source'];
}

/** The hash last recorded, or null before the first boot. */
export interface AdministratorTokenState {
  tokenHash: string | null;
}

export type AdministratorTokenEvent = DomainEvent<typeof AdministratorTokenSet.type, AdministratorTokenSetV1>;

export const administratorTokenDecider: Decider<SetAdministratorToken, AdministratorTokenState, AdministratorTokenEvent> = {
  initialState: () => ({ tokenHash: null }),
  evolve: (state, event) => (event.type === AdministratorTokenSet.type ? { tokenHash: event.data.tokenHash } : state),
  decide(command, state) {
    if (state.tokenHash === command.tokenHash) return [];
    return [{ type: AdministratorTokenSet.type, data: { tokenHash: command.tokenHash, source: command.source }, unitId: null }];
  },
};
