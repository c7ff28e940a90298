// Client-made ids and the stream ids built from them.

export const ID_PATTERN = '^[A-Za-z0-9._:-]{1,64}$';
const ID = new RegExp(ID_PATTERN);

export function isClientId(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value);
}

export const streamIds = {
  unit: (id: string) => `unit-${id}`,
  window: (id: string) => `window-${id}`,
  officer: (id: string) => `officer-${id}`,
  terminal: (id: string) => `terminal-${id}`,
  reader: (id: string) => `reader-${id}`,
  client: (id: string) => `client-${id}`,
  rating: (id: string) => `rating-${id}`,
  complaint: (id: string) => `complaint-${id}`,
  followup: (id: string) => `followup-${id}`,
  visit: (id: string) => `visit-${id}`,
  opinion: (id: string) => `opinion-${id}`,
  dispute: (id: string) => `dispute-${id}`,
  hazard: (id: string) => `hazard-${id}`,
  calendar: (year: number) => `calendar-${year}`,
  administrator: () => 'administrator',
  // A survey's streams: '/' is in no client-made id, so no survey's id can spell another's invitation or response.
  survey: (id: string) => `survey-${id}`,
  surveyInvitation: (surveyId: string, invitationId: string) => `survey-invitation-${surveyId}/${invitationId}`,
  surveyToken: (surveyId: string, tokenHash: string) => `survey-token-${surveyId}/${tokenHash}`,
  surveyResponse: (surveyId: string, responseId: string) => `survey-response-${surveyId}/${responseId}`,
};
