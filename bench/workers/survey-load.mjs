// Survey responses over HTTP in their own process (autocannon), for a fixed time; prints `RESULT <json>` with
// throughput and latency percentiles, as http-load.mjs does for ratings.
//
//   node bench/workers/survey-load.mjs '<json config>'
//   config: { url, surveyId, connections, durationS, warmupS?, idPrefix, mode: 'token' | 'client',
//             tokensFile + from + count (token: this process's share of the invitation tokens, one line each),
//             clientToken (client: a client with surveys:write) }
//   token:  POST /v1/surveys/{id}/responses with the next unused token in the body and no Authorization — the
//           anonymous path (the token's use, then the response through the ~25 ms mixing window).
//   client: the same responses by a surveys:write client (no token, no mixing): what the window and the token's
//           own transaction cost, measured beside it.
// Each response has its own token: past its share the worker stops at once (`exhausted` in the result) rather than
// send a used token (409) — the scenario issues enough for the rate it expects.
import * as fs from 'node:fs';
import autocannon from 'autocannon';
import { isoShanghai } from '../lib/util.mjs';
import { bodyOf } from '../lib/survey-answers.mjs';

const cfg = JSON.parse(process.argv[2]);
const tokens = cfg.mode === 'token' ? fs.readFileSync(cfg.tokensFile, 'utf8').split('\n').slice(cfg.from, cfg.from + cfg.count) : [];
let seq = 0;
let nextToken = 0;
let exhausted = false;
let current = null;

let submittedAt = isoShanghai(Date.now() - 60_000);
const clock = setInterval(() => (submittedAt = isoShanghai(Date.now() - 1000)), 1000);
clock.unref();

const headers = cfg.mode === 'token' ? { 'content-type': 'application/json' } : { authorization: `Bearer ${cfg.clientToken}`, 'content-type': 'application/json' };
const request = {
  method: 'POST',
  path: `/v1/surveys/${cfg.surveyId}/responses`,
  setupRequest(req) {
    const n = seq++;
    let token;
    if (cfg.mode === 'token') {
      token = tokens[nextToken++];
      if (!token) {
        // Out of tokens: end the run now; the request still goes, with a token that fails (403), and is not counted.
        if (!exhausted) {
          exhausted = true;
          setImmediate(() => current?.stop());
        }
        token = 'mi_00_' + 'x'.repeat(32);
      }
    }
    return { ...req, headers, body: bodyOf(`${cfg.idPrefix}-${n}`, n, submittedAt, token) };
  },
};

function run(durationS) {
  return new Promise((resolve, reject) => {
    current = autocannon(
      { url: cfg.url, connections: cfg.connections, duration: durationS, pipelining: 1, timeout: 30, requests: [request] },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    process.once('SIGTERM', () => current.stop());
  });
}

if (cfg.warmupS) await run(cfg.warmupS);
const startedAt = Date.now();
const cpu0 = process.cpuUsage();
const usedBefore = nextToken;
const r = await run(cfg.durationS);
const cpu = process.cpuUsage(cpu0);
const elapsedS = (Date.now() - startedAt) / 1000;
process.stdout.write(
  'RESULT ' +
    JSON.stringify({
      mode: cfg.mode,
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
      idsUsed: seq,
      tokensGiven: tokens.length,
      tokensUsed: Math.min(nextToken, tokens.length),
      tokensUsedMeasured: Math.min(nextToken, tokens.length) - usedBefore,
      exhausted,
      loadGeneratorCores: (cpu.user + cpu.system) / 1e6 / elapsedS,
    }) +
    '\n',
);
process.exit(0);
