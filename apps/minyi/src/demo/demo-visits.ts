// The demo's visits, in seed 004's Baotou (包头): the 楼长 (building-officer) programme "千警进万家、恳谈访民情" — officers
// of every station visiting households, enterprises and schools, talk meetings at four levels (市局、分局、所队、楼长)
// — what residents said kept in their own words and categories (流浪犬扰民, 律师会见难, 钱款上账难 …), assigned,
// rectified on the spot or explained, answered and rated; disputes resolved and hazards rectified. Then the
// 向人民报告 summary — what was heard, what was done, how people rated it — per branch, from /v1/rates and
// /v1/satisfaction. The seed's own figures (1,011 suggestions of which 281 rectified, 118 disputes of which 73
// resolved, 188 hazards of which 140 rectified, 486 meetings, 12,500 households) are filed at DEMO_VISITS_SCALE
// (default 0.2, in the seed's proportions, so the demo stays well under a minute; 1 files all of them, about 16,000
// requests over parallel HTTP) and read back from /v1/rates.
import { randomUUID } from 'node:crypto';
import type { ApiClient } from '@minyi/platform';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Seed 004's figures (目前，全市共召开恳谈会486次，“楼长”民警走访入户1.25万余户 …). */
const SEED = { suggestions: 1011, rectified: 281, disputes: 118, resolved: 73, hazards: 188, hazardsRectified: 140, meetings: 486, households: 12_500 };
/** The four levels of talk meetings (四级恳谈), in the proportions a city holds them. */
const MEETING_LEVELS: [level: string, share: number, attendees: [number, number]][] = [
  ['city', 0.02, [40, 120]],
  ['branch', 0.1, [25, 60]],
  ['station', 0.3, [12, 40]],
  ['building', 0.58, [5, 20]],
];

/** What residents said (意见建议), in the seed's words: the text is kept exactly as said. */
const OPINIONS: { category: string; source: string; texts: string[]; rectify: string; explain: string }[] = [
  {
    category: '养犬管理',
    source: 'visit',
    texts: ['小区流浪犬扰民，晚上叫个不停，孩子上学都害怕。', '楼里有人饲养大型犬、烈性犬，进出电梯不拴绳。', '不文明养犬，狗粪没人清理 😣'],
    rectify: '治安管理部门组织开展为期两个月的养犬管理专项整治行动，已处置流浪犬并约谈养犬人。',
    explain: '犬只登记需养犬人配合办理，已联合社区宣传并限期登记。',
  },
  {
    category: '律师会见难',
    source: 'meeting',
    texts: ['在押人员会见难，律师预约要排好几天。', '律师到看守所会见，现场排队时间太长，希望能网上预约。'],
    rectify: '研发推广“律小易”网上预约系统，律师可网上预约会见。',
    explain: '会见室数量有限，已增加会见时段并说明预约规则。',
  },
  {
    category: '看守所钱款上账',
    source: 'meeting',
    texts: ['在押人员家属反映钱款上账难和不透明。', '给家人存钱要跑看守所，钱花在哪里也查不到。'],
    rectify: '以东河区看守所为试点，开发“无现金”看守所管理系统：网上汇款、自动分发、线上消费、线上结算、随查随退。',
    explain: '系统建设需要一定时限，已拿出解决计划并向家属做好解释。',
  },
  {
    category: '户籍办理',
    source: 'visit',
    texts: ['迁入落户要跑好几趟，能不能一次办好？', '补办户口簿、出具户籍证明希望能网上办。', '临时身份证办理等的时间太长。'],
    rectify: '推进“互联网+公安政务服务”，迁入落户、户籍证明、补办户口簿实现“最多跑一次”。',
    explain: '部分事项须本人到场核验，已公布所需材料清单。',
  },
  {
    category: '交通管理',
    source: 'wechat',
    texts: ['学校门口上下学时段乱停车，希望增派警力。', '交通事故小纠纷能不能网上调解，不用跑交警队。'],
    rectify: '首创交通事故纠纷网上调解，随时随地网上处理；校门口增设护学岗。',
    explain: '道路改造属市政部门职责，已转交并向群众说明。',
  },
  {
    category: '民警执法',
    source: 'mailbox',
    texts: ['反映民警执法时态度生硬。', '希望民警执法时主动出示证件、说明依据。'],
    rectify: '组织民警常态化旁听法院庭审，开展执法规范化培训并逐项整改。',
    explain: '经核查执法程序合法，已向反映人解释执法依据。',
  },
  {
    category: '窗口服务',
    source: 'reception',
    texts: ['希望窗口周末也能办业务。', '办事大厅缺少座椅和老花镜，老人办事不方便。'],
    rectify: '窗口配备座椅、饮水机、老花镜等“七种常用设备”，推行延时服务。',
    explain: '周末值班窗口已开设，具体时段已在大厅公示。',
  },
];
const DISPUTE_KINDS = ['邻里纠纷', '家庭纠纷', '物业纠纷', '劳资纠纷', '婚恋纠纷'];
const HAZARD_KINDS = ['消防通道堵塞', '电动车楼道充电', '治安乱点', '出租屋隐患', '井盖缺失'];
const TARGETS = ['enterprise', 'school', 'community', 'organisation'] as const;

export interface VisitsDemoUnits {
  /** The bureau (root). */
  root: { id: string; name: string };
  branches: { id: string; name: string }[];
  /** Where the 楼长 officers are: stations with their branch. */
  stations: { id: string; branch: string }[];
}

/** Runs `work` over `items` with at most `concurrency` requests in flight. */
async function inParallel<T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i], i);
      }
    }),
  );
}

async function must(what: string, p: Promise<{ status: number; body: any }>): Promise<any> {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

/**
 * Files the seed's visits, opinions, disputes and hazards (scaled), walks them through their steps, checks that
 * /v1/rates gives back exactly what was filed, and prints the 向人民报告 summary. Reads with `admin`.
 */
export async function runVisitsDemo(admin: ApiClient, clientOf: (token: string) => ApiClient, units: VisitsDemoUnits, run: string, random: () => number): Promise<void> {
  const scale = Number(process.env.DEMO_VISITS_SCALE ?? 0.2);
  const n = (x: number) => Math.max(1, Math.round(x * scale));
  const target = {
    suggestions: n(SEED.suggestions),
    rectified: n(SEED.rectified),
    disputes: n(SEED.disputes),
    resolved: n(SEED.resolved),
    hazards: n(SEED.hazards),
    hazardsRectified: n(SEED.hazardsRectified),
    meetings: n(SEED.meetings),
    households: n(SEED.households),
  };
  const started = Date.now();
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const now = Date.now();
  // Everything in the last 50 days, in whole periods of this year's reading.
  const since = now - 50 * DAY;
  const when = () => since + Math.floor(random() * 45 * DAY);

  // The 楼长 officers (two a station) and each station's visit app; one desk that takes the steps (分级负责).
  const officers = new Map<string, string[]>();
  for (const s of units.stations) {
    const ids = [1, 2].map((k) => `${s.id}-lz${k}`);
    for (const id of ids) await must(`officer ${id}`, admin.post('/v1/officers', { id, unitId: s.id, name: `${s.id} 楼长民警 ${k(id)}` }));
    officers.set(s.id, ids);
  }
  const apps = new Map<string, ApiClient>();
  for (const s of [...units.stations, ...units.branches.map((b) => ({ id: b.id, branch: b.id })), { id: units.root.id, branch: units.root.id }]) {
    const c = await must('visit app', admin.post('/v1/clients', { id: `demo-${run}-visits-${s.id}`, name: `${s.id} 走访APP`, scopes: ['visits:write'], unitId: s.id }));
    apps.set(s.id, clientOf(c.token));
  }
  const desk = clientOf((await must('desk', admin.post('/v1/clients', { id: `demo-${run}-minyi-desk`, name: '民意研判专班', scopes: ['cases:write'] }))).token);
  const post = (unitId: string, path: string, body: object) => must(path, apps.get(unitId)!.post(path, body));
  const stepOn = (kind: string, id: string, name: string, at: number, fields: object) =>
    must(`${kind} ${name}`, desk.post(`/v1/${kind}/${id}/${name}`, { stepId: randomUUID(), occurredAt: new Date(Math.min(at, Date.now())).toISOString(), ...fields }));

  // 1. The visits: every household once (some twice — still one household), and the talk meetings at four levels.
  const visits: { id: string; unitId: string; at: number }[] = [];
  let returnVisits = 0;
  const householdVisits = Array.from({ length: target.households }, (_, i) => ({ i, station: pick(units.stations), at: when() }));
  await inParallel(householdVisits, 32, async ({ i, station, at }) => {
    const id = `demo-${run}-hv${i}`;
    const body = { id, unitId: station.id, officerId: pick(officers.get(station.id)!), occurredAt: new Date(at).toISOString(), target: { kind: 'household', ref: `${station.id}-hh-${i}` }, notes: '入户走访：送安全、送服务，征求意见建议。' };
    await post(station.id, '/v1/visits', body);
    visits.push({ id, unitId: station.id, at });
    // A return visit to one household in twenty (回访): a visit more, the same household.
    if (i % 20 === 0) {
      await post(station.id, '/v1/visits', { ...body, id: `${id}-again`, occurredAt: new Date(Math.min(at + 3 * DAY, now)).toISOString() });
      returnVisits += 1;
    }
  });
  let meetingsHeld = 0;
  // Exactly the target: each level its share, the building officers' meetings the rest.
  const meetings: { level: string; lo: number; hi: number }[] = [];
  for (const [level, share, [lo, hi]] of MEETING_LEVELS) {
    const count = level === 'building' ? target.meetings - meetings.length : Math.round(target.meetings * share);
    for (let j = 0; j < count; j++) meetings.push({ level, lo, hi });
  }
  await inParallel(meetings, 16, async (m, i) => {
    const station = pick(units.stations);
    const unitId = m.level === 'city' ? units.root.id : m.level === 'branch' ? station.branch : station.id;
    const id = `demo-${run}-mt${i}`;
    const at = when();
    await post(unitId, '/v1/visits', {
      id,
      unitId,
      occurredAt: new Date(at).toISOString(),
      target: { kind: m.level === 'building' ? 'community' : pick(TARGETS) },
      meeting: { level: m.level, attendees: m.lo + Math.floor(random() * (m.hi - m.lo)) },
      notes: '恳谈会：邀请两代表一委员、律师、特约监督员和群众代表座谈。',
    });
    visits.push({ id, unitId, at });
    meetingsHeld += 1;
  });

  // 2. Opinions heard on those visits, in the seed's words; a share rectified (some on the spot, 立行立改), some
  //    explained, the handled ones answered back and most of those rated.
  const explained = Math.round(target.suggestions * 0.35);
  const opinions = Array.from({ length: target.suggestions }, (_, i) => ({ i, topic: pick(OPINIONS), visit: pick(visits) }));
  await inParallel(opinions, 32, async ({ i, topic, visit }) => {
    const id = `demo-${run}-op${i}`;
    const at = visit.at + Math.floor(random() * HOUR);
    await post(visit.unitId, '/v1/opinions', { id, unitId: visit.unitId, source: topic.source, visitId: visit.id, category: topic.category, text: pick(topic.texts), occurredAt: new Date(Math.min(at, now)).toISOString() });
    const t = (hours: number) => at + hours * HOUR;
    if (i < target.rectified) {
      // One in four on the spot; the rest assigned to the responsible level first.
      if (i % 4) await stepOn('opinions', id, 'assign', t(2), { unitId: i % 3 ? visit.unitId : units.root.id, dueInWorkingDays: 15 });
      await stepOn('opinions', id, 'rectify', t(i % 4 ? 24 * (1 + (i % 20)) : 1), { summary: topic.rectify });
    } else if (i < target.rectified + explained) {
      await stepOn('opinions', id, 'assign', t(2), { unitId: visit.unitId, dueInWorkingDays: 10 });
      await stepOn('opinions', id, 'explain', t(48), { text: topic.explain });
    } else {
      if (i % 2) await stepOn('opinions', id, 'assign', t(2), { unitId: visit.unitId, dueInWorkingDays: 15 });
      return; // still being worked on (some overdue by now)
    }
    if (i % 10 === 9) return; // not yet answered
    await stepOn('opinions', id, 'reply', t(24 * 25), { text: '已向您反馈办理结果，感谢您的意见建议。', via: pick(['phone', 'visit', 'sms', 'wechat']) });
    if (i % 5 === 4) return; // not rated
    const rectified = i < target.rectified;
    const score = rectified ? (random() < 0.85 ? 5 - Math.floor(random() * 2) : 3) : random() < 0.6 ? 4 - Math.floor(random() * 2) : 2;
    await stepOn('opinions', id, 'rate', t(24 * 26), { score });
  });

  // 3. Disputes found on the visits, a share resolved (化解); hazards found, a share rectified.
  await inParallel(Array.from({ length: target.disputes }, (_, i) => i), 16, async (i) => {
    const visit = pick(visits);
    const id = `demo-${run}-dp${i}`;
    await post(visit.unitId, '/v1/disputes', { id, unitId: visit.unitId, kind: pick(DISPUTE_KINDS), occurredAt: new Date(visit.at).toISOString(), visitId: visit.id, summary: '走访中发现，矛盾纠纷及时发现、稳控。' });
    if (i < target.resolved) await stepOn('disputes', id, 'resolve', visit.at + 24 * HOUR * (1 + (i % 7)), { summary: '社区民警会同人民调解员就地调处化解。' });
  });
  await inParallel(Array.from({ length: target.hazards }, (_, i) => i), 16, async (i) => {
    const visit = pick(visits);
    const id = `demo-${run}-hz${i}`;
    await post(visit.unitId, '/v1/hazards', { id, unitId: visit.unitId, kind: pick(HAZARD_KINDS), occurredAt: new Date(visit.at).toISOString(), visitId: visit.id, location: `${visit.unitId} 辖区 ${1 + (i % 40)} 号楼` });
    if (i < target.hazardsRectified) await stepOn('hazards', id, 'rectify', visit.at + 24 * HOUR * (1 + (i % 5)), { summary: '已督促整改并复查。' });
  });
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `  ${visits.length + returnVisits} visits (${target.households.toLocaleString('en-US')} households, ${meetingsHeld} talk meetings at four levels), ${target.suggestions} opinions, ` +
      `${target.disputes} disputes and ${target.hazards} hazards filed with their steps over HTTP in ${seconds.toFixed(1)} s (DEMO_VISITS_SCALE=${scale})`,
  );
  await printReportToThePeople(admin, units, target);
}

/** Sums a group's counts over a series (the demo's last 50 days may span two years). */
function total(series: any[], group: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of series) for (const [k, v] of Object.entries(e[group] ?? {})) if (typeof v === 'number' && !k.endsWith('Rate')) out[k] = (out[k] ?? 0) + v;
  return out;
}
const rateOf = (a: number | undefined, b: number | undefined) => (!b ? null : (a ?? 0) / b);

/** 向人民报告: what was heard, what was done, how people rated it — for the bureau and each branch. */
async function printReportToThePeople(reader: ApiClient, units: VisitsDemoUnits, target: Record<string, number>): Promise<void> {
  const to = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - 60 * DAY).toISOString().slice(0, 10);
  // The projector follows the log within moments: wait until the bureau's figures show everything filed.
  const deadline = Date.now() + 30_000;
  let got: Record<string, number> = {};
  for (;;) {
    const rates = await must('rates', reader.get(`/v1/rates?scope=unit:${units.root.id}&granularity=year&from=${from}&to=${to}`));
    const [v, o, d, h] = ['visits', 'opinions', 'disputes', 'hazards'].map((g) => total(rates.series, g));
    got = { suggestions: o.collected, rectified: o.rectified, disputes: d.found, resolved: d.resolved, hazards: h.found, hazardsRectified: h.rectified, meetings: v.meetings, households: v.households };
    if (Object.entries(target).every(([k, x]) => got[k] === x) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const line = async (unitId: string, name: string) => {
    const [r, s] = await Promise.all([
      must('rates', reader.get(`/v1/rates?scope=unit:${unitId}&granularity=year&from=${from}&to=${to}`)),
      must('satisfaction', reader.get(`/v1/satisfaction?scope=unit:${unitId}&granularity=year&from=${from}&to=${to}&channel=visits`)),
    ]);
    const v = total(r.series, 'visits');
    const o = total(r.series, 'opinions');
    const d = total(r.series, 'disputes');
    const h = total(r.series, 'hazards');
    const rated = s.series.reduce((a: { n: number; good: number }, e: any) => ({ n: a.n + e.n, good: a.good + e.levels['3'] + e.levels['4'] + e.levels['5'] }), { n: 0, good: 0 });
    return (
      `  ${name.padEnd(8, '　')} 听: 走访 ${String(v.visits).padStart(6)} 入户 ${String(v.households).padStart(6)} 恳谈 ${String(v.meetings).padStart(4)} 次 ${String(v.attendees).padStart(6)} 人 意见建议 ${String(o.collected).padStart(5)}` +
      ` | 办: 整改 ${String(o.rectified).padStart(4)} (${pct(rateOf(o.rectified, o.collected)).padStart(6)}) 解释 ${String(o.explained).padStart(4)} 回复率 ${pct(rateOf(o.replied, o.collected)).padStart(6)} 按期 ${pct(rateOf(o.onTime, o.handled)).padStart(6)} 逾期 ${String(o.overdue).padStart(3)}` +
      ` 纠纷 ${d.resolved}/${d.found} 化解率 ${pct(rateOf(d.resolved, d.found))} 隐患 ${h.rectified}/${h.found} 整改率 ${pct(rateOf(h.rectified, h.found))}` +
      ` | 评: ${rated.n} 人评价 满意率 ${pct(rateOf(rated.good, rated.n))}`
    );
  };
  console.log(`\n向人民报告 — 千警进万家、恳谈访民情 (${from} … ${to}; /v1/rates and /v1/satisfaction?channel=visits):`);
  console.log(await line(units.root.id, units.root.name));
  for (const b of units.branches) console.log(await line(b.id, b.name));
  const same = Object.entries(target).every(([k, x]) => got[k] === x);
  console.log(
    same
      ? `  the seed's figures come back exactly from /v1/rates: ${got.meetings} meetings, ${got.households} households, ${got.suggestions} suggestions of which ${got.rectified} rectified, ${got.disputes} disputes of which ${got.resolved} resolved, ${got.hazards} hazards of which ${got.hazardsRectified} rectified`
      : `  /v1/rates differs from what was filed: filed ${JSON.stringify(target)}, read ${JSON.stringify(got)}`,
  );
}

function k(id: string): string {
  return id.endsWith('1') ? '甲' : '乙';
}
