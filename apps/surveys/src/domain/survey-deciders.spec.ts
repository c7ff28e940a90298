// The surveys' deciders in given/when/then: a survey defined once, published, closed; an invitation issued once, its
// hashes a thousand to an event; a token used once; a response recorded once — and the questionnaire's rules.
import { Conflict, NotFound, type SurveyDefinedV1 } from '@minyi/contracts';
import { DeciderSpecification } from '@minyi/testing';
import { invitationDecider } from './invitation.decider';
import { checkAnswers, definitionErrors, isSuggestion, questionOf } from './questionnaire';
import { responseDecider } from './response.decider';
import { surveyDecider } from './survey.decider';
import { tokenDecider, TokenUsed } from './token.decider';

const definition: SurveyDefinedV1 = {
  surveyId: 's1',
  unitId: 'cs',
  title: '警意调查',
  audience: 'staff',
  anonymous: true,
  targetSize: null,
  questions: [
    questionOf({ id: 'sat', kind: 'level5', text: '满意度', required: true, satisfaction: true }),
    questionOf({ id: 'n', kind: 'nps', text: '推荐' }),
    questionOf({ id: 'one', kind: 'single', text: '一项', options: ['a', 'b'] }),
    questionOf({ id: 'many', kind: 'multi', text: '多项', options: ['a', 'b', 'c'] }),
    questionOf({ id: 'idea', kind: 'text', text: '建议' }),
  ],
};
const defined = { type: 'SurveyDefined' as const, data: definition, requestHash: 'h' };
const published = { type: 'SurveyPublished' as const, data: { surveyId: 's1', unitId: 'cs' } };
const closed = { type: 'SurveyClosed' as const, data: { surveyId: 's1', unitId: 'cs' } };
const survey = DeciderSpecification.for(surveyDecider);

describe('the survey', () => {
  it('when it is defined, then SurveyDefined; again with the same hash nothing; with another 409', () => {
    survey.given([]).when({ type: 'define', definition, requestHash: 'h' }).then([{ type: 'SurveyDefined', data: definition }]);
    survey.given([defined]).when({ type: 'define', definition, requestHash: 'h' }).thenNothingHappened();
    survey.given([defined]).when({ type: 'define', definition, requestHash: 'other' }).thenThrows(Conflict);
  });
  it('when it is published and closed, then draft → open → closed, each again nothing, a closed one never published', () => {
    survey.given([defined]).when({ type: 'publish', surveyId: 's1' }).then([{ type: 'SurveyPublished' }]);
    survey.given([defined, published]).when({ type: 'publish', surveyId: 's1' }).thenNothingHappened();
    survey.given([defined, published]).when({ type: 'close', surveyId: 's1' }).then([{ type: 'SurveyClosed' }]);
    survey.given([defined]).when({ type: 'close', surveyId: 's1' }).then([{ type: 'SurveyClosed' }]);
    survey.given([defined, published, closed]).when({ type: 'close', surveyId: 's1' }).thenNothingHappened();
    survey.given([defined, published, closed]).when({ type: 'publish', surveyId: 's1' }).thenThrows(Conflict, /closed/);
    survey.given([]).when({ type: 'publish', surveyId: 's1' }).thenThrows(NotFound);
  });
});

describe('an invitation, a token, a response', () => {
  const issue = (count: number, requestHash = 'h') => ({ surveyId: 's1', unitId: 'cs', invitationId: 'i1', count, tokenHashes: Array.from({ length: count }, (_, i) => i.toString(16).padStart(64, '0')), requestHash });
  it('when 2500 tokens are issued, then one SurveyInvitationsIssued and three events of at most 1000 hashes; again nothing, another count 409', () => {
    DeciderSpecification.for(invitationDecider).given([]).when(issue(2500)).then((events) => {
      expect(events.map((e) => e.type)).toEqual(['SurveyInvitationsIssued', 'SurveyInvitationTokensIssued', 'SurveyInvitationTokensIssued', 'SurveyInvitationTokensIssued']);
      expect(events.slice(1).map((e) => (e.data as { tokenHashes: string[] }).tokenHashes.length)).toEqual([1000, 1000, 500]);
    });
    const given = invitationDecider.decide(issue(3), invitationDecider.initialState()).map((e) => ({ ...e, requestHash: 'h' }));
    DeciderSpecification.for(invitationDecider).given(given).when(issue(3)).thenNothingHappened();
    DeciderSpecification.for(invitationDecider).given(given).when(issue(4, 'h4')).thenThrows(Conflict);
  });
  it('when a token is used, then SurveyTokenUsed with nothing of the response; a second use is refused', () => {
    const use = { surveyId: 's1', invitationId: 'i1', tokenHash: 'f'.repeat(64), unitId: 'cs' };
    DeciderSpecification.for(tokenDecider).given([]).when(use).then([{ type: 'SurveyTokenUsed', data: { surveyId: 's1', invitationId: 'i1', tokenHash: 'f'.repeat(64) } }]);
    DeciderSpecification.for(tokenDecider).given([{ type: 'SurveyTokenUsed', data: { surveyId: 's1', invitationId: 'i1', tokenHash: 'f'.repeat(64) } }]).when(use).thenThrows(TokenUsed);
  });
  it('when a response is recorded, then once: the same hash again nothing, another 409', () => {
    const response = { surveyId: 's1', responseId: 'r1', unitId: 'cs', submittedAt: '2026-09-16T09:00:00+08:00', answers: [], valid: false, satisfaction: [], via: 'client' as const, invitationId: null };
    const record = { response, occurredAt: new Date(response.submittedAt), requestHash: 'h' };
    DeciderSpecification.for(responseDecider).given([]).when(record).then([{ type: 'SurveyResponded', data: response }]);
    DeciderSpecification.for(responseDecider).given([{ type: 'SurveyResponded', data: response, requestHash: 'h' }]).when(record).thenNothingHappened();
    DeciderSpecification.for(responseDecider).given([{ type: 'SurveyResponded', data: response, requestHash: 'h' }]).when({ ...record, requestHash: 'x' }).thenThrows(Conflict);
  });
});

describe('the questionnaire', () => {
  it('when answers fit, then they are kept in question order with their kinds; satisfaction answers listed only when valid', () => {
    expect(checkAnswers(definition.questions, { idea: ' x ', sat: 4, many: ['c', 'a'], one: 'b', n: 0 })).toEqual({
      answers: [
        { questionId: 'sat', kind: 'level5', value: 4 },
        { questionId: 'n', kind: 'nps', value: 0 },
        { questionId: 'one', kind: 'single', value: 'b' },
        { questionId: 'many', kind: 'multi', value: ['c', 'a'] },
        { questionId: 'idea', kind: 'text', value: ' x ' },
      ],
      valid: true,
      satisfaction: [4],
    });
    expect(checkAnswers(definition.questions, { n: 10 })).toMatchObject({ valid: false, satisfaction: [] });
  });
  it('when answers do not fit, then every wrong one is named', () => {
    const r = checkAnswers(definition.questions, { sat: 0, n: 11, one: 'c', many: ['a', 'a'], idea: '', what: 1 });
    expect('errors' in r && r.errors.map((e) => e.path).sort()).toEqual(['answers.idea', 'answers.many', 'answers.n', 'answers.one', 'answers.sat', 'answers.what']);
  });
  it('when a definition breaks the rules between fields, then each break is named', () => {
    expect(definitionErrors([{ id: 'a', kind: 'text', text: 't' }, { id: 'a', kind: 'single', text: 't' }, { id: 'b', kind: 'nps', text: 't', satisfaction: true, options: ['x', 'y'] }]).map((e) => e.path)).toEqual([
      'questions.1.id',
      'questions.1.options',
      'questions.2.options',
      'questions.2.satisfaction',
    ]);
  });
  it('when a text is whitespace only (Unicode’s too), then it is no suggestion', () => {
    expect([' ', '\u3000', '\n\t', '\u00a0', 'a'].map((value) => isSuggestion({ kind: 'text', value }))).toEqual([false, false, false, false, true]);
  });
});
