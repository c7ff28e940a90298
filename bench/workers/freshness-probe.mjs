// Freshness probe in its own process: posts one rating at a time from a probe terminal (its own window), and
// from its 202 polls /v1/satisfaction for that window until the rating is counted. Prints `RESULT <json>`.
//
//   node bench/workers/freshness-probe.mjs '<json config>'
//   config: { url, readUrl?, probeKey, readerToken, windowId, probes, gapMs, pollMs, timeZone, idPrefix, timeoutMs }
//   (url takes the ratings; readUrl, if another process serves analytics, the reads)
import { isoShanghai, latencySummary, localDate as localDateIn, sleep } from '../lib/util.mjs';

const cfg = JSON.parse(process.argv[2]);
const localDate = (ms) => localDateIn(ms, cfg.timeZone);

async function counted() {
  const day = localDate(Date.now());
  const r = await fetch(`${cfg.readUrl ?? cfg.url}/v1/satisfaction?scope=window:${cfg.windowId}&granularity=year&from=${day}&to=${day}`, {
    headers: { authorization: `Bearer ${cfg.readerToken}` },
  });
  if (r.status !== 200) throw new Error(`satisfaction → ${r.status}: ${await r.text()}`);
  const body = await r.json();
  return body.series.reduce((a, s) => a + s.n, 0);
}

const freshness = [];
const acks = [];
let timeouts = 0;
let polls = 0;
let expected = await counted();
for (let i = 0; i < cfg.probes; i++) {
  const sent = performance.now();
  const r = await fetch(`${cfg.url}/v1/ratings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${cfg.probeKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id: `${cfg.idPrefix}-${i}`, score: 5, occurredAt: isoShanghai(Date.now() - 1000) }),
  });
  const acked = performance.now();
  await r.text();
  if (r.status !== 202) throw new Error(`probe rating → ${r.status}`);
  acks.push(acked - sent);
  expected += 1;
  for (;;) {
    polls++;
    const n = await counted();
    const now = performance.now();
    if (n >= expected) {
      freshness.push(now - acked);
      break;
    }
    if (now - acked > cfg.timeoutMs) {
      timeouts++;
      freshness.push(now - acked);
      expected = n; // resynchronise
      break;
    }
    await sleep(cfg.pollMs);
  }
  await sleep(cfg.gapMs);
}

const f = latencySummary(freshness);
const a = latencySummary(acks);
process.stdout.write(
  'RESULT ' +
    JSON.stringify({
      probes: cfg.probes,
      timeouts,
      polls,
      freshnessMs: { p50: f.p50, p90: f.p90, p99: f.p99, max: f.max, samples: freshness.map((x) => Math.round(x * 10) / 10) },
      ackMs: { p50: a.p50, p99: a.p99 },
    }) +
    '\n',
);
process.exit(0);
