// Query latency in its own process: `connections` keep-alive loops repeat one GET for a fixed time, timing
// each answer with a microsecond clock (autocannon rounds to whole milliseconds). Prints `RESULT <json>`.
//
//   node bench/workers/http-get.mjs '<json config>'   config: { url, path, token, connections, durationS, warmupS? }
import * as http from 'node:http';

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

async function run(durationS, record) {
  const deadline = Date.now() + durationS * 1000;
  const latencies = [];
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let bytes = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: cfg.connections }, async () => {
      while (Date.now() < deadline) {
        const t = process.hrtime.bigint();
        try {
          const r = await get();
          const ms = Number(process.hrtime.bigint() - t) / 1e6;
          if (r.status >= 200 && r.status < 300) ok++;
          else non2xx++;
          bytes = r.size;
          if (record) latencies.push(ms);
        } catch {
          errors++;
        }
      }
    }),
  );
  return { ok, non2xx, errors, bytes, latencies, elapsedS: Number(process.hrtime.bigint() - started) / 1e9 };
}

function pct(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

if (cfg.warmupS) await run(cfg.warmupS, false);
const r = await run(cfg.durationS, true);
const sorted = Float64Array.from(r.latencies).sort();
const r3 = (x) => (x === null || x === undefined ? null : Math.round(x * 1000) / 1000);
process.stdout.write(
  'RESULT ' +
    JSON.stringify({
      connections: cfg.connections,
      elapsedS: r.elapsedS,
      requests: r.ok + r.non2xx,
      ok: r.ok,
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: 0,
      responseBytes: r.bytes,
      requestsPerS: r.ok / r.elapsedS,
      latencyMs: { p50: r3(pct(sorted, 50)), p90: r3(pct(sorted, 90)), p99: r3(pct(sorted, 99)), max: r3(sorted.at(-1)), mean: r3(sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1)) },
    }) +
    '\n',
);
agent.destroy();
process.exit(0);
