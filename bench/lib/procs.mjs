// Every process the bench starts goes through here, so that all of them (and their children, such as an
// embedded PostgreSQL) are ended by id when a scenario finishes, fails, times out or the runner is interrupted.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { log, sleep } from './util.mjs';

const started = new Set(); // { pid, name, child, exited }
const postmasterFiles = new Set(); // postmaster.pid files of embedded PostgreSQLs we caused to start
const tempDirs = new Set();

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/**
 * Starts a command as the leader of its own process group (so that its children can be ended with it).
 * Returns { pid, child, exited: Promise<{code, signal}>, output(): string (last 64 KiB of stdout+stderr) }.
 */
export function startProcess(name, command, args, { env = {}, cwd = process.cwd(), onLine, echo = false } = {}) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (chunk) => {
    tail = (tail + chunk).slice(-65536);
  };
  let pending = '';
  const lines = (chunk) => {
    pending += chunk;
    let i;
    while ((i = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, i);
      pending = pending.slice(i + 1);
      if (echo) process.stderr.write(`  [${name}] ${line}\n`);
      onLine?.(line);
    }
  };
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (c) => (keep(c), lines(c)));
  child.stderr.on('data', (c) => (keep(c), lines(c)));
  const entry = { pid: child.pid, name, child };
  entry.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  entry.exited.then(() => started.delete(entry));
  child.on('error', (err) => log(`${name}: ${err.message}`));
  started.add(entry);
  return { pid: child.pid, child, exited: entry.exited, output: () => tail, stop: (ms) => stopProcess(entry, ms) };
}

/** SIGTERM to the process, SIGKILL to its whole group after `ms`. */
export async function stopProcess(entry, ms = 15_000) {
  if (!started.has(entry)) return;
  try {
    // The leader first, so that it can shut down what it started (minyi stops its PostgreSQL)…
    process.kill(entry.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  const done = await Promise.race([entry.exited.then(() => true), sleep(ms).then(() => false)]);
  if (!done) {
    log(`${entry.name} (pid ${entry.pid}) did not stop within ${ms / 1000} s: SIGKILL`);
    try {
      process.kill(-entry.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    await Promise.race([entry.exited, sleep(5000)]);
  }
}

/** Runs a command to completion (bounded), returning { code, output }. */
export async function runProcess(name, command, args, { timeoutMs = 600_000, ...opts } = {}) {
  const p = startProcess(name, command, args, opts);
  const timer = setTimeout(() => {
    log(`${name} exceeded ${timeoutMs / 1000} s: stopping it`);
    void p.stop(5000);
  }, timeoutMs);
  const { code, signal } = await p.exited;
  clearTimeout(timer);
  return { code, signal, output: p.output(), pid: p.pid };
}

/** Remembers an embedded PostgreSQL's data folder so its postmaster is ended even if its parent was killed. */
export function trackPostgres(pgDir) {
  postmasterFiles.add(`${pgDir}/postmaster.pid`);
}

export function trackTempDir(dir) {
  tempDirs.add(dir);
}

async function stopPostmasters() {
  for (const file of postmasterFiles) {
    let pid;
    try {
      pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
    } catch {
      continue;
    }
    if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) continue;
    // Its parent may have asked it to stop a moment ago: give it a few seconds first.
    for (let i = 0; i < 50 && alive(pid); i++) await sleep(100);
    if (!alive(pid)) continue;
    log(`stopping leftover PostgreSQL pid ${pid} (${file})`);
    try {
      process.kill(pid, 'SIGINT'); // fast shutdown
    } catch {
      continue;
    }
    const deadline = Date.now() + 15_000;
    while (alive(pid) && Date.now() < deadline) await sleep(100);
    if (alive(pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
}

/** Ends everything this runner started, then removes its temporary folders. */
export async function cleanupAll({ keepTemp = false } = {}) {
  await Promise.all([...started].map((e) => stopProcess(e, 10_000)));
  await stopPostmasters();
  if (!keepTemp) {
    for (const d of tempDirs) {
      try {
        fs.rmSync(d, { recursive: true, force: true });
      } catch (err) {
        log(`could not remove ${d}: ${err.message}`);
      }
      tempDirs.delete(d);
    }
  }
}

/** Last resort on process exit: synchronous SIGKILL of every group and postmaster still alive. */
export function killAllNow() {
  for (const e of started) {
    try {
      process.kill(-e.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  for (const file of postmasterFiles) {
    try {
      const pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
      if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  for (const d of tempDirs) {
    try {
      fs.rmSync(d, { recursive: true, force: true });
    } catch {
      /* best effort */
    }
  }
}

/** Peak and current resident set of a process, in MiB (Linux /proc). */
export function memoryOf(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN);
    return { rssMiB: kb('VmRSS') / 1024, peakRssMiB: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `everyMs`; `.mark(label)` closes a phase and records its own peak. */
export function rssSampler(pid, everyMs = 250) {
  let phaseMax = 0;
  let overall = 0;
  const phases = {};
  const tick = () => {
    const m = memoryOf(pid);
    if (!m) return;
    phaseMax = Math.max(phaseMax, m.rssMiB);
    overall = Math.max(overall, m.rssMiB);
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  tick();
  return {
    mark(label) {
      tick();
      phases[label] = Math.round(phaseMax);
      phaseMax = memoryOf(pid)?.rssMiB ?? 0;
    },
    stop() {
      tick();
      clearInterval(timer);
      const m = memoryOf(pid);
      return { sampledPeakRssMiB: Math.round(overall), kernelPeakRssMiB: m ? Math.round(m.peakRssMiB) : null, phases };
    },
  };
}

const TICKS = 100; // USER_HZ on Linux

function statOf(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // after "pid (comm) ": state=0 ppid=1 pgrp=2 … utime=11 stime=12
    return { ppid: Number(f[1]), pgrp: Number(f[2]), cpuS: (Number(f[11]) + Number(f[12])) / TICKS };
  } catch {
    return null;
  }
}

/**
 * CPU seconds used so far by a process, and by all its descendants still alive (e.g. minyi's embedded
 * PostgreSQL and its backends). Backends that exited in between are not counted.
 */
export function groupCpu(leaderPid) {
  const all = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const s = statOf(d);
    if (s) all.set(Number(d), s);
  }
  let leader = 0;
  let others = 0;
  for (const [pid, s] of all) {
    if (pid === leaderPid) {
      leader = s.cpuS;
      continue;
    }
    for (let p = s.ppid, hops = 0; p > 1 && hops < 20; p = all.get(p)?.ppid ?? 0, hops++) {
      if (p === leaderPid) {
        others += s.cpuS;
        break;
      }
    }
  }
  return { leader, others, at: Date.now() };
}

/** Cores used between two groupCpu() readings. */
export function coresBetween(a, b) {
  const s = (b.at - a.at) / 1000;
  return { leader: Math.round(((b.leader - a.leader) / s) * 100) / 100, others: Math.round(((b.others - a.others) / s) * 100) / 100 };
}

/** Whole-machine CPU use between two readings of /proc/stat (all cores, in cores). */
export function machineCpu() {
  const l = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = l[3] + (l[4] ?? 0);
  const total = l.slice(0, 8).reduce((a, b) => a + b, 0);
  return { idle, total, at: Date.now() };
}
export function machineBusyCores(a, b, cores) {
  const dt = b.total - a.total;
  return dt > 0 ? Math.round((1 - (b.idle - a.idle) / dt) * cores * 100) / 100 : null;
}

/**
 * Cores used by a process and by its descendants while a measurement runs, summed per process from readings every
 * `everyMs`: each process adds only what it used since it was last seen, so a descendant that exits in between
 * (a pooled PostgreSQL backend closed after its idle timeout) loses at most its last interval, and the total never
 * goes below zero, as the difference of two groupCpu() sums does when a busy backend exits. A process first seen
 * during the measurement counts from its start. `.stop()` → { leader, others } in cores.
 */
export function groupCpuSampler(leaderPid, everyMs = 500) {
  const startedAt = Date.now();
  const last = new Map(); // pid → CPU seconds when last seen
  let leader = 0;
  let others = 0;
  let first = true;
  const tick = () => {
    const all = new Map();
    for (const d of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      const s = statOf(d);
      if (s) all.set(Number(d), s);
    }
    for (const [pid, s] of all) {
      let mine = pid === leaderPid;
      for (let p = s.ppid, hops = 0; !mine && p > 1 && hops < 20; p = all.get(p)?.ppid ?? 0, hops++) mine = p === leaderPid;
      if (!mine) continue;
      // On the first reading every process is a baseline; a process that appears later was started since.
      const used = s.cpuS - (last.get(pid) ?? (first ? s.cpuS : 0));
      last.set(pid, s.cpuS);
      if (used <= 0) continue;
      if (pid === leaderPid) leader += used;
      else others += used;
    }
    for (const pid of last.keys()) if (!all.has(pid)) last.delete(pid);
    first = false;
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      tick();
      const s = (Date.now() - startedAt) / 1000;
      return { leader: Math.round((leader / s) * 100) / 100, others: Math.round((others / s) * 100) / 100 };
    },
  };
}
