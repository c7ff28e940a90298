// The channels minyi hears, and where a channel's five-level answers are in its events (satisfaction sources).

/** Every channel of /v1/satisfaction and /v1/rankings (`all` adds them up, each answer once). */
export const CHANNELS = ['ratings', 'surveys', 'complaints', 'visits'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_FILTERS = [...CHANNELS, 'all'] as const;
export type ChannelFilter = (typeof CHANNEL_FILTERS)[number];

/**
 * Declares that events of one type carry a five-level answer (API.md "What each channel counts"). Paths are
 * dotted paths into the event's data. The live fold and the SQL rebuild both read these declarations, so a
 * channel adds a source, never a branch in either.
 */
export interface SatisfactionSource {
  eventType: string;
  channel: Channel;
  /** +1 counts the answer; -1 takes back one counted before (a void carries what it un-counts). */
  sign: 1 | -1;
  /** The score 1–5; with `many`, a list of them. */
  score: string;
  /**
   * The score path names a list: each item is one answer, with the same unit, window, officer and instant (a survey
   * response answers several satisfaction questions). An empty list carries no answer.
   */
  many?: boolean;
  /** The unit it counts at (and every unit above). */
  unitId: string;
  /** Only ratings have window and officer scopes. */
  windowId?: string;
  officerId?: string;
  /** An ISO instant in the data that cuts the period; absent: the event's occurredAt. */
  at?: string;
}
