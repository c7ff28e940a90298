// Takes in ratings (one, a terminal's batch, or an import): judges each item on its own as new, appends
// the accepted ones through the grouped commit, and judges again, against what is there, those whose id was
// taken (a retry, an offline batch sent twice, or a different rating under the same id) and those refused as
// new that a stored rating could explain (a retry after the 90-day edge). One item never fails the others.
import { hash as oneShotHash } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Conflict, DomainError, InvalidInput, Refused, streamIds, type RatingSource } from '@minyi/contracts';
import { EventStore, InvalidAppend, isDatabaseUnavailable, StreamVersionConflict, type AppendRequest, type AppendResult, type RecordedEvent } from '@minyi/event-store';
import { Metrics, problemOf, type Problem, type RequestSchema } from '@minyi/platform';
import { OrganisationDirectory } from '@minyi/organisation';
import { decideSubmit, evolveRating, initialRatingState, isOfficerOfRelatedUnit, type RatingState, type SubmitRating } from '../domain/rating.decider.js';
import type { RatingBody } from './rating.schema.js';

/** The intake's clock (epoch milliseconds); tests inject one to stand exactly at the 5-minute and 90-day edges. */
export const RATING_CLOCK = Symbol('RATING_CLOCK');
export type RatingClock = () => number;

export interface Submitter {
  terminalId: string;
  windowId: string;
  unitId: string;
}

export interface IntakeItem {
  /** The item as the client sent it; validated here. */
  body: unknown;
  /** The terminal it came from, or an error when it cannot be known (an import naming an unknown terminal). */
  terminal: Submitter | DomainError;
}

export type ItemResult =
  | { id: string | null; status: 'accepted' | 'duplicate' }
  /** `error` is a DomainError, or (for an item the store failed on unexpectedly) the error itself: problem 500. */
  | { id: string | null; status: 'rejected'; problem: Problem; error: unknown };

interface Valid {
  index: number;
  body: RatingBody;
  terminal: Submitter;
  hash: string;
}

/** What the decider needs from the organisation: the window's service types, and whether the officer may be named. */
interface Facts {
  serviceTypes: string[];
  officerRelated: boolean | null;
}

function idOf(body: unknown): string | null {
  const id = (body as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}

function foldRating(events: RecordedEvent[] | undefined): RatingState {
  return (events ?? []).reduce<RatingState>(
    (s, e) => evolveRating(s, { type: e.type, data: e.data, occurredAt: e.occurredAt, requestHash: e.metadata.requestHash }),
    initialRatingState,
  );
}

/** SQLSTATE class 22: the database refused a value (e.g. text jsonb cannot hold) — the item's fault, not the server's. */
function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('22');
}

@Injectable()
export class RatingIntake {
  private readonly logger = new Logger('rating-intake');
  private readonly clock: RatingClock;

  constructor(
    private readonly store: EventStore,
    private readonly directory: OrganisationDirectory,
    private readonly metrics: Metrics,
    @Optional() @Inject(RATING_CLOCK) clock?: RatingClock,
  ) {
    this.clock = clock ?? Date.now;
  }

  async take(items: IntakeItem[], schema: RequestSchema<RatingBody>, source: RatingSource, actor: string, correlationId: string): Promise<ItemResult[]> {
    const now = new Date(this.clock());
    const results: (ItemResult | undefined)[] = new Array(items.length);
    const valid: Valid[] = [];
    items.forEach((item, index) => {
      const errors = schema.errorsOf(item.body);
      if (errors) return void (results[index] = this.rejected(idOf(item.body), new InvalidInput('the rating is invalid', errors)));
      if (item.terminal instanceof DomainError) return void (results[index] = this.rejected(idOf(item.body), item.terminal));
      const body = item.body as RatingBody & { terminalId?: string };
      // The terminal is part of the content: the same id from another terminal is another rating.
      const { terminalId: _ignored, ...rating } = body;
      const hash = requestHashOf(rating, item.terminal.terminalId);
      valid.push({ index, body: rating, terminal: item.terminal, hash });
    });

    // A rating is almost always new: it is appended as such, and only a clash reads its stream. (Reading a
    // batch's streams first would cost every new batch a query to spare a re-sent one its clashes.)
    const pending = new Map<string, { hash: string; index: number }>();
    const appends: { index: number; request: AppendRequest; item: Valid }[] = [];
    /** Refused as new: a stored rating under the same id may explain it (it was accepted before an edge passed). */
    const refused: { item: Valid; error: Refused }[] = [];
    for (const v of valid) {
      try {
        const earlier = pending.get(v.body.id);
        if (earlier) {
          // The same id twice in one request: the first one decides, as if the second were a retry.
          if (earlier.hash !== v.hash) throw new Conflict(`rating ${v.body.id} appears twice in this request with different content`, [{ path: 'id', message: 'repeated with different content' }]);
          results[v.index] = { id: v.body.id, status: 'duplicate' };
          continue;
        }
        const facts = this.knownFacts(v) ?? (await this.facts(v));
        const decision = this.decideWith(v, initialRatingState, source, now, facts);
        if (decision.outcome === 'duplicate') {
          results[v.index] = { id: v.body.id, status: 'duplicate' };
          continue;
        }
        pending.set(v.body.id, { hash: v.hash, index: v.index });
        appends.push({
          index: v.index,
          item: v,
          request: {
            streamId: streamIds.rating(v.body.id),
            expectedVersion: 0,
            events: [
              {
                type: decision.event.type,
                version: 1,
                data: decision.event.data,
                occurredAt: decision.event.occurredAt,
                unitId: v.terminal.unitId,
                metadata: { actor, correlationId, causationId: null, requestHash: v.hash },
              },
            ],
          },
        });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        if (err instanceof Refused) refused.push({ item: v, error: err });
        else results[v.index] = this.rejected(v.body.id, err);
      }
    }

    const settled = await this.appendEach(appends.map((a) => a.request));
    const clashed: (typeof appends)[number][] = [];
    for (let i = 0; i < appends.length; i++) {
      const { index, item } = appends[i];
      const s = settled[i];
      if (s.status === 'fulfilled') results[index] = { id: item.body.id, status: 'accepted' };
      else if (s.reason instanceof StreamVersionConflict) clashed.push(appends[i]);
      else if (isDatabaseUnavailable(s.reason)) throw s.reason;
      else results[index] = this.rejected(item.body.id, this.itemErrorOf(s.reason, item.body.id));
    }
    if (clashed.length || refused.length) {
      // One query for every stream to judge against: ids taken by someone else (a retry, or racing its
      // original), and refusals a stored rating may explain.
      const stored = await this.store.readStreams([...clashed.map((c) => c.request.streamId), ...refused.map((r) => streamIds.rating(r.item.body.id))]);
      for (const c of clashed) results[c.index] = await this.rejudge(c.item, foldRating(stored.get(c.request.streamId)), source, now);
      for (const r of refused) {
        const state = foldRating(stored.get(streamIds.rating(r.item.body.id)));
        results[r.item.index] = state.status === 'none' ? this.rejected(r.item.body.id, r.error) : await this.rejudge(r.item, state, source, now);
      }
    }
    const final = results as ItemResult[];
    for (const r of final) this.metrics.intake.inc({ channel: 'ratings', outcome: r.status });
    return final;
  }

  /**
   * Appends each request, settled one by one. An append the store refuses before queuing (InvalidAppend: none of
   * the call was queued) settles as refused, and the others are appended again without it.
   */
  private async appendEach(requests: AppendRequest[]): Promise<PromiseSettledResult<AppendResult>[]> {
    const out: PromiseSettledResult<AppendResult>[] = new Array(requests.length);
    let left = requests.map((_, i) => i);
    for (;;) {
      try {
        const settled = await Promise.allSettled(this.store.appendMany(left.map((i) => requests[i])));
        settled.forEach((s, k) => (out[left[k]] = s));
        return out;
      } catch (err) {
        if (!(err instanceof InvalidAppend)) throw err;
        out[left[err.requestIndex]] = { status: 'rejected', reason: err };
        left = left.filter((_, k) => k !== err.requestIndex);
      }
    }
  }

  /** What a failed append (neither a clash nor an outage) says about its item. */
  private itemErrorOf(err: unknown, id: string): unknown {
    if (err instanceof DomainError) return err;
    if (isDataError(err)) return new InvalidInput(`rating ${id} holds a value that cannot be recorded`, [{ path: '', message: 'holds a value the event store cannot record' }]);
    this.logger.error(`rating ${id} could not be appended: ${(err as Error)?.stack ?? String(err)}`);
    return err;
  }

  /** The organisation's facts for an item, looked up (and then cached by the directory). */
  private async facts(v: Valid): Promise<Facts> {
    const window = await this.directory.window(v.terminal.windowId);
    const officerId = v.body.officerId;
    if (officerId === undefined) return { serviceTypes: window?.serviceTypes ?? [], officerRelated: null };
    const officer = await this.directory.officer(officerId);
    const [windowUnit, officerUnit] = officer ? await Promise.all([this.directory.unit(v.terminal.unitId), this.directory.unit(officer.unitId)]) : [null, null];
    return {
      serviceTypes: window?.serviceTypes ?? [],
      officerRelated: !!windowUnit && !!officerUnit && isOfficerOfRelatedUnit(windowUnit.path, officerUnit.path),
    };
  }

  /**
   * The facts without a promise when the window, officer and units are already known here — nearly always:
   * a batch of 100 then judges its items without 100 awaits. Undefined when a lookup is needed.
   */
  private knownFacts(v: Valid): Facts | undefined {
    const window = this.directory.knownWindow(v.terminal.windowId);
    if (window === undefined) return undefined;
    const officerId = v.body.officerId;
    if (officerId === undefined) return { serviceTypes: window.serviceTypes, officerRelated: null };
    const officer = this.directory.knownOfficer(officerId);
    if (officer === undefined) return undefined;
    const windowUnit = this.directory.knownUnit(v.terminal.unitId);
    const officerUnit = this.directory.knownUnit(officer.unitId);
    if (windowUnit === undefined || officerUnit === undefined) return undefined;
    return { serviceTypes: window.serviceTypes, officerRelated: isOfficerOfRelatedUnit(windowUnit.path, officerUnit.path) };
  }

  private decideWith(v: Valid, state: RatingState, source: RatingSource, now: Date, facts: Facts) {
    const b = v.body;
    // Built field by field: one object shape for every rating (a spread of the body takes the body's shape).
    const cmd: SubmitRating = {
      ratingId: b.id,
      score: b.score,
      occurredAt: b.occurredAt,
      officerId: b.officerId,
      serviceType: b.serviceType,
      reasons: b.reasons,
      comment: b.comment,
      requestHash: v.hash,
      source,
    };
    return decideSubmit(cmd, state, { terminal: v.terminal, windowServiceTypes: facts.serviceTypes, officerRelated: facts.officerRelated, now });
  }

  /** Judges an item against the rating stored under its id: the same content is a duplicate, another a clash. */
  private async rejudge(v: Valid, state: RatingState, source: RatingSource, now: Date): Promise<ItemResult> {
    try {
      const d = this.decideWith(v, state, source, now, this.knownFacts(v) ?? (await this.facts(v)));
      if (d.outcome === 'duplicate') return { id: v.body.id, status: 'duplicate' };
      throw new Conflict(`rating ${v.body.id} was written concurrently; retry`);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return this.rejected(v.body.id, err);
    }
  }

  private rejected(id: string | null, error: unknown): ItemResult {
    return { id, status: 'rejected', problem: problemOf(error), error };
  }
}

/**
 * The hash a retry is compared on: contentHash of `normalised`, written out for this one shape (the generic
 * canonical form sorts keys and recurses for every request; the same string results, see its test).
 */
export function requestHashOf(r: RatingBody, terminalId: string): string {
  const n = normalised(r, terminalId);
  const j = JSON.stringify;
  // One-shot hash: no Hash object per rating (about half the time of createHash().update().digest()).
  return oneShotHash(
    'sha256',
    `{"comment":${j(n.comment)},"id":${j(n.id)},"occurredAt":${j(n.occurredAt)},"officerId":${j(n.officerId)},` +
      `"reasons":[${n.reasons.map((x) => j(x)).join(',')}],"score":${j(n.score)},"serviceType":${j(n.serviceType)},"terminalId":${j(n.terminalId)}}`,
    'hex',
  );
}

/**
 * The content a retry is compared on: the same instant written with another offset, or `reasons: []`
 * against no reasons, is the same rating.
 */
export function normalised(r: RatingBody, terminalId: string) {
  const at = Date.parse(r.occurredAt);
  return {
    id: r.id,
    terminalId,
    score: r.score,
    occurredAt: Number.isFinite(at) ? new Date(at).toISOString() : r.occurredAt,
    officerId: r.officerId ?? null,
    serviceType: r.serviceType ?? null,
    reasons: r.reasons ?? [],
    comment: r.comment ?? null,
  };
}
