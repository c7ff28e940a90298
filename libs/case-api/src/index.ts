// The Nest glue every case kind shares, written once: calendars for deadlines, who may file, step and read, the
// filing, step and read handlers, and the routes of a kind made from its definition.
export * from './working-calendars.js';
export * from './case-access.js';
export * from './case-kind-api.js';
export * from './case-filing.js';
export * from './case-steps.js';
export * from './case-reader.js';
export * from './case-controller.js';
export * from './providers.js';
