// The follow-up reactor (差评整改): follows the log and runs what it causes — a bad rating from a terminal opens its
// follow-up within seconds, a follow-up verified invalid voids its rating, a rating voided by the administrator
// voids its follow-up. Each command goes through the command kit under an id derived from its cause, so a crash,
// a redelivery or a second reactor finds it done and appends nothing (ARCHITECTURE.md invariant 10).
import { FollowUpVerified, RatingSubmitted, RatingVoided } from '@minyi/contracts';
import { WorkingCalendars } from '@minyi/case-api';
import { caseDecider } from '@minyi/cases';
import { EventStore, handleCommand, handleCommands, type RecordedEvent } from '@minyi/event-store';
import { Reactor, type ProjectionDeps, type ReactorDefinition } from '@minyi/messaging';
import type { MinyiConfig } from '@minyi/platform';
import { followUpKind } from '../domain/followup.kind.js';
import { followUpReactionTo, voidFollowUpDecider, type FollowUpReaction } from '../domain/followup.reactions.js';
import { voidRating } from '../void-rating/void-rating.handler.js';

/** API.md "Running": MINYI_FOLLOWUP_DUE_DAYS's default. */
export const DEFAULT_FOLLOWUP_DUE_DAYS = 5;
/** The consumer's checkpoint row. */
export const FOLLOWUP_REACTOR = 'reactor:followups';
const HANDLES = [RatingSubmitted.type, FollowUpVerified.type, RatingVoided.type];

const followUps = caseDecider(followUpKind);
/**
 * Clients may be stepping on the same follow-up meanwhile: a reaction outlasting the kit's usual attempts would be
 * retried a few times by the consumer and then set aside as a dead letter, losing its effect for a mere race.
 */
const CONTENDED = { attempts: 50 };

export class FollowUpReactions {
  constructor(
    private readonly store: EventStore,
    private readonly calendars: WorkingCalendars,
    /** MINYI_FOLLOWUP_DUE_DAYS. */
    private readonly dueInWorkingDays: number,
  ) {}

  async react(event: RecordedEvent): Promise<void> {
    const reaction = followUpReactionTo(event, this.dueInWorkingDays);
    if (reaction) await this.run(reaction, event);
  }

  /**
   * The follow-ups a window's bad ratings open, all at once: the calendar read once for their deadlines, their
   * streams read in one query and the filings appended together (handleCommands). Answers the events it did not
   * take (every other reaction, which runs one by one).
   */
  async openAll(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    const left: RecordedEvent[] = [];
    const opens: { cause: RecordedEvent; reaction: Extract<FollowUpReaction, { type: 'OpenFollowUp' }> }[] = [];
    for (const e of events) {
      const reaction = followUpReactionTo(e, this.dueInWorkingDays);
      if (reaction?.type === 'OpenFollowUp') opens.push({ cause: e, reaction });
      else if (reaction) left.push(e);
    }
    if (opens.length === 0) return left;
    const deadlines = await this.calendars.deadlinesAfter(opens.map((o) => ({ at: o.reaction.command.occurredAt, workingDays: o.reaction.dueInWorkingDays })));
    const now = Date.now();
    await handleCommands(
      this.store,
      followUps,
      opens.map(({ cause, reaction: { command } }, i) => {
        const at = new Date(Math.max(now, command.occurredAt.getTime()));
        const context = { actor: cause.metadata.actor, correlationId: cause.metadata.correlationId, causationId: cause.eventId, now: at, requestHash: command.requestHash };
        return { streamId: followUpKind.streamId(command.caseId), command: { ...command, now: at, dueAt: deadlines[i].dueAt }, context };
      }),
      CONTENDED,
    );
    return left;
  }

  private async run(reaction: FollowUpReaction, cause: RecordedEvent): Promise<void> {
    // The effect is the cause's: its actor and correlation, and the cause itself as the causation.
    const context = { actor: cause.metadata.actor, correlationId: cause.metadata.correlationId, causationId: cause.eventId };
    const now = new Date();
    switch (reaction.type) {
      case 'OpenFollowUp':
        // One bad rating is a window of one (the reactor usually hands a window's firsts to openAll at once).
        await this.openAll([cause]);
        return;
      case 'VoidRating':
        await voidRating(this.store, reaction.ratingId, reaction.reason, context);
        return;
      case 'VoidFollowUp':
        await handleCommand(this.store, followUpKind.streamId(reaction.ratingId), voidFollowUpDecider, { ...reaction.command, now }, { ...context, now, requestHash: reaction.command.requestHash }, CONTENDED);
        return;
    }
  }
}

/** The reactor as the ratings manifest declares it; the process hosting reactors runs it (reactorConsumer). */
export const followUpReactor: ReactorDefinition = {
  name: 'followups',
  handles: HANDLES,
  create(deps: ProjectionDeps) {
    const config = deps.config as unknown as MinyiConfig;
    const calendars = new WorkingCalendars(deps.store, { ...config, timeZone: deps.timeZone });
    const reactions = new FollowUpReactions(deps.store, calendars, config.followUpDueDays ?? DEFAULT_FOLLOWUP_DUE_DAYS);
    return new Reactor({
      name: FOLLOWUP_REACTOR,
      handles: HANDLES,
      // Everything a reaction touches belongs to one rating (its stream, its follow-up's): one lane per rating.
      keyOf: (e) => ratingIdOf(e),
      react: (e) => reactions.react(e),
      reactToFirsts: (events) => reactions.openAll(events),
    });
  },
};

function ratingIdOf(e: RecordedEvent): string {
  const d = e.data as { ratingId?: string; caseId?: string };
  return d.ratingId ?? d.caseId ?? e.streamId;
}
