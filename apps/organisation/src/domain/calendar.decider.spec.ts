// One year of the working-day calendar in given/when/then: set, replaced, the same lists again, and what is refused.
import { InvalidInput } from '@minyi/contracts';
import { DeciderSpecification } from '@minyi/testing';
import { calendarDecider, calendarYearOf, type CalendarEvent, type SetCalendarYear } from './calendar.decider.js';

const spec = DeciderSpecification.for(calendarDecider);
const set = (holidays: string[], workdays: string[] = [], year = 2026): SetCalendarYear => ({ type: 'SetCalendarYear', year, holidays, workdays });
const yearSet = (holidays: string[], workdays: string[] = [], year = 2026): CalendarEvent => ({ type: 'CalendarYearSet', data: { year, holidays, workdays } });

describe('the working-day calendar of a year', () => {
  it('when a year never set is set, then CalendarYearSet records its lists, sorted', () => {
    spec.given([]).when(set(['2026-10-08', '2026-10-01'], ['2026-10-11', '2026-09-28'])).then([yearSet(['2026-10-01', '2026-10-08'], ['2026-09-28', '2026-10-11'])]);
  });

  it('when a date is sent twice in a list, then it is kept once', () => {
    spec.given([]).when(set(['2026-10-01', '2026-10-01', '2026-10-02'])).then([yearSet(['2026-10-01', '2026-10-02'])]);
  });

  it('when the same lists come again (in any order, with repeats), then nothing happens', () => {
    const given = [yearSet(['2026-10-01', '2026-10-02'], ['2026-09-28'])];
    spec.given(given).when(set(['2026-10-02', '2026-10-01', '2026-10-01'], ['2026-09-28'])).thenNothingHappened();
  });

  it('when empty lists come for a year never set, then nothing happens: it already reads as empty', () => {
    spec.given([]).when(set([], [])).thenNothingHappened();
  });

  it('when other lists come, then they replace the old ones whole', () => {
    const given = [yearSet(['2026-10-01'], ['2026-09-28'])];
    spec.given(given).when(set(['2026-05-01'])).then([yearSet(['2026-05-01'], [])]);
    spec.given(given).when(set([], [])).then([yearSet([], [])]);
  });

  it('when a date lies in another year, then 400 names it by list and place', () => {
    spec.given([]).when(set(['2026-10-01', '2027-01-01'])).thenThrows(InvalidInput, /2026/);
    expectErrors(set(['2026-10-01', '2027-01-01'], ['2025-12-31']), [
      { path: 'holidays.1', message: 'is not in 2026' },
      { path: 'workdays.0', message: 'is not in 2026' },
    ]);
  });

  it('when a date does not exist, then 400 names it', () => {
    expectErrors(set(['2026-02-29', '2026-13-01', '2026-1-01']), [
      { path: 'holidays.0', message: expect.stringMatching(/exists/) },
      { path: 'holidays.1', message: expect.stringMatching(/exists/) },
      { path: 'holidays.2', message: expect.stringMatching(/exists/) },
    ]);
    spec.given([]).when(set(['2028-02-29'], [], 2028)).then([yearSet(['2028-02-29'], [], 2028)]);
  });

  it('when a date is in both lists, then 400 names it in workdays', () => {
    expectErrors(set(['2026-10-01', '2026-10-03'], ['2026-09-28', '2026-10-03']), [{ path: 'workdays.1', message: expect.stringMatching(/also in holidays/) }]);
  });

  it('when the year is outside 1900–9999, then 400 names the year', () => {
    for (const year of [1899, 10000, 2026.5]) expectErrors(set([], [], year), [{ path: 'year', message: expect.stringMatching(/1900/) }]);
    spec.given([]).when(set(['1900-01-01'], [], 1900)).then([yearSet(['1900-01-01'], [], 1900)]);
    spec.given([]).when(set(['9999-12-31'], [], 9999)).then([yearSet(['9999-12-31'], [], 9999)]);
  });
});

describe('the year in the path', () => {
  it('when it is four digits from 1900 to 9999, then it is that year; else 400 naming year', () => {
    expect([calendarYearOf('1900'), calendarYearOf('2026'), calendarYearOf('9999')]).toEqual([1900, 2026, 9999]);
    for (const bad of ['1899', '10000', '0999', '02026', '+2026', '2026.0', ' 2026', '2e3', '']) {
      expect(() => calendarYearOf(bad)).toThrow(InvalidInput);
    }
  });
});

function expectErrors(command: SetCalendarYear, errors: unknown[]): void {
  let thrown: unknown;
  try {
    calendarDecider.decide(command, calendarDecider.initialState());
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(InvalidInput);
  expect((thrown as InvalidInput).errors).toEqual(errors);
}
