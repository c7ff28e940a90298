// Resolves a bearer token to the administrator, a terminal, a reader or a client, and refuses a revoked or
// replaced credential in every process within seconds while the hot path (a terminal posting ratings thousands
// of times a second) never waits on the database.
//
// - A token that cannot have been issued (wrong shape, a holder id that is no client-made id, too long) is
//   refused without a lookup.
// - A credential's state (its holder, the hash of the one secret that admits it now, whether it is revoked) is
//   folded from its own stream and kept per stream, so every token naming a known holder — the right secret,
//   an old key, a guessed one — is answered from memory.
// - Every `verifyEveryMs` the process asks, in one query, which streams of the credentials in use moved on
//   since the versions it holds, and folds again only those. An entry is trusted for `trustForMs` after the
//   query that last confirmed it was sent; past that (the database slow or away) a request reads the stream
//   itself, concurrent requests sharing one read. So a revocation or a new key committed at t is honoured by
//   every answer given after t + trustForMs (4 s: within API.md's 5), usually after about one second, and in
//   the process that recorded it at once (`forget`).
// - A holder nobody registered costs one read, then is remembered as unknown for `missTtlMs` (a bounded number
//   of them), so repeating a forged token costs nothing.
import { Inject, Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { RecordedEvent } from '@minyi/event-store';
import type { CredentialResolver, Principal } from '@minyi/platform';
import { admits, foldCredential, type CredentialState, type Holder } from '../domain/credential.decider.js';
import { credentialStreamOf, hashCredential, parseCredential, sameHash } from '../domain/credentials.js';
import { AdministratorToken } from './administrator-token.js';
import { CredentialStreams } from './credential-streams.js';

export interface CredentialCacheOptions {
  /** How often the credentials in use are checked against their streams. */
  verifyEveryMs: number;
  /** How long after the read that confirmed it an entry is believed; the bound on how late a revocation bites. */
  trustForMs: number;
  /** How long a holder nobody registered is remembered as unknown. */
  missTtlMs: number;
  /** At most this many unknown holders are remembered (the oldest go first). */
  maxMisses: number;
  /** An entry unused for this long is no longer checked, and dropped. */
  idleMs: number;
}
export const CREDENTIAL_CACHE_OPTIONS = Symbol('CredentialCacheOptions');
export const DEFAULT_CREDENTIAL_CACHE: CredentialCacheOptions = { verifyEveryMs: 1000, trustForMs: 4000, missTtlMs: 2000, maxMisses: 10_000, idleMs: 60_000 };

/** Longer than any token minyi issues or MINYI_ADMIN_TOKEN sensibly is: refused before it is hashed. */
const MAX_TOKEN_LENGTH = 512;

const NOBODY: Promise<Principal | null> = Promise.resolve(null);
const ADMIN: Promise<Principal | null> = Promise.resolve({ kind: 'admin' });

interface Entry {
  readonly streamId: string;
  readonly state: CredentialState;
  /** The answer for the secret that admits the holder, made once (no allocation per request). */
  readonly admitted: Promise<Principal | null>;
  /** The stream's version this entry was folded at. */
  readonly version: number;
  /** When the read that last confirmed this entry was sent (performance.now()). */
  confirmedAt: number;
  usedAt: number;
}

function principalOf(h: Holder): Principal {
  switch (h.kind) {
    case 'terminal':
      return { kind: 'terminal', terminalId: h.terminalId, windowId: h.windowId, unitId: h.unitId };
    case 'reader':
      return { kind: 'reader', readerId: h.readerId, role: h.role, unitId: h.unitId };
    case 'client':
      return { kind: 'client', clientId: h.clientId, scopes: [...h.scopes], unitId: h.unitId };
  }
}

@Injectable()
export class OrganisationCredentials implements CredentialResolver, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('credentials');
  private readonly options: CredentialCacheOptions;
  /** Stream id → the credential as last read, for holders that exist. */
  private readonly known = new Map<string, Entry>();
  /** Stream id → until when it is known to hold nothing (insertion order is expiry order). */
  private readonly misses = new Map<string, number>();
  /**
   * Token hash → the entry it was admitted by: one per secret that admitted its holder (so no bigger than the
   * credentials issued); an entry that was replaced, forgotten or no longer admits the hash is not used.
   */
  private readonly admittedBy = new Map<string, Entry>();
  /** Reads in flight, shared by the requests that wait on them. */
  private readonly loading = new Map<string, Promise<Entry | null>>();
  private timer: NodeJS.Timeout | null = null;
  private verifying: Promise<void> | null = null;

  constructor(
    private readonly admin: AdministratorToken,
    private readonly streams: CredentialStreams,
    @Optional() @Inject(CREDENTIAL_CACHE_OPTIONS) options?: Partial<CredentialCacheOptions>,
  ) {
    this.options = { ...DEFAULT_CREDENTIAL_CACHE, ...options };
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.verify(), this.options.verifyEveryMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.verifying;
  }

  resolve(token: string): Promise<Principal | null> {
    if (token.length > MAX_TOKEN_LENGTH) return NOBODY;
    const hash = hashCredential(token);
    const now = performance.now();
    // The hot path: a token that admitted its holder before, whose entry still says so (a hash lookup and a
    // string comparison of digests; the comparison need not be constant-time, nobody can choose a digest).
    const admittedBy = this.admittedBy.get(hash);
    if (admittedBy !== undefined) {
      const e = this.known.get(admittedBy.streamId);
      if (e === admittedBy && e.state.status === 'active' && e.state.secretHash === hash && now - e.confirmedAt < this.options.trustForMs) {
        e.usedAt = now;
        return e.admitted;
      }
      this.admittedBy.delete(hash);
    }
    if (sameHash(this.admin.hash, hash)) return ADMIN;
    const parsed = parseCredential(token);
    if (!parsed) return NOBODY;
    const streamId = credentialStreamOf(parsed.kind, parsed.holderId);
    const entry = this.known.get(streamId);
    if (entry && now - entry.confirmedAt < this.options.trustForMs) {
      entry.usedAt = now;
      return this.answer(entry, hash) ?? NOBODY;
    }
    const unknownUntil = this.misses.get(streamId);
    if (unknownUntil !== undefined && unknownUntil > now) return NOBODY;
    return this.load(streamId).then((e) => (e && this.answer(e, hash)) ?? null);
  }

  /** The entry's principal if the token admits it (remembered for the hot path), else null. */
  private answer(entry: Entry, hash: string): Promise<Principal | null> | null {
    if (!admits(entry.state, hash)) return null;
    this.admittedBy.set(hash, entry);
    return entry.admitted;
  }

  /**
   * Drops what this process holds about a credential, so that its next request reads the stream: called by
   * the process that has just registered, re-keyed or revoked it (a read already in flight is not kept).
   */
  forget(streamId: string): void {
    this.known.delete(streamId);
    this.misses.delete(streamId);
    this.loading.delete(streamId);
  }

  /** Checks the credentials in use against their streams (each `verifyEveryMs`; callable by tests). */
  verify(): Promise<void> {
    this.verifying ??= this.verifyOnce().finally(() => (this.verifying = null));
    return this.verifying;
  }

  private async verifyOnce(): Promise<void> {
    const now = performance.now();
    for (const [id, until] of this.misses) {
      if (until > now) break;
      this.misses.delete(id);
    }
    const checked: Entry[] = [];
    for (const e of this.known.values()) {
      if (now - e.usedAt > this.options.idleMs) this.known.delete(e.streamId);
      // A revocation is final: nothing can make a revoked entry wrong (it is trusted for as long as it is kept).
      else if (e.state.status !== 'revoked') checked.push(e);
    }
    for (const [hash, e] of this.admittedBy) if (this.known.get(e.streamId) !== e) this.admittedBy.delete(hash);
    if (checked.length === 0) return;
    const sentAt = performance.now();
    try {
      const changed = new Set(await this.streams.changedSince(checked.map((e) => ({ streamId: e.streamId, version: e.version }))));
      const reread = changed.size > 0 ? await this.streams.readMany([...changed]) : new Map<string, RecordedEvent[]>();
      for (const e of checked) {
        // Forgotten, or replaced by a request's own read, meanwhile: that one is newer.
        if (this.known.get(e.streamId) !== e) continue;
        const events = reread.get(e.streamId);
        if (events) this.known.set(e.streamId, this.entryOf(e.streamId, events, sentAt, e.usedAt));
        else if (!changed.has(e.streamId)) e.confirmedAt = sentAt;
      }
    } catch (err) {
      // The entries age; past trustForMs each request reads its stream itself (and fails as the database does).
      this.logger.warn(`could not check the credentials in use: ${(err as Error).message}`);
    }
  }

  private load(streamId: string): Promise<Entry | null> {
    const inFlight = this.loading.get(streamId);
    if (inFlight) return inFlight;
    const sentAt = performance.now();
    const read: Promise<Entry | null> = this.streams.read(streamId).then(
      (events) => {
        const entry = events.length > 0 ? this.entryOf(streamId, events, sentAt, sentAt) : null;
        if (this.loading.get(streamId) === read) {
          this.loading.delete(streamId);
          if (entry) this.known.set(streamId, entry);
          else this.rememberMiss(streamId, sentAt);
        }
        return entry;
      },
      (err: unknown) => {
        if (this.loading.get(streamId) === read) this.loading.delete(streamId);
        throw err;
      },
    );
    this.loading.set(streamId, read);
    return read;
  }

  private entryOf(streamId: string, events: RecordedEvent[], confirmedAt: number, usedAt: number): Entry {
    const state = foldCredential(events);
    if (state.status === 'revoked') return { streamId, state, admitted: NOBODY, version: events.length, confirmedAt: Infinity, usedAt };
    const admitted = Promise.resolve(state.status === 'active' ? principalOf(state.holder) : null);
    return { streamId, state, admitted, version: events.length, confirmedAt, usedAt };
  }

  private rememberMiss(streamId: string, at: number): void {
    if (this.misses.size >= this.options.maxMisses) {
      const oldest = this.misses.keys().next();
      if (!oldest.done) this.misses.delete(oldest.value);
    }
    // Deleted first so that the map's order stays the order of expiry.
    this.misses.delete(streamId);
    this.misses.set(streamId, at + this.options.missTtlMs);
  }
}
