// The suggestion reactor in given/when/then on real PostgreSQL: each non-blank text answer of a valid response is
// filed as one opinion (source survey, the derived id, the survey's unit, category = question id, text verbatim,
// occurredAt = submittedAt); blank answers and invalid responses file nothing — and each spec also redelivers the
// whole log from its start and finds nothing new (exactly once).
import { streamIds, type SurveyRespondedV1 } from '@minyi/contracts';
import { ReactorSpecification, useTestStore, type LogEntry, type TestStore } from '@minyi/testing';
import { suggestionReactor } from './suggestion.reactor.js';

let t: TestStore;
useTestStore((s) => (t = s));
const spec = ReactorSpecification.for(suggestionReactor, () => t);

const AT = '2026-09-16T09:30:00+08:00';
const VERBATIM = '  建议：增加夜间巡逻 🚓\n第二行\t保留空白  ';

function response(responseId: string, over: Partial<SurveyRespondedV1> = {}): LogEntry {
  const data: SurveyRespondedV1 = {
    surveyId: 'staff-2021',
    responseId,
    unitId: 'cs',
    submittedAt: AT,
    answers: [
      { questionId: 'sat', kind: 'level5', value: 4 },
      { questionId: 'idea', kind: 'text', value: VERBATIM },
      { questionId: 'blank', kind: 'text', value: ' \u3000\n ' },
      { questionId: 'more', kind: 'text', value: '多关心辅警' },
    ],
    valid: true,
    satisfaction: [4],
    via: 'invitation',
    invitationId: null,
    ...over,
  };
  return { streamId: streamIds.surveyResponse(data.surveyId, responseId), type: 'SurveyResponded', data, occurredAt: new Date(AT), unitId: 'cs', metadata: { actor: 'invitation', correlationId: `c-${responseId}` } };
}

const opinion = (id: string) => `opinion-${id}`;

it('when a valid response has two suggestions and a blank answer, then two opinions are filed, verbatim, exactly once', async () => {
  await spec.given([response('r1')]).then({
    [opinion('staff-2021:r1:idea')]: [{ type: 'OpinionCollected', unitId: 'cs', occurredAt: new Date(AT), data: { caseId: 'staff-2021:r1:idea', category: 'idea', fields: { source: 'survey', text: VERBATIM, visitId: null, contact: null } }, metadata: { actor: 'invitation', correlationId: 'c-r1' } }],
    [opinion('staff-2021:r1:more')]: [{ type: 'OpinionCollected', data: { category: 'more', fields: { text: '多关心辅警' } } }],
    [opinion('staff-2021:r1:blank')]: [],
    [opinion('staff-2021:r1:sat')]: [],
  });
});

it('when a response is not valid, then none of its text answers becomes an opinion', async () => {
  await spec.given([response('r2', { valid: false, satisfaction: [] })]).thenNothingHappened();
});

it('when responses keep coming after the reactor caught up, then each one’s suggestions are filed once', async () => {
  await spec
    .given([response('r3')])
    .when([response('r4'), response('r5', { answers: [{ questionId: 'idea', kind: 'text', value: '只有一条' }] })])
    .then({
      [opinion('staff-2021:r3:idea')]: ['OpinionCollected'],
      [opinion('staff-2021:r4:idea')]: ['OpinionCollected'],
      [opinion('staff-2021:r4:more')]: ['OpinionCollected'],
      [opinion('staff-2021:r5:idea')]: [{ type: 'OpinionCollected', data: { fields: { text: '只有一条' } } }],
      [opinion('staff-2021:r5:more')]: [],
    });
});
