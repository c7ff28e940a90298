// Small helpers shared by the runner, the scenarios and the workers: logging, statistics, ports, time limits.
import * as net from 'node:net';

const t0 = Date.now();

/** Progress on stderr, with seconds since the runner started. */
export function log(...parts) {
  const s = ((Date.now() - t0) / 1000).toFixed(1).padStart(7);
  process.stderr.write(`[bench ${s}s] ${parts.join(' ')}\n`);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** Nearest-rank p50/p90/p99, max and mean of raw samples (ms), sorted once; nulls when there are none. */
export function latencySummary(values) {
  const v = Float64Array.from(values).sort();
  const at = (p) => (v.length ? v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))] : null);
  return { p50: at(50), p90: at(90), p99: at(99), max: at(100), mean: v.length ? v.reduce((a, b) => a + b, 0) / v.length : null };
}

/**
 * A closed-loop load: `concurrency` loops call `op` until `durationS` have passed, timing each call (ms) when
 * `record`. A rejected call goes to `onError` (which may rethrow), or fails the run when there is none.
 */
export async function closedLoop({ concurrency, durationS, record, op, onError }) {
  const deadline = Date.now() + durationS * 1000;
  const latencies = [];
  let calls = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const t = process.hrtime.bigint();
        try {
          await op();
        } catch (err) {
          if (!onError) throw err;
          onError(err);
          continue;
        }
        calls++;
        if (record) latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  return { calls, latencies, elapsedS: Number(process.hrtime.bigint() - started) / 1e9 };
}

export function round(x, digits = 2) {
  if (x === null || x === undefined || !Number.isFinite(x)) return x ?? null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** A TCP port nobody listens on right now (asks the kernel for one). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export class TimeoutError extends Error {}

/** Rejects when `promise` has not settled within `ms`. */
export function withTimeout(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** Runs `fn` until it returns a truthy value or `ms` pass. */
export async function waitFor(fn, ms, what, every = 250) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new TimeoutError(`${what} not reached within ${Math.round(ms / 1000)} s${last ? ` (last error: ${last.message})` : ''}`);
    await sleep(every);
  }
}

/** YYYY-MM-DD of an instant in a time zone. */
export function localDate(ms, timeZone) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(ms));
  const get = (t) => parts.find((p) => p.type === t).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** An ISO 8601 time with a fixed +08:00 offset (the bureau's clock), as terminals send it. */
export function isoShanghai(ms) {
  return new Date(ms + 8 * 3600_000).toISOString().replace('Z', '+08:00');
}

/** Prints rows (arrays) as an aligned text table. */
export function table(header, rows) {
  const all = [header, ...rows].map((r) => r.map((c) => (c === null || c === undefined ? '–' : String(c))));
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(all[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}
