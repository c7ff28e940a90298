// Runs the bench's worker processes and reads their `RESULT <json>` line.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProcess } from './procs.mjs';

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
