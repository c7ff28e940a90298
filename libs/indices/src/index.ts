// Public API of the indices library: satisfaction figures, their confidence, changes, rankings and reporting periods.

export { Z95, wilsonInterval } from './wilson.js';
export { figuresOf, type Figures, type Levels } from './figures.js';
export { changeBetween, type Change } from './change.js';
export {
  rank,
  type InsufficientItem,
  type RankCandidate,
  type RankedItem,
  type Ranking,
  type RankMetric,
} from './ranking.js';
export {
  GRANULARITIES,
  PeriodCutter,
  countPeriodsOverlapping,
  isValidDate,
  isValidTimeZone,
  labelsOfDay,
  parsePeriod,
  periodRange,
  periodsOverlapping,
  previousPeriod,
  yearEarlier,
  type Granularity,
} from './periods.js';
export { calendarYearsFor, deadlineAfter, formatLocalInstant, formatOffset, isWorkingDay, nthWorkingDayAfter, startOfLocalDay, type WorkingCalendar } from './working-days.js';
