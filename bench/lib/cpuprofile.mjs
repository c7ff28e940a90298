// Summarises a V8 .cpuprofile (node --cpu-prof): self and inclusive time by function and by package.
//   node bench/lib/cpuprofile.mjs <file.cpuprofile> [top=30]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

function category(url, name) {
  if (!url) return name.startsWith('(') ? name : '(native / builtins)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0] === 'internal' ? 'internal/' + url.split('/')[2] : url.slice(5)}`;
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const d = url.indexOf('/dist/');
  if (d >= 0) return `minyi ${url.slice(d + 6).split('/').slice(0, 2).join('/')}`;
  return path.basename(url);
}

/**
 * `lastS`: only the samples of the profile's last `lastS` seconds (e.g. the measured run before shutdown), ending
 * `skipS` seconds before the profile's end (what followed the measured run: draining, shutting down).
 */
export function summarise(file, top = 30, { lastS = null, skipS = 0 } = {}) {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
  const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Self time per node from the samples and their time deltas (µs).
  const self = new Map();
  const times = [];
  let t = prof.startTime;
  for (let i = 0; i < prof.samples.length; i++) {
    t += prof.timeDeltas[i] ?? 0;
    times.push(t);
  }
  const to = prof.endTime - skipS * 1e6;
  const from = lastS ? to - lastS * 1e6 : -Infinity;
  for (let i = 0; i < prof.samples.length; i++) {
    if (times[i] < from || times[i] > to) continue;
    const id = prof.samples[i];
    const dt = prof.timeDeltas[i] ?? 0;
    self.set(id, (self.get(id) ?? 0) + dt);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const key = (n) => {
    const f = n.callFrame;
    const file = f.url ? f.url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules|dist)\//, '$1/') : '';
    return `${f.functionName || '(anonymous)'} ${file}${f.url ? `:${f.lineNumber + 1}` : ''}`;
  };
  const selfBy = new Map();
  const inclBy = new Map();
  /** Inclusive time by minyi source file (and by package outside minyi): what each part of the code costs with its callees. */
  const inclFile = new Map();
  const fileOf = (n) => {
    const url = n.callFrame.url;
    if (!url) return null;
    const d = url.indexOf('/dist/');
    if (d >= 0 && !url.includes('node_modules/')) return `minyi ${url.slice(d + 6)}`;
    const c = category(url, n.callFrame.functionName);
    return c.startsWith('node:') ? null : c;
  };
  const catSelf = new Map();
  let idle = 0;
  for (const [id, us] of self) {
    const n = nodes.get(id);
    const k = key(n);
    if (n.callFrame.functionName === '(idle)') idle += us;
    selfBy.set(k, (selfBy.get(k) ?? 0) + us);
    const c = category(n.callFrame.url, n.callFrame.functionName);
    catSelf.set(c, (catSelf.get(c) ?? 0) + us);
    const seen = new Set();
    const seenFiles = new Set();
    for (let p = id; p !== undefined; p = parent.get(p)) {
      const pn = nodes.get(p);
      const f = fileOf(pn);
      if (f && !seenFiles.has(f)) {
        seenFiles.add(f);
        inclFile.set(f, (inclFile.get(f) ?? 0) + us);
      }
      const pk = key(pn);
      if (seen.has(pk)) continue;
      seen.add(pk);
      inclBy.set(pk, (inclBy.get(pk) ?? 0) + us);
    }
  }
  const busy = total - idle;
  const pct = (us) => Math.round((us / busy) * 1000) / 10;
  const sorted = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return {
    file: path.basename(file) + (lastS ? ` (last ${lastS} s${skipS ? ` before the last ${Math.round(skipS * 10) / 10} s` : ''})` : ''),
    wallSeconds: Math.round(total / 1e4) / 100,
    busySeconds: Math.round(busy / 1e4) / 100,
    idleShare: Math.round((idle / total) * 1000) / 10,
    byPackageSelfPct: sorted(catSelf).filter(([k]) => k !== '(idle)').slice(0, top).map(([k, us]) => [k, pct(us)]),
    topSelfPct: sorted(selfBy).filter(([k]) => !k.startsWith('(idle)')).slice(0, top).map(([k, us]) => [k, pct(us)]),
    topInclusiveFilePct: sorted(inclFile).slice(0, top).map(([k, us]) => [k, pct(us)]),
    topInclusivePct: sorted(inclBy).filter(([k]) => !k.startsWith('(root)') && !k.startsWith('(idle)')).slice(0, top).map(([k, us]) => [k, pct(us)]),
  };
}

export function formatSummary(s) {
  const lines = [`# ${s.file}: ${s.wallSeconds} s profiled, ${s.busySeconds} s on CPU (idle ${s.idleShare}%) — percentages of on-CPU time`, '', '## self time by package'];
  for (const [k, p] of s.byPackageSelfPct) lines.push(`${String(p).padStart(6)}%  ${k}`);
  lines.push('', '## self time by function');
  for (const [k, p] of s.topSelfPct) lines.push(`${String(p).padStart(6)}%  ${k}`);
  if (s.topInclusiveFilePct) {
    lines.push('', '## inclusive time by source file (minyi) and package');
    for (const [k, p] of s.topInclusiveFilePct) lines.push(`${String(p).padStart(6)}%  ${k}`);
  }
  lines.push('', '## inclusive time by function');
  for (const [k, p] of s.topInclusivePct) lines.push(`${String(p).padStart(6)}%  ${k}`);
  return lines.join('\n') + '\n';
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [file, top] = process.argv.slice(2);
  process.stdout.write(formatSummary(summarise(file, Number(top ?? 30))));
}
