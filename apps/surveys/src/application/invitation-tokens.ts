// Checks an invitation token against the hashes its invitation recorded. An invitation never changes once issued
// (its events are appended in one commit), so each process keeps the hash sets it has read, a few hundred at most.
import { Injectable } from '@nestjs/common';
import { streamIds } from '@minyi/contracts';
import { EventStore, foldStream } from '@minyi/event-store';
import { invitationDecider } from '../domain/invitation.decider.js';
import { hashInvitationToken, invitationOfToken } from './invitation-token.js';

const CACHED_INVITATIONS = 256;

export interface VerifiedToken {
  invitationId: string;
  tokenHash: string;
}

@Injectable()
export class InvitationTokens {
  /** Stream id → the invitation's token hashes (Map order: least recently used first). */
  private readonly hashes = new Map<string, ReadonlySet<string>>();

  constructor(private readonly store: EventStore) {}

  /** The token's invitation and hash when the survey issued it; null when it never did (403). */
  async verify(surveyId: string, token: string): Promise<VerifiedToken | null> {
    const invitationId = invitationOfToken(token);
    if (invitationId === null) return null;
    const set = await this.hashesOf(streamIds.surveyInvitation(surveyId, invitationId));
    const tokenHash = hashInvitationToken(token);
    return set?.has(tokenHash) ? { invitationId, tokenHash } : null;
  }

  private async hashesOf(streamId: string): Promise<ReadonlySet<string> | null> {
    const known = this.hashes.get(streamId);
    if (known) {
      this.hashes.delete(streamId);
      this.hashes.set(streamId, known);
      return known;
    }
    const state = foldStream(invitationDecider, await this.store.readStream(streamId));
    // An invitation not issued (yet) is not remembered: it may be issued a moment later.
    if (!state.issued) return null;
    this.hashes.set(streamId, state.tokenHashes);
    if (this.hashes.size > CACHED_INVITATIONS) this.hashes.delete(this.hashes.keys().next().value!);
    return state.tokenHashes;
  }
}
