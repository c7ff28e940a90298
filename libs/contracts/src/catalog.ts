// The event catalogue: every event type and version minyi records, validated on the way in and out.
import Ajv, { type ValidateFunction } from 'ajv';
import type { EventDefinition, Upcaster } from './event-definition.js';
import { InvalidInput } from './errors.js';
import * as organisation from './events/organisation.v1.js';
import * as ratings from './events/ratings.v1.js';
import * as surveys from './events/surveys.v1.js';
import * as calendar from './events/calendar.v1.js';
import * as complaints from './events/complaints.v1.js';
import * as followups from './events/followups.v1.js';
import * as visits from './events/visits.v1.js';

const definitions: EventDefinition<unknown>[] = [
  organisation.UnitRegistered,
  organisation.WindowRegistered,
  organisation.OfficerRegistered,
  organisation.TerminalRegistered,
  organisation.ReaderIssued,
  organisation.AdministratorTokenSet,
  organisation.TerminalKeyIssued,
  organisation.TerminalRevoked,
  organisation.ReaderRevoked,
  organisation.ClientRegistered,
  organisation.ClientRevoked,
  ratings.RatingSubmitted,
  ratings.RatingVoided,
  calendar.CalendarYearSet,
  surveys.SurveyDefined,
  surveys.SurveyPublished,
  surveys.SurveyClosed,
  surveys.SurveyInvitationsIssued,
  surveys.SurveyInvitationTokensIssued,
  surveys.SurveyTokenUsed,
  surveys.SurveyResponded,
  complaints.ComplaintFiled,
  complaints.ComplaintAccepted,
  complaints.ComplaintEscalated,
  complaints.ComplaintHandled,
  complaints.ComplaintReplied,
  complaints.ComplaintCalledBack,
  complaints.ComplaintReopened,
  complaints.ComplaintClosed,
  followups.FollowUpOpened,
  followups.FollowUpVerified,
  followups.FollowUpRectified,
  followups.FollowUpCalledBack,
  followups.FollowUpVoided,
  visits.VisitRecorded,
  visits.OpinionCollected,
  visits.OpinionAssigned,
  visits.OpinionRectified,
  visits.OpinionExplained,
  visits.OpinionReplied,
  visits.OpinionRated,
  visits.OpinionReopened,
  visits.DisputeFound,
  visits.DisputeResolved,
  visits.HazardFound,
  visits.HazardRectified,
];

const upcasters: Upcaster[] = [];

const ajv = new Ajv({ allErrors: true, strict: true });
const validators = new Map<string, ValidateFunction>();
for (const d of definitions) validators.set(`${d.type}@${d.version}`, ajv.compile(d.schema));

export const eventCatalog = {
  definitions: definitions as readonly EventDefinition<unknown>[],

  latestVersion(type: string): number | undefined {
    let latest: number | undefined;
    for (const d of definitions) if (d.type === type && (latest === undefined || d.version > latest)) latest = d.version;
    return latest;
  },

  contextOf(type: string): string {
    const d = definitions.find((x) => x.type === type);
    if (!d) throw new Error(`unknown event type ${type}`);
    return d.context;
  },

  /** Whether the payload matches the schema of its type and version (a known one). */
  isValid(type: string, version: number, data: unknown): boolean {
    return validators.get(`${type}@${version}`)?.(data) === true;
  },

  /** Throws when the payload does not match the schema of its type and version. */
  validate(type: string, version: number, data: unknown): void {
    const validate = validators.get(`${type}@${version}`);
    if (!validate) throw new InvalidInput(`unknown event ${type} v${version}`);
    if (!validate(data)) {
      throw new InvalidInput(
        `${type} v${version} does not match its schema`,
        (validate.errors ?? []).map((e) => ({ path: e.instancePath.replace(/^\//, '').replace(/\//g, '.'), message: e.message ?? 'invalid' })),
      );
    }
  },

  /** Brings a stored payload up to the latest version of its type. */
  upcast(type: string, version: number, data: unknown): { version: number; data: unknown } {
    let v = version;
    let d = data;
    for (;;) {
      const u = upcasters.find((x) => x.type === type && x.fromVersion === v);
      if (!u) return { version: v, data: d };
      d = u.upcast(d);
      v += 1;
    }
  },
};

export function topicOf(context: string): string {
  return `minyi.${context}.events.v1`;
}
