// The demo's surveys, in the seeds' world: the staff survey of seed 001 (警意调查 — a questionnaire pushed to frontline
// officers' phones on the work platform about equipment, care for officers and appraisal; 94.15% took part, each
// answer's suggestions passed on for rectification), scaled to run in seconds — invitations, a ~94% participation,
// suggestions flowing into the opinions ledger; then a residents' survey of security feeling and satisfaction (安全感,
// 满意度 — seed 002's 社会化评价) per district, whose satisfaction answers enter the bureau's index (channel surveys)
// and rank the districts.
import { randomUUID } from 'node:crypto';
import type { ApiClient } from '@minyi/platform';
import { DEMO_UNITS } from './demo-organisation.js';

const DAY = 86_400_000;

const STAFF_QUESTIONS = [
  { id: 'equipment', kind: 'level5', text: '您对经费装备保障工作是否满意？', required: true, satisfaction: true },
  { id: 'care', kind: 'level5', text: '您对惠警励警、关爱民辅警措施是否满意？', required: true, satisfaction: true },
  { id: 'appraisal', kind: 'level5', text: '您对绩效评估考核办法是否满意？', satisfaction: true },
  { id: 'recommend', kind: 'nps', text: '您有多大可能向亲友推荐到本单位工作？（0–10）' },
  { id: 'priority', kind: 'single', text: '您认为最需要改进的一项是：', options: ['经费装备', '惠警励警', '绩效评估', '警力配置', '执法保障'] },
  { id: 'wishes', kind: 'multi', text: '您最希望落实的关爱措施（可多选）：', options: ['住房保障', '健康体检', '子女入学', '心理辅导', '休假轮休'] },
  { id: 'suggestion', kind: 'text', text: '对经费装备保障的意见建议' },
  { id: 'suggestion2', kind: 'text', text: '对队伍建设的其他意见建议' },
];

const STAFF_SUGGESTIONS = [
  '基层所队执法记录仪数量不足，夜班经常不够用，建议按班组配齐。',
  '警用车辆老化严重，维修审批流程太长，建议下放小额维修审批权限。',
  '辅警待遇偏低、流失严重，建议建立辅警薪酬正常增长机制。',
  '建议落实民警轮休制度，连续加班后保证补休。',
  '绩效考核指标过多过细，基层疲于填表，建议精简。',
  '希望增加心理疏导服务，高强度安保后有专人关心。',
  '公租房申请条件对新入警民警不友好，建议放宽。',
  '单警装备中的防刺服偏重，夏天执勤很难坚持，建议更新轻量化装备。',
];

const RESIDENT_QUESTIONS = [
  { id: 'safety', kind: 'level5', text: '您觉得您居住的地方治安状况怎么样？（安全感）', required: true, satisfaction: true },
  { id: 'police', kind: 'level5', text: '您对辖区公安机关的工作是否满意？（满意度）', required: true, satisfaction: true },
  { id: 'patrol', kind: 'single', text: '您平时能看到民警巡逻吗？', options: ['经常', '偶尔', '很少', '从未'] },
  { id: 'opinion', kind: 'text', text: '您对公安工作的意见建议' },
];
const RESIDENT_SUGGESTIONS = ['晚上小区周边路灯太暗，希望加强巡逻。', '电动车被盗后报案，希望有个结果反馈。', '学校门口上下学时段交通混乱。', '派出所办事效率提高了，点赞！'];

async function must(what: string, p: Promise<{ status: number; body: any }>) {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Runs `work` over `items`, `width` at a time. */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

const shanghai = (ms: number) => new Date(ms + 8 * 3_600_000);
/** The start of the quarter (in Shanghai) that `ms` falls in: the residents' answers all fall in the current one. */
function quarterStart(ms: number): number {
  const d = shanghai(ms);
  return Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1) - 8 * 3_600_000;
}
const quarterOf = (ms: number) => `${shanghai(ms).getUTCFullYear()}-Q${Math.floor(shanghai(ms).getUTCMonth() / 3) + 1}`;

/** A level skewed towards satisfied, with `mood` (0–1) moving it up. */
const level = (random: () => number, mood: number) => Math.max(1, Math.min(5, Math.round(2.2 + mood * 2.2 + (random() - 0.5) * 2.4)));

export interface SurveysDemo {
  staffSurveyId: string;
  invited: number;
  responded: number;
  residents: number;
}

/**
 * The staff survey at the bureau (`staff` officers invited by token, ~94% answering, ~4% leaving a required question
 * out) and a residents' survey per district answered at a kiosk (`perDistrict` each, over the last 60 days).
 */
export async function runSurveysDemo(admin: ApiClient, clientOf: (token?: string) => ApiClient, bureau: { id: string }, districts: readonly { id: string; name: string }[], run: string, random: () => number, staff = 1400, perDistrict = 150): Promise<SurveysDemo> {
  const staffSurveyId = `demo-${run}-staff`;
  await must('staff survey', admin.post('/v1/surveys', { id: staffSurveyId, unitId: bureau.id, title: '基层民辅警警意调查', audience: 'staff', anonymous: true, targetSize: staff, questions: STAFF_QUESTIONS }));
  await must('publish', admin.post(`/v1/surveys/${staffSurveyId}/publish`, {}));
  const tokens: string[] = [];
  for (let i = 0; i < staff; i += 10_000) tokens.push(...(await must('invitations', admin.post(`/v1/surveys/${staffSurveyId}/invitations`, { id: `platform-push-${i}`, count: Math.min(10_000, staff - i) }))).tokens);
  const respondent = clientOf();
  const answering = tokens.filter(() => random() < 0.9415);
  const now = Date.now();
  await inParallel(answering, 32, async (token) => {
    const answers: Record<string, unknown> = { recommend: Math.floor(random() * 11), priority: STAFF_QUESTIONS[4].options![Math.floor(random() * 5)] };
    if (random() > 0.04) answers.equipment = level(random, 0.35);
    answers.care = level(random, 0.45);
    if (random() < 0.9) answers.appraisal = level(random, 0.3);
    answers.wishes = STAFF_QUESTIONS[5].options!.filter(() => random() < 0.4).concat(['住房保障']).filter((o, i, all) => all.indexOf(o) === i);
    if (random() < 0.85) answers.suggestion = STAFF_SUGGESTIONS[Math.floor(random() * STAFF_SUGGESTIONS.length)];
    if (random() < 0.5) answers.suggestion2 = random() < 0.1 ? '无' : STAFF_SUGGESTIONS[Math.floor(random() * STAFF_SUGGESTIONS.length)];
    // The respondent's app sends the day, not the second: submittedAt is the respondent's to coarsen (see README).
    const submittedAt = new Date(now - Math.floor(random() * 3) * DAY).toISOString().slice(0, 10) + 'T12:00:00+08:00';
    await must('staff response', respondent.post(`/v1/surveys/${staffSurveyId}/responses`, { id: randomUUID(), token, answers, submittedAt: new Date(Math.min(Date.parse(submittedAt), now)).toISOString() }));
  });

  const kiosk = clientOf((await must('kiosk', admin.post('/v1/clients', { id: `demo-${run}-survey-kiosk`, name: '社会化评价电话调查', scopes: ['surveys:write'] }))).token);
  let residents = 0;
  for (const [k, d] of districts.entries()) {
    const id = `demo-${run}-residents-${d.id}`;
    await must('residents survey', admin.post('/v1/surveys', { id, unitId: d.id, title: `${d.name}群众安全感满意度调查`, audience: 'residents', anonymous: true, targetSize: perDistrict, questions: RESIDENT_QUESTIONS }));
    await must('publish', admin.post(`/v1/surveys/${id}/publish`, {}));
    // Districts differ: the first one is where people feel safest.
    const mood = 0.8 - (0.5 * k) / Math.max(1, districts.length - 1);
    await inParallel(Array.from({ length: perDistrict }, (_, i) => i), 16, async () => {
      const answers: Record<string, unknown> = { safety: level(random, mood), police: level(random, mood), patrol: RESIDENT_QUESTIONS[2].options![Math.floor(random() * 4)] };
      if (random() < 0.3) answers.opinion = RESIDENT_SUGGESTIONS[Math.floor(random() * RESIDENT_SUGGESTIONS.length)];
      const since = Math.max(now - 60 * DAY, quarterStart(now) + DAY);
      await must('resident response', kiosk.post(`/v1/surveys/${id}/responses`, { id: randomUUID(), answers, submittedAt: new Date(now - 60_000 - random() * Math.max(0, now - 60_000 - since)).toISOString() }));
      residents += 1;
    });
  }
  return { staffSurveyId, invited: tokens.length, responded: answering.length, residents };
}

/** Prints the staff survey's results, the suggestions in the opinions ledger, the surveys channel and the districts' ranking. */
export async function printSurveys(reader: ApiClient, admin: ApiClient, demo: SurveysDemo, bureau: string): Promise<void> {
  const r = await must('results', admin.get(`/v1/surveys/${demo.staffSurveyId}/results`));
  const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(2)}%`);
  console.log(`  警意调查: invited ${r.invited}, responded ${r.responded} (参与率 ${pct(r.participationRate)}), valid ${r.valid}, suggestions ${r.suggestions}`);
  for (const q of r.questions.filter((x: any) => x.kind === 'level5' || x.kind === 'nps')) {
    console.log(`    ${q.id}: n=${q.n} mean ${q.mean?.toFixed(2)}${q.satisfactionRate !== undefined ? ` 满意率 ${pct(q.satisfactionRate)}` : ''}${q.nps !== undefined ? ` NPS ${q.nps?.toFixed(1)}` : ''}`);
  }
  const today = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - 62 * DAY).toISOString().slice(0, 10);
  const rates = await reader.get(`/v1/rates?scope=unit:${bureau}&granularity=year&from=${today}&to=${today}`);
  const collected = rates.body?.series?.[0]?.opinions?.collected;
  console.log(`  opinions collected this year at ${bureau} (each suggestion one, source survey, in the opinions ledger): ${collected ?? '—'}`);
  const s = await reader.get(`/v1/satisfaction?scope=unit:${bureau}&granularity=quarter&from=${from}&to=${today}&channel=surveys`);
  for (const e of s.body.series ?? []) console.log(`  channel surveys ${e.period}: n=${e.n} 满意率 ${pct(e.satisfactionRate)} 指数 ${e.index?.toFixed(2) ?? '—'}`);
  const quarter = quarterOf(Date.now());
  const ranking = await reader.get(`/v1/rankings?parentId=${bureau}&of=units&granularity=quarter&period=${quarter}&channel=surveys&minN=20`);
  console.log(`  districts by surveyed satisfaction (${quarter}, channel surveys): ${(ranking.body.items ?? []).map((i: any) => `${i.rank}.${i.name} ${i.value.toFixed(1)}`).join('  ')}`);
}

/** The demo's surveys end to end, for the demo CLI: run (DEMO_STAFF officers invited), then the figures printed. */
export async function surveysDemo(admin: ApiClient, clientOf: (token?: string) => ApiClient, readerToken: string, run: string, random: () => number): Promise<void> {
  const staff = Number(process.env.DEMO_STAFF ?? 1400);
  const bureau = DEMO_UNITS.find((u) => u.parentId === null)!;
  const districts = DEMO_UNITS.filter((u) => u.parentId === bureau.id);
  console.log(`a staff survey (警意调查) pushed to ${staff} officers' phones (DEMO_STAFF), and a residents' survey of 安全感 and 满意度 in each of ${districts.length} districts…`);
  const demo = await runSurveysDemo(admin, clientOf, bureau, districts, run, random, staff);
  // The suggestions' opinions and the counters follow within moments (the reactor files a few hundred a second).
  const reader = clientOf(readerToken);
  const today = new Date().toISOString().slice(0, 10);
  for (let waited = 0; waited < 30_000; waited += 500) {
    const results = (await admin.get(`/v1/surveys/${demo.staffSurveyId}/results`)).body;
    const rates = (await reader.get(`/v1/rates?scope=unit:${bureau.id}&granularity=year&from=${today}&to=${today}`)).body;
    if (results?.responded === demo.responded && (rates?.series?.[0]?.opinions?.collected ?? 0) >= results.suggestions) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await printSurveys(clientOf(readerToken), admin, demo, bureau.id);
}
