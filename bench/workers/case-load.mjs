// HTTP load of the case platform in its own process (autocannon), for a fixed time; prints `RESULT <json>` with
// throughput and latency percentiles, as http-load.mjs does for ratings. One worker for every case kind it knows
// (complaints, opinions): the kind picks the filing's body and the walk of steps, the rest is the same.
//
//   node bench/workers/case-load.mjs '<json config>'
//   config: { url, kind: 'complaint' | 'opinion', action: 'file' | 'step', connections, durationS, warmupS?,
//             token (the kind's …:write and cases:write), units: [unitId…], idPrefix? (file), casePrefix (step) }
//   file: POST /v1/<kind>s, each a new id, filed for the units in turn, every second one with a contact (so that
//         sealing it under a new key is part of the cost, as it is for a hotline's calls or an officer's phone).
//   step: each connection walks one case at a time (`${casePrefix}-0`, -1, …: filed by a `file` run with that
//         prefix and not yet stepped) through its kind's steps, then takes the next: every request a step its
//         case's state allows, in order (autocannon keeps a connection's context through its sequence).
//         complaint: accept → handle → reply → callback → close;
//         opinion:   assign (to the unit it was filed for) → rectify, or explain every second one → reply → rate.
import autocannon from 'autocannon';
import { isoShanghai } from '../lib/util.mjs';

const cfg = JSON.parse(process.argv[2]);
let seq = 0;
let nextCase = 0;

let occurredAt = isoShanghai(Date.now() - 60_000);
const clock = setInterval(() => (occurredAt = isoShanghai(Date.now() - 1000)), 1000);
clock.unref();

const headers = { authorization: `Bearer ${cfg.token}`, 'content-type': 'application/json' };
const contact = (n) => (n % 2 ? { contact: { name: '李先生', phone: `139${String(n % 1e8).padStart(8, '0')}` } } : {});
/** The unit a filing `n` was made for (the step walk assigns opinions there: the filing's sequence is the case's). */
const unitOf = (n) => cfg.units[n % cfg.units.length];

const KINDS = {
  complaint: {
    path: '/v1/complaints',
    filing: (n) => ({
      id: `${cfg.idPrefix}-${n}`,
      unitId: unitOf(n),
      channel: 'hotline',
      category: ['噪音扰民', '占道经营', '办事效率', '服务态度', '窗口秩序'][n % 5],
      text: '楼下夜宵摊凌晨两点仍在营业，噪音很大，多次反映未果，请尽快处理。',
      occurredAt,
      ...contact(n),
    }),
    steps: [
      ['accept', () => ({ dueInWorkingDays: 5 })],
      ['handle', () => ({ summary: '已到现场处置，责令夜宵摊 22 点后停止营业' })],
      ['reply', () => ({ text: '已电话答复投诉人处理结果', via: 'phone' })],
      ['callback', () => ({ score: 4 })],
      ['close', () => ({})],
    ],
  },
  opinion: {
    path: '/v1/opinions',
    filing: (n) => ({
      id: `${cfg.idPrefix}-${n}`,
      unitId: unitOf(n),
      source: ['visit', 'meeting', 'hotline', 'wechat', 'reception'][n % 5],
      category: ['养犬管理', '律师会见难', '看守所探视', '交通秩序', '办事效率'][n % 5],
      // Verbatim text as residents say it: line breaks, full-width punctuation, an emoji.
      text: '小区里流浪狗越来越多，晚上叫个不停，\n孩子上学都害怕 😟 希望派出所和物业一起管一管。',
      occurredAt,
      ...contact(n),
    }),
    steps: [
      ['assign', (c) => ({ unitId: unitOf(c.n), dueInWorkingDays: 5 })],
      [(c) => (c.n % 2 ? 'explain' : 'rectify'), (c) => (c.n % 2 ? { text: '涉及市政规划，暂不具备条件，已说明原因' } : { summary: '已联合物业开展整治，收容流浪犬 6 只' })],
      ['reply', () => ({ text: '已上门向群众反馈办理结果', via: 'visit' })],
      ['rate', () => ({ score: 5 })],
    ],
  },
};

const kind = KINDS[cfg.kind];
if (!kind) throw new Error(`case-load: unknown kind ${cfg.kind}`);

const requests =
  cfg.action === 'file'
    ? [{ method: 'POST', path: kind.path, setupRequest: (req) => ({ ...req, headers, body: JSON.stringify(kind.filing(seq++)) }) }]
    : kind.steps.map(([step, fields], k) => ({
        method: 'POST',
        setupRequest(req, context) {
          if (k === 0) {
            // Past the filed ones (too few for the run) a case is unknown: 404, counted as a failure.
            context.n = nextCase++;
            context.caseId = `${cfg.casePrefix}-${context.n}`;
            seq += 1;
          }
          const name = typeof step === 'function' ? step(context) : step;
          return { ...req, path: `${kind.path}/${context.caseId}/${name}`, headers, body: JSON.stringify({ stepId: `st-${k}`, occurredAt, ...fields(context) }) };
        },
      }));

function run(durationS) {
  return new Promise((resolve, reject) => {
    const inst = autocannon(
      { url: cfg.url, connections: cfg.connections, duration: durationS, pipelining: 1, timeout: 30, requests },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    process.once('SIGTERM', () => inst.stop());
  });
}

if (cfg.warmupS) await run(cfg.warmupS);
const startedAt = Date.now();
const cpu0 = process.cpuUsage();
const r = await run(cfg.durationS);
const cpu = process.cpuUsage(cpu0);
const elapsedS = (Date.now() - startedAt) / 1000;
process.stdout.write(
  'RESULT ' +
    JSON.stringify({
      kind: cfg.kind,
      action: cfg.action,
      connections: cfg.connections,
      durationS: r.duration,
      elapsedS,
      requests: r.requests.total,
      ok: r['2xx'],
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: r.timeouts,
      requestsPerS: r['2xx'] / r.duration,
      itemsPerS: r['2xx'] / r.duration,
      latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, mean: r.latency.average },
      statusCodes: r.statusCodeStats,
      /** file: ids used (`${idPrefix}-0…`); step: cases taken up. */
      idsUsed: cfg.action === 'file' ? seq : nextCase,
      loadGeneratorCores: (cpu.user + cpu.system) / 1e6 / elapsedS,
    }) +
    '\n',
);
process.exit(0);
