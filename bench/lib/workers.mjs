// Runs the bench's worker processes and reads their `RESULT <json>` line.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProcess, startProcess } from './procs.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const WORKERS = path.resolve(HERE, '../workers');

export async function runWorker(name, file, config, { timeoutMs, nodeArgs = [], env = {} } = {}) {
  const limit = timeoutMs ?? ((config.durationS ?? 60) + (config.warmupS ?? 0)) * 1000 + 60_000;
  const r = await runProcess(name, process.execPath, [...nodeArgs, path.join(WORKERS, file), JSON.stringify(config)], { timeoutMs: limit, env });
  const line = r.output.split('\n').find((l) => l.startsWith('RESULT '));
  if (r.code !== 0 || !line) throw new Error(`${name} failed (exit ${r.code ?? r.signal}):\n${r.output.slice(-3000)}`);
  return JSON.parse(line.slice(7));
}

export const httpLoad = (name, config, opts) => runWorker(name, 'http-load.mjs', config, opts);
export const dbLoad = (name, config, opts) => runWorker(name, 'db-load.mjs', config, opts);

/** Starts a worker that runs until stopped (SIGTERM makes it print its RESULT and exit). */
export function startWorker(name, file, config, { nodeArgs = [], env = {} } = {}) {
  const p = startProcess(name, process.execPath, [...nodeArgs, path.join(WORKERS, file), JSON.stringify(config)], { env });
  const result = p.exited.then(({ code, signal }) => {
    const line = p.output().split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) throw new Error(`${name} failed (exit ${code ?? signal}):\n${p.output().slice(-3000)}`);
    return JSON.parse(line.slice(7));
  });
  result.catch(() => undefined);
  return {
    pid: p.pid,
    result,
    /** Asks it to finish (it prints its figures), then waits for them. */
    async finish(ms = 20_000) {
      try {
        process.kill(p.pid, 'SIGTERM');
      } catch {
        /* already done */
      }
      const timer = setTimeout(() => void p.stop(1000), ms);
      try {
        return await result;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
