// Query latency in its own process: `connections` keep-alive loops repeat one GET for a fixed time, timing
// each answer with a microsecond clock (autocannon rounds to whole milliseconds). Prints `RESULT <json>`.
//
//   node bench/workers/http-get.mjs '<json config>'   config: { url, path, token, connections, durationS, warmupS? }
import * as http from 'node:http';
import { closedLoop, latencySummary } from '../lib/util.mjs';

const cfg = JSON.parse(process.argv[2]);
const target = new URL(cfg.path, cfg.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: cfg.connections });

function get() {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: 'GET', agent, headers: { authorization: `Bearer ${cfg.token}` } },
      (res) => {
        let size = 0;
        res.on('data', (c) => (size += c.length));
        res.on('end', () => resolve({ status: res.statusCode, size }));
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

let ok = 0;
let non2xx = 0;
let errors = 0;
let bytes = 0;
const run = (durationS, record) =>
  closedLoop({
    concurrency: cfg.connections,
    durationS,
    record,
    op: async () => {
      const r = await get();
      if (r.status >= 200 && r.status < 300) ok++;
      else non2xx++;
      bytes = r.size;
    },
    onError: () => errors++,
  });

if (cfg.warmupS) {
  await run(cfg.warmupS, false);
  ok = non2xx = errors = 0;
}
const r = await run(cfg.durationS, true);
const latency = latencySummary(r.latencies);
const r3 = (x) => (x === null || x === undefined ? null : Math.round(x * 1000) / 1000);
process.stdout.write(
  'RESULT ' +
    JSON.stringify({
      connections: cfg.connections,
      elapsedS: r.elapsedS,
      requests: ok + non2xx,
      ok,
      non2xx,
      errors, // a request timing out (30 s) is an error too
      timeouts: 0,
      responseBytes: bytes,
      requestsPerS: ok / r.elapsedS,
      latencyMs: Object.fromEntries(Object.entries(latency).map(([k, v]) => [k, r3(v)])),
    }) +
    '\n',
);
agent.destroy();
process.exit(0);
