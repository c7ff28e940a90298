// The bench's questionnaire (a staff survey of seed 001's shape: 8 level5 questions counted in satisfaction, an NPS,
// a single and a multi choice, two suggestion boxes) and the answers its load sends, deterministic per response number.
const LEVEL5 = [
  ['equipment', '您对经费装备保障工作是否满意？'],
  ['care', '您对惠警励警措施是否满意？'],
  ['appraisal', '您对绩效考核评估是否满意？'],
  ['training', '您对教育培训是否满意？'],
  ['duty', '您对勤务安排是否满意？'],
  ['health', '您对体检和心理健康服务是否满意？'],
  ['canteen', '您对食堂和后勤保障是否满意？'],
  ['leaders', '您对所在单位领导班子是否满意？'],
];
const AREAS = ['经费装备', '惠警励警', '绩效评估', '教育培训'];
const CARE = ['住房', '体检', '子女入学', '带薪休假', '心理疏导'];
const IDEAS = [
  '建议增加基层警力配备，减少非警务活动。',
  '希望改善派出所办公和住宿条件，更新老旧装备。',
  '建议完善值班补助标准，落实带薪休假制度。',
  '考核指标过多，建议精简台账，减轻基层负担。',
  '希望多组织实战化培训，少开会。',
  '建议为一线民警配备执法记录仪和防护装备。',
];

export const QUESTIONS = [
  ...LEVEL5.map(([id, text], i) => ({ id, kind: 'level5', text, required: i === 0, satisfaction: true })),
  { id: 'recommend', kind: 'nps', text: '您是否愿意推荐亲友从事公安工作？（0–10）' },
  { id: 'area', kind: 'single', text: '您最希望改进的方面', options: AREAS },
  { id: 'wishes', kind: 'multi', text: '您最关心的惠警措施（可多选）', options: CARE },
  { id: 'idea', kind: 'text', text: '您对队伍建设的意见建议' },
  { id: 'other', kind: 'text', text: '其他意见' },
];

/** Answers of response `n`: mostly satisfied; 1 in 25 leaves the required first question out (not valid). */
export function answersOf(n) {
  const a = {};
  const h = (k) => ((n + 1) * 2654435761 + k * 40503) >>> 0; // a cheap deterministic spread per question
  LEVEL5.forEach(([id], k) => {
    if (k === 0 && n % 25 === 7) return;
    if (k > 0 && h(k) % 10 === 0) return; // some leave an optional question out
    a[id] = [5, 5, 4, 5, 4, 3, 5, 2, 4, 1][h(k) % 10];
  });
  a.recommend = h(8) % 11;
  if (h(9) % 5) a.area = AREAS[h(9) % AREAS.length];
  const wishes = CARE.filter((_, k) => (h(10) >> k) & 1);
  if (wishes.length) a.wishes = wishes;
  // About 1 in 3 writes a suggestion, 1 in 10 a second one; some send a blank box.
  if (n % 3 === 0) a.idea = IDEAS[n % IDEAS.length];
  else if (n % 7 === 0) a.idea = ' ';
  if (n % 10 === 1) a.other = `第 ${n} 份：${IDEAS[(n + 3) % IDEAS.length]}`;
  return a;
}

/** The JSON body of response `n` (with `token` when given). */
export function bodyOf(id, n, submittedAt, token) {
  return JSON.stringify({ id, ...(token ? { token } : {}), answers: answersOf(n), submittedAt });
}
