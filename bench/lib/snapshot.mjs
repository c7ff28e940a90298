// Other engineers rebuild dist/ while the bench runs. So the runner copies the build it was started with
// into bench/.snapshot/<hash>/dist (inside the repository, so that packages still resolve from
// node_modules) and runs every process from that copy: all scenarios of one run measure one build.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = path.resolve(BENCH, '..');
const SNAPSHOTS = path.join(BENCH, '.snapshot');

function files(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) files(p, out);
    else if (e.isFile() && !e.name.endsWith('.map')) out.push(p);
  }
  return out;
}

/** Copies dist/ (if not already copied), points BENCH_DIST at the copy, and describes the build. */
export function snapshotDist() {
  const src = path.join(ROOT, 'dist');
  const list = files(src).sort();
  const hash = createHash('sha256');
  let newest = 0;
  for (const f of list) {
    hash.update(path.relative(src, f)).update('\0').update(fs.readFileSync(f));
    newest = Math.max(newest, fs.statSync(f).mtimeMs);
  }
  const id = hash.digest('hex').slice(0, 12);
  const dir = path.join(SNAPSHOTS, id, 'dist');
  if (!fs.existsSync(path.join(dir, 'apps/minyi/src/main.js'))) {
    fs.rmSync(path.join(SNAPSHOTS, id), { recursive: true, force: true });
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.cpSync(src, dir, { recursive: true });
  }
  // This runner uses it (another runner, started meanwhile on another build, must not remove it).
  fs.writeFileSync(path.join(SNAPSHOTS, id, `runner-${process.pid}`), '');
  // Older snapshots are of no use any more, unless a runner that is still alive measures one.
  removeUnused(id);
  process.env.BENCH_DIST = dir;
  return { id, files: list.length, builtAt: new Date(newest).toISOString(), dir: path.relative(ROOT, dir) };
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
};

/** Removes every snapshot but `keep` that no live runner uses (each runner marks its own with runner-<pid>). */
function removeUnused(keep) {
  for (const other of fs.existsSync(SNAPSHOTS) ? fs.readdirSync(SNAPSHOTS) : []) {
    if (other === keep) continue;
    const dir = path.join(SNAPSHOTS, other);
    const runners = fs.readdirSync(dir).filter((f) => f.startsWith('runner-')).map((f) => Number(f.slice(7)));
    if (!runners.some((pid) => pid !== process.pid && alive(pid))) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** At the end of a run: this runner's snapshot and every other no live runner uses. */
export function removeSnapshots() {
  removeUnused(null);
}

/** The dist/ the bench runs: the snapshot when there is one, else the repository's. */
export function distDir() {
  return process.env.BENCH_DIST || path.join(ROOT, 'dist');
}
