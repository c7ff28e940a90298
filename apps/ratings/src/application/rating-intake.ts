// Takes in ratings (one, a terminal's batch, or an import): judges each item on its own as new, appends
// the accepted ones through the grouped commit, and judges again, against what is there, only those whose
// id was taken (a retry, an offline batch sent twice, or a different rating under the same id).
import { hash as oneShotHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Conflict, DomainError, InvalidInput, streamIds, type OfficerRegisteredV1, type RatingSource, type WindowRegisteredV1 } from '@minyi/contracts';
import { EventStore, StreamVersionConflict, type AppendRequest, type RecordedEvent } from '@minyi/event-store';
import { Metrics, problemOf, type Problem, type RequestSchema } from '@minyi/platform';
import { OrganisationDirectory } from '@minyi/organisation';
import { decideSubmit, evolveRating, initialRatingState, type RatingState, type SubmitRating } from '../domain/rating.decider.js';
import type { RatingBody } from './rating.schema.js';

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
  | { id: string | null; status: 'rejected'; problem: Problem; error: DomainError };

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

@Injectable()
export class RatingIntake {
  constructor(
    private readonly store: EventStore,
    private readonly directory: OrganisationDirectory,
    private readonly metrics: Metrics,
  ) {}

  async take(items: IntakeItem[], schema: RequestSchema<RatingBody>, source: RatingSource, actor: string, correlationId: string): Promise<ItemResult[]> {
    const now = new Date();
    const results: (ItemResult | undefined)[] = new Array(items.length);
    const valid: { index: number; body: RatingBody; terminal: Submitter; hash: string }[] = [];
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
    const appends: { index: number; request: AppendRequest; item: (typeof valid)[number] }[] = [];
    for (const v of valid) {
      try {
        const earlier = pending.get(v.body.id);
        if (earlier) {
          // The same id twice in one request: the first one decides, as if the second were a retry.
          if (earlier.hash !== v.hash) throw new Conflict(`rating ${v.body.id} appears twice in this request with different content`, [{ path: 'id', message: 'repeated with different content' }]);
          results[v.index] = { id: v.body.id, status: 'duplicate' };
          continue;
        }
        const decision = this.decideKnown(v, initialRatingState, source, now) ?? (await this.decide(v, initialRatingState, source, now));
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
        results[v.index] = this.rejected(v.body.id, err);
      }
    }

    const settled = await Promise.allSettled(this.store.appendMany(appends.map((a) => a.request)));
    const clashed: (typeof appends)[number][] = [];
    for (let i = 0; i < appends.length; i++) {
      const { index, item } = appends[i];
      const s = settled[i];
      if (s.status === 'fulfilled') results[index] = { id: item.body.id, status: 'accepted' };
      else if (s.reason instanceof StreamVersionConflict) clashed.push(appends[i]);
      else throw s.reason;
    }
    if (clashed.length) {
      // The id was committed first by someone else (a retry, or racing its original): judge against what won.
      const won = await this.store.readStreams(clashed.map((c) => c.request.streamId));
      for (const c of clashed) results[c.index] = await this.rejudge(c.item, foldRating(won.get(c.request.streamId)), source, now);
    }
    const final = results as ItemResult[];
    for (const r of final) this.metrics.intake.inc({ channel: 'ratings', outcome: r.status });
    return final;
  }

  private async decide(v: { body: RatingBody; terminal: Submitter; hash: string }, state: RatingState, source: RatingSource, now: Date) {
    const window = await this.directory.window(v.terminal.windowId);
    const officer = v.body.officerId === undefined ? null : await this.directory.officer(v.body.officerId);
    return this.decideWith(v, state, source, now, window, officer);
  }

  /**
   * The decision without a promise when the window (and officer) are already known here — nearly always:
   * a batch of 100 then judges its items without 100 awaits. Undefined when a lookup is needed.
   */
  private decideKnown(v: { body: RatingBody; terminal: Submitter; hash: string }, state: RatingState, source: RatingSource, now: Date) {
    const window = this.directory.knownWindow(v.terminal.windowId);
    const officerId = v.body.officerId;
    const officer = officerId === undefined ? null : this.directory.knownOfficer(officerId);
    if (window === undefined || officer === undefined) return undefined;
    return this.decideWith(v, state, source, now, window, officer);
  }

  private decideWith(
    v: { body: RatingBody; terminal: Submitter; hash: string },
    state: RatingState,
    source: RatingSource,
    now: Date,
    window: WindowRegisteredV1 | null,
    officer: OfficerRegisteredV1 | null,
  ) {
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
    return decideSubmit(cmd, state, {
      terminal: v.terminal,
      windowServiceTypes: window?.serviceTypes ?? [],
      officerExists: v.body.officerId === undefined ? null : officer !== null,
      now,
    });
  }

  private async rejudge(v: { body: RatingBody; terminal: Submitter; hash: string }, state: RatingState, source: RatingSource, now: Date): Promise<ItemResult> {
    try {
      const d = await this.decide(v, state, source, now);
      if (d.outcome === 'duplicate') return { id: v.body.id, status: 'duplicate' };
      throw new Conflict(`rating ${v.body.id} was written concurrently; retry`);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return this.rejected(v.body.id, err);
    }
  }

  private rejected(id: string | null, error: DomainError): ItemResult {
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
