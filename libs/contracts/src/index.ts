// The published contract of minyi's events: names, versions, schemas, upcasters, ids and domain errors.
export * from './errors.js';
export * from './ids.js';
export * from './event-definition.js';
export * from './catalog.js';
export * from './events/organisation.v1.js';
export * from './events/ratings.v1.js';
export * from './events/surveys.v1.js';
export * from './events/cases.v1.js';
export * from './events/complaints.v1.js';
export * from './events/followups.v1.js';
export * from './events/visits.v1.js';
export * from './events/calendar.v1.js';
export * from './canonical-hash.js';
export * from './text.js';
export * from './decider.js';
export * from './channels.js';
export * from './unit-tree.js';
