// What every case kind shares (pure): the declared steps, the decider, the status every figure counts, the view.
export * from './case-kind.js';
export * from './case.decider.js';
export * from './case-view.js';
export * from './step-request.js';
