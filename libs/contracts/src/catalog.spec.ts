// The catalogue compiles every schema (ajv strict) and knows every case event's kind.
import { eventCatalog } from './catalog.js';

it('when the catalogue loads, then every case event names its kind and role and validates a well-formed payload', () => {
  const cases = eventCatalog.definitions.filter((d) => d.case);
  expect(cases.map((d) => d.type)).toEqual(expect.arrayContaining(['ComplaintFiled', 'ComplaintClosed', 'FollowUpOpened', 'FollowUpVoided']));
  const status = { state: 'filed', responsibleUnitId: 'u1', dueAt: null, accepted: false, handled: false, onTime: false, handling: null, replied: false, calledBack: false, score: null, closed: false, final: false, excluded: false };
  const filed = { caseId: 'c1', filedAt: '2026-12-01T10:00:00.000Z', filedUnitId: 'u1', category: '噪音', status, fields: { channel: 'app', text: '楼下 KTV 太吵', contact: null } };
  expect(eventCatalog.isValid('ComplaintFiled', 1, filed)).toBe(true);
  expect(eventCatalog.isValid('ComplaintFiled', 1, { ...filed, status: { ...status, state: 'open' } })).toBe(false);
  expect(eventCatalog.isValid('ComplaintHandled', 1, { ...filed, stepId: 's1', status: { ...status, state: 'handled' }, fields: { summary: '已处理' } })).toBe(true);
  expect(eventCatalog.isValid('ComplaintHandled', 1, { ...filed, status: { ...status, state: 'handled' }, fields: { summary: '已处理' } })).toBe(false);
});
