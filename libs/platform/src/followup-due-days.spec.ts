// MINYI_FOLLOWUP_DUE_DAYS (API.md "Running"): the working days a bad rating's follow-up has, checked at boot.
import { loadConfig } from './config.js';

describe('MINYI_FOLLOWUP_DUE_DAYS', () => {
  it('when unset or blank, then a follow-up has 5 working days', () => {
    expect(loadConfig({}).followUpDueDays).toBe(5);
    expect(loadConfig({ MINYI_FOLLOWUP_DUE_DAYS: '  ' }).followUpDueDays).toBe(5);
  });

  it('when 1 or 60, then it is taken as given', () => {
    expect(loadConfig({ MINYI_FOLLOWUP_DUE_DAYS: '1' }).followUpDueDays).toBe(1);
    expect(loadConfig({ MINYI_FOLLOWUP_DUE_DAYS: ' 60 ' }).followUpDueDays).toBe(60);
  });

  it.each(['0', '61', '2.5', 'five', '-3'])('when %s, then minyi refuses to start, naming the variable', (value) => {
    expect(() => loadConfig({ MINYI_FOLLOWUP_DUE_DAYS: value })).toThrow(/MINYI_FOLLOWUP_DUE_DAYS must be a whole number of working days from 1 to 60/);
  });
});
