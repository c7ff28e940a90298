// What a read may ask for (API.md "Limits"): checked before any period list is built, at a cost that does not
// grow with the range.

/** More periods than this in one series is refused (10 years of days ≈ 3,650). */
export const MAX_PERIODS = 4000;

/** No date before this is asked about; the period code also needs the year before it (year-over-year). */
export const EARLIEST_DATE = '1900-01-01';
