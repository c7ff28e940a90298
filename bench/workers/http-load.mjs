// HTTP load in its own process (autocannon): POSTs unique ratings (single or batches) or repeats a GET,
// for a fixed time, and prints `RESULT <json>` with throughput and latency percentiles.
//
//   node bench/workers/http-load.mjs '<json config>'
//   config: { url, kind: 'single'|'batch'|'get', path, connections, durationS, keys: [bearer…],
//             batchSize?, idPrefix?, overallRate?, warmupS?, scores? (the scores sent in turn; default SCORES) }
import autocannon from 'autocannon';
import { isoShanghai } from '../lib/util.mjs';

const cfg = JSON.parse(process.argv[2]);
const keys = cfg.keys;
let seq = 0;
let k = 0;

// Scores as citizens press them (mostly satisfied), deterministic per id.
// 3 in 20 are bad (1 or 2): each opens a follow-up (the follow-up reactor's command, then the cases projection's rows).
const SCORES = cfg.scores ?? [5, 5, 5, 5, 5, 5, 4, 4, 3, 2, 1, 5, 4, 5, 5, 4, 5, 2, 5, 5];

let occurredAt = isoShanghai(Date.now() - 60_000);
const clock = setInterval(() => (occurredAt = isoShanghai(Date.now() - 1000)), 1000);
clock.unref();

function rating() {
  const n = seq++;
  return `{"id":"${cfg.idPrefix}-${n}","score":${SCORES[n % SCORES.length]},"occurredAt":"${occurredAt}"}`;
}

function body() {
  if (cfg.kind === 'single') return rating();
  const items = [];
  for (let i = 0; i < cfg.batchSize; i++) items.push(rating());
  return `{"ratings":[${items.join(',')}]}`;
}

const method = cfg.kind === 'get' ? 'GET' : 'POST';
const request = {
  method,
  path: cfg.path,
  setupRequest(req) {
    const key = keys[k++ % keys.length];
    const headers = { authorization: `Bearer ${key}` };
    if (method === 'GET') return { ...req, headers };
    headers['content-type'] = 'application/json';
    return { ...req, headers, body: body() };
  },
};

function run(durationS) {
  return new Promise((resolve, reject) => {
    const inst = autocannon(
      {
        url: cfg.url,
        connections: cfg.connections,
        duration: durationS,
        pipelining: 1,
        timeout: 30,
        requests: [request],
        ...(cfg.overallRate ? { overallRate: cfg.overallRate } : {}),
      },
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
const ok = r['2xx'];
const perRequest = cfg.kind === 'batch' ? cfg.batchSize : 1;
process.stdout.write(
  'RESULT ' +
    JSON.stringify({
      kind: cfg.kind,
      connections: cfg.connections,
      durationS: r.duration,
      elapsedS,
      requests: r.requests.total,
      ok,
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: r.timeouts,
      requestsPerS: ok / r.duration,
      itemsPerS: (ok * perRequest) / r.duration,
      latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, mean: r.latency.average },
      statusCodes: r.statusCodeStats,
      idsUsed: seq,
      loadGeneratorCores: (cpu.user + cpu.system) / 1e6 / elapsedS,
    }) +
    '\n',
);
process.exit(0);
