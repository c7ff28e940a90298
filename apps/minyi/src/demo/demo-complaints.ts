// The demo's complaints and bad-rating follow-ups, in the seeds' world: reports through a city app about the
// "four nots" (不安全、不文明、不卫生、不方便 — seed 001's 星城园丁), 12345-style hotline calls, letters and a leader's
// reception day (开门大接访, seed 004), each walked through accept, escalate, handle, reply, callback, reopen and
// close with deadlines in working days; then the follow-ups that the live bad ratings opened are verified,
// rectified and called back — and the figures units answer for (处理率, 差评整改率, 回访率) are printed.
import { randomUUID } from 'node:crypto';
import type { ApiClient } from '@minyi/platform';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** An illustrative working-day calendar for the current year (real ones follow the State Council's notice). */
export function demoCalendar(year: number) {
  const d = (m: number, day: number) => `${year}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return {
    holidays: [d(1, 1), d(1, 2), d(5, 1), d(5, 4), d(5, 5), d(10, 1), d(10, 2), d(10, 5), d(10, 6), d(10, 7)],
    workdays: [d(4, 26), d(9, 27), d(10, 10)],
  };
}

interface DemoComplaint {
  channel: 'app' | 'hotline' | 'wechat' | 'mailbox' | 'in_person' | 'reception' | 'letter';
  category: string;
  text: string;
}

/** What people report, in their own words (text is kept exactly as sent). */
const COMPLAINTS: DemoComplaint[] = [
  { channel: 'app', category: '不文明·无证养狗', text: '小区有人无证养狗，大型犬不拴绳，晚上在楼下吠叫，孩子不敢下楼。' },
  { channel: 'app', category: '不卫生·乱扔垃圾', text: '小区有人乱扔垃圾，3号楼后面堆了一周没人清理。' },
  { channel: 'app', category: '不安全·消防通道', text: '单元门口电动车长期堵住消防通道，还有人在楼道里充电。' },
  { channel: 'app', category: '不方便·占道经营', text: '早市占道经营，路口每天早上堵车，救护车都过不去。' },
  { channel: 'hotline', category: '噪音扰民', text: '楼下烧烤店每天营业到凌晨两点，噪音和油烟严重扰民，多次反映没有结果。' },
  { channel: 'hotline', category: '窗口服务', text: '在派出所办居住证，材料清单和网上公布的不一致，来回跑了三趟。' },
  { channel: 'hotline', category: '接处警', text: '报警后四十分钟才有民警到场，希望加快出警速度。' },
  { channel: 'wechat', category: '交通秩序', text: '学校门口上下学时段乱停车严重，希望增派警力疏导。' },
  { channel: 'mailbox', category: '执法监督', text: '反映交警执法时态度生硬，未出示证件。' },
  { channel: 'letter', category: '户籍', text: '老人户口迁移手续办理多年未果，请求协调。' },
  { channel: 'reception', category: '信访', text: '开门大接访日当面反映：邻里宅基地纠纷多年未化解，请求领导包案。' },
];

export interface ComplaintsDemo {
  filed: number;
  stepsTaken: number;
  followUpsWalked: number;
}

async function step(client: ApiClient, kind: string, id: string, name: string, at: number, fields: Record<string, unknown>): Promise<string> {
  const r = await client.post(`/v1/${kind}/${id}/${name}`, { stepId: randomUUID(), occurredAt: new Date(at).toISOString(), ...fields });
  if (r.status !== 200) throw new Error(`${kind} ${id} ${name}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.state as string;
}

/**
 * Files and walks `count` complaints over the last 60 days at the demo's stations. Each complaint follows a
 * believable path; some are handled late, some escalated, reopened, or closed for good.
 */
export async function runComplaintsDemo(
  admin: ApiClient,
  client: (token: string) => ApiClient,
  stations: { id: string; branch: string }[],
  run: string,
  random: () => number,
  count: number,
): Promise<ComplaintsDemo> {
  const year = new Date().getFullYear();
  for (const y of [year - 1, year]) {
    const r = await admin.request('PUT', `/v1/calendar/${y}`, demoCalendar(y));
    if (r.status !== 200) throw new Error(`calendar ${y}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  }
  const token = async (id: string, scopes: string[], unitId?: string) => {
    const r = await admin.post('/v1/clients', { id, name: id, scopes, ...(unitId ? { unitId } : {}) });
    if (r.status !== 201) throw new Error(`client ${id}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return client(r.body.token as string);
  };
  // The city app and the hotline file for every unit; the bureau's complaints desk takes steps anywhere.
  const app = await token(`demo-${run}-app`, ['complaints:write']);
  const hotline = await token(`demo-${run}-12345`, ['complaints:write']);
  const desk = await token(`demo-${run}-desk`, ['cases:write']);
  const now = Date.now();
  let stepsTaken = 0;
  for (let i = 0; i < count; i++) {
    const c = COMPLAINTS[Math.floor(random() * COMPLAINTS.length)];
    const station = stations[Math.floor(random() * stations.length)];
    const filedAt = now - (1 + random() * 58) * DAY;
    const id = `demo-${run}-c${i}`;
    const filer = c.channel === 'app' || c.channel === 'wechat' ? app : hotline;
    const contact = random() < 0.6 ? { name: ['张女士', '李先生', '王阿姨', '刘师傅'][i % 4], phone: `139${String(10_000_000 + Math.floor(random() * 89_999_999)).slice(0, 8)}` } : undefined;
    const filed = await filer.post('/v1/complaints', { id, unitId: station.id, channel: c.channel, category: c.category, text: c.text, occurredAt: new Date(filedAt).toISOString(), ...(contact ? { contact } : {}) });
    if (filed.status !== 202) throw new Error(`complaint ${id}: HTTP ${filed.status} ${JSON.stringify(filed.body)}`);
    // A path through the steps: most are accepted and handled in time; some stay open, some are late.
    const fate = random();
    let at = filedAt + HOUR * (1 + random() * 5);
    if (fate < 0.06) continue; // just filed, not yet accepted
    const escalate = c.channel === 'reception' || random() < 0.1;
    if (escalate) await step(desk, 'complaints', id, 'escalate', at, { unitId: station.branch, reason: '涉及多部门，提级办理', dueInWorkingDays: 10 });
    else await step(desk, 'complaints', id, 'accept', at, { dueInWorkingDays: 15 });
    stepsTaken += 1;
    if (fate < 0.15) continue; // accepted, still being handled (overdue if its deadline passed)
    const late = random() < 0.12;
    at += (late ? 20 + random() * 20 : 1 + random() * 12) * DAY;
    if (at > now - HOUR) continue;
    await step(desk, 'complaints', id, 'handle', at, { summary: late ? '经多次协调处理完毕' : '已联系相关部门现场处置' });
    at += HOUR * (2 + random() * 20);
    if (at > now || fate < 0.2) {
      stepsTaken += 1;
      continue;
    }
    await step(desk, 'complaints', id, 'reply', at, { text: '您反映的问题已处理，感谢监督。', via: random() < 0.7 ? 'phone' : 'sms' });
    at += HOUR * (4 + random() * 40);
    stepsTaken += 2;
    if (at > now || fate < 0.3) continue;
    const score = late ? (random() < 0.5 ? 2 : 3) : random() < 0.85 ? (random() < 0.6 ? 5 : 4) : 2;
    await step(desk, 'complaints', id, 'callback', at, { score });
    stepsTaken += 1;
    at += HOUR * 2;
    if (at > now) continue;
    if (score <= 2 && random() < 0.5) {
      await step(desk, 'complaints', id, 'reopen', at, { reason: '回访不满意，重新办理' });
      stepsTaken += 1;
      continue;
    }
    await step(desk, 'complaints', id, 'close', at, { final: c.channel === 'reception' });
    stepsTaken += 1;
  }
  return { filed: count, stepsTaken, followUpsWalked: 0 };
}

/**
 * Walks the follow-ups the live bad ratings opened (from the ledger): most are verified and rectified, and the
 * rater called back; one in twelve is found invalid on appeal (申诉复核), which voids its rating.
 */
export async function walkFollowUps(reader: ApiClient, desk: ApiClient, rootUnit: string, random: () => number): Promise<number> {
  const page = await reader.get(`/v1/followups?scope=unit:${rootUnit}&state=open&limit=200`);
  if (page.status !== 200) throw new Error(`follow-ups ledger: HTTP ${page.status} ${JSON.stringify(page.body)}`);
  let walked = 0;
  for (const f of page.body.items as { id: string; occurredAt: string }[]) {
    const fate = random();
    if (fate < 0.2) continue; // still open
    let at = Math.max(Date.parse(f.occurredAt) + 60_000, Date.now() - 30_000);
    if (fate < 0.28) {
      await step(desk, 'followups', f.id, 'verify', at, { valid: false, reason: '申诉复核：评价器误触，经视频核实作废' });
    } else {
      await step(desk, 'followups', f.id, 'verify', at, { valid: true });
      at += 1000;
      await step(desk, 'followups', f.id, 'rectify', at, { summary: '窗口增设材料清单公示牌，叫号系统提示等候时长' });
      at += 1000;
      if (fate < 0.85) await step(desk, 'followups', f.id, 'callback', at, { score: random() < 0.8 ? 4 : 3 });
    }
    walked += 1;
  }
  return walked;
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

/** The figures units answer for, this year at the bureau and per branch. */
export async function printRates(reader: ApiClient, rootUnit: string, branches: { id: string; name: string }[]): Promise<void> {
  const year = String(new Date().getFullYear());
  const from = `${year}-01-01`;
  const to = new Date().toISOString().slice(0, 10);
  const line = async (unitId: string, name: string) => {
    const [rates, sat] = await Promise.all([
      reader.get(`/v1/rates?scope=unit:${unitId}&granularity=year&from=${from}&to=${to}`),
      reader.get(`/v1/satisfaction?scope=unit:${unitId}&granularity=year&from=${from}&to=${to}`),
    ]);
    const c = rates.body.series?.[0]?.complaints ?? {};
    const f = rates.body.series?.[0]?.followups ?? {};
    const s = sat.body.series?.[0] ?? {};
    return `  ${name.padEnd(10)} 投诉 ${String(c.filed ?? 0).padStart(4)} 处理率 ${pct(c.handlingRate).padStart(6)} 按期 ${pct(c.onTimeRate).padStart(6)} 逾期 ${String(c.overdue ?? 0).padStart(3)} 回访满意 ${pct(c.callbackSatisfactionRate).padStart(6)} | 差评 ${String(f.opened ?? 0).padStart(3)} 整改率 ${pct(f.rectificationRate).padStart(6)} 回访率 ${pct(f.callbackRate).padStart(6)} 作废 ${f.invalid ?? 0} | 满意率 ${pct(s.satisfactionRate)}`;
  };
  console.log(`\n${year} 向人民报告 — 投诉处理 · 差评整改 · 满意度:`);
  console.log(await line(rootUnit, '包头市公安局'));
  for (const b of branches) console.log(await line(b.id, b.name));
}
