// HTTP load of the case platform in its own process (autocannon), for a fixed time; prints `RESULT <json>` with
// throughput and latency percentiles, as http-load.mjs does for ratings.
//
//   node bench/workers/case-load.mjs '<json config>'
//   config: { url, kind: 'complaint' | 'step', connections, durationS, warmupS?, token (complaints:write and
//             cases:write), idPrefix?, units: [unitId…] (complaint), casePrefix (step) }
//   complaint: POST /v1/complaints, each a new id, filed for the units in turn, every second one with a contact
//              (so that sealing it under a new key is part of the cost, as it is for a hotline's calls).
//   step:      each connection walks one complaint at a time (`${casePrefix}-0`, -1, …: filed and not yet
//              stepped) through accept → handle → reply → callback → close, then takes the next: every request a
//              step its case's state allows, in order (autocannon keeps a connection's context through its sequence).
import autocannon from 'autocannon';
import { isoShanghai } from '../lib/util.mjs';

const cfg = JSON.parse(process.argv[2]);
let seq = 0;
let nextCase = 0;

let occurredAt = isoShanghai(Date.now() - 60_000);
const clock = setInterval(() => (occurredAt = isoShanghai(Date.now() - 1000)), 1000);
clock.unref();

const CATEGORIES = ['噪音扰民', '占道经营', '办事效率', '服务态度', '窗口秩序'];
const headers = { authorization: `Bearer ${cfg.token}`, 'content-type': 'application/json' };

function complaint() {
  const n = seq++;
  const body = {
    id: `${cfg.idPrefix}-${n}`,
    unitId: cfg.units[n % cfg.units.length],
    channel: 'hotline',
    category: CATEGORIES[n % CATEGORIES.length],
    text: '楼下夜宵摊凌晨两点仍在营业，噪音很大，多次反映未果，请尽快处理。',
    occurredAt,
    ...(n % 2 ? { contact: { name: '李先生', phone: `139${String(n % 1e8).padStart(8, '0')}` } } : {}),
  };
  return JSON.stringify(body);
}

const STEPS = [
  ['accept', { dueInWorkingDays: 5 }],
  ['handle', { summary: '已到现场处置，责令夜宵摊 22 点后停止营业' }],
  ['reply', { text: '已电话答复投诉人处理结果', via: 'phone' }],
  ['callback', { score: 4 }],
  ['close', {}],
];

const requests =
  cfg.kind === 'complaint'
    ? [{ method: 'POST', path: '/v1/complaints', setupRequest: (req) => ({ ...req, headers, body: complaint() }) }]
    : STEPS.map(([step, fields], k) => ({
        method: 'POST',
        setupRequest(req, context) {
          if (k === 0) {
            // Past the filed ones (too few for the run) a case is unknown: 404, counted as a failure.
            context.caseId = `${cfg.casePrefix}-${nextCase++}`;
            seq += 1;
          }
          return { ...req, path: `/v1/complaints/${context.caseId}/${step}`, headers, body: JSON.stringify({ stepId: `st-${k}`, occurredAt, ...fields }) };
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
      /** complaint: ids used (`${idPrefix}-0…`); step: complaints taken up. */
      idsUsed: cfg.kind === 'complaint' ? seq : nextCase,
      loadGeneratorCores: (cpu.user + cpu.system) / 1e6 / elapsedS,
    }) +
    '\n',
);
process.exit(0);
