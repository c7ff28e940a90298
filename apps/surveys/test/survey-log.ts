// Survey traffic for tests of the log's read models (the projector's mixed log, the rebuilds): a survey per round
// with satisfaction questions, its invitations, and responses — valid and not, with blank and non-blank suggestions —
// recorded as the write side records them.
import { streamIds, type SurveyAnswerV1, type SurveyRespondedV1 } from '@minyi/contracts';
import type { EventStore, NewEvent } from '@minyi/event-store';

const meta = { actor: 'test', correlationId: 'test', causationId: null };
const event = (type: string, data: unknown, unitId: string, occurredAt = new Date()): NewEvent => ({ type, version: 1, data, occurredAt, unitId, metadata: meta });

const OPTIONS = ['经费装备', '惠警励警', '绩效评估'];
export const SURVEY_LOG_QUESTIONS = [
  { id: 'sat', kind: 'level5', text: '总体满意度', options: null, required: true, satisfaction: true },
  { id: 'safe', kind: 'level5', text: '安全感', options: null, required: false, satisfaction: true },
  { id: 'plain', kind: 'level5', text: '不计入满意度', options: null, required: false, satisfaction: false },
  { id: 'nps', kind: 'nps', text: '推荐', options: null, required: false, satisfaction: false },
  { id: 'area', kind: 'single', text: '方面', options: OPTIONS, required: false, satisfaction: false },
  { id: 'care', kind: 'multi', text: '关爱', options: OPTIONS, required: false, satisfaction: false },
  { id: 'idea', kind: 'text', text: '建议', options: null, required: false, satisfaction: false },
] as const;

/** A survey `<round>-survey` at `unitId`, `responses` responses over the last 300 days; returns what was written. */
export async function writeSurveyRound(store: EventStore, round: string, random: () => number, now: Date, unitId: string, responses = 30): Promise<{ responses: number }> {
  const surveyId = `${round}-survey`;
  const definition = { surveyId, unitId, title: `问卷 ${round}`, audience: 'residents', anonymous: true, targetSize: 100, questions: SURVEY_LOG_QUESTIONS };
  await store.append(streamIds.survey(surveyId), 0, [event('SurveyDefined', definition, unitId), event('SurveyPublished', { surveyId, unitId }, unitId)]);
  await store.append(streamIds.surveyInvitation(surveyId, 'inv'), 0, [
    event('SurveyInvitationsIssued', { surveyId, unitId, invitationId: 'inv', count: 2 }, unitId),
    event('SurveyInvitationTokensIssued', { surveyId, invitationId: 'inv', tokenHashes: ['0'.repeat(64), '1'.repeat(64)] }, unitId),
  ]);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  for (let i = 0; i < responses; i++) {
    const answers: SurveyAnswerV1[] = [];
    const valid = random() < 0.85;
    if (valid) answers.push({ questionId: 'sat', kind: 'level5', value: 1 + Math.floor(random() * 5) });
    if (random() < 0.7) answers.push({ questionId: 'safe', kind: 'level5', value: 1 + Math.floor(random() * 5) });
    if (random() < 0.5) answers.push({ questionId: 'plain', kind: 'level5', value: 1 + Math.floor(random() * 5) });
    if (random() < 0.6) answers.push({ questionId: 'nps', kind: 'nps', value: Math.floor(random() * 11) });
    if (random() < 0.6) answers.push({ questionId: 'area', kind: 'single', value: pick(OPTIONS) });
    if (random() < 0.5) answers.push({ questionId: 'care', kind: 'multi', value: OPTIONS.filter(() => random() < 0.5).concat(OPTIONS[0]).filter((o, k, all) => all.indexOf(o) === k) });
    if (random() < 0.6) answers.push({ questionId: 'idea', kind: 'text', value: random() < 0.3 ? ' \u3000 ' : `建议 ${round} ${i}` });
    const submittedAt = new Date(now.getTime() - Math.floor(random() * 300 * 86_400_000) - 60_000);
    const satisfaction = valid ? answers.filter((a) => a.questionId === 'sat' || a.questionId === 'safe').map((a) => a.value as number) : [];
    const response: SurveyRespondedV1 = { surveyId, responseId: `r${i}`, unitId, submittedAt: submittedAt.toISOString(), answers, valid, satisfaction, via: 'client', invitationId: null };
    await store.append(streamIds.surveyResponse(surveyId, `r${i}`), 0, [event('SurveyResponded', response, unitId, submittedAt)]);
  }
  return { responses };
}
