// `npm run start:distributed`: the distributed mode on one machine — PostgreSQL (embedded, or
// DATABASE_URL), Kafka (the local broker, or KAFKA_BROKERS), and intake, relay, projector and
// analytics as separate processes on their own ports, with one place to see their health.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadConfig, startEmbeddedPostgres } from '@minyi/platform';
import { DISTRIBUTED_LAYOUT } from './layout.js';

interface Child {
  name: string;
  parts: string[];
  port: number;
  proc: ChildProcess | null;
  health: string;
  restarts: number;
}

const ROOT = path.resolve(__dirname, '../../../..');

async function health(port: number): Promise<string> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) });
    const body = (await r.json()) as { status: string; problems?: Record<string, string> };
    return r.status === 200 ? 'ok' : `${body.status}: ${Object.entries(body.problems ?? {}).map(([k, v]) => `${k} ${v}`).join('; ')}`;
  } catch {
    return 'not answering';
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const base = Number(process.env.DISTRIBUTED_BASE_PORT ?? config.port + 1);
  let databaseUrl = config.databaseUrl;
  let stopPostgres: (() => Promise<void>) | null = null;
  if (!databaseUrl) {
    const pg = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, log: (m) => console.error(m) });
    databaseUrl = pg.url;
    stopPostgres = pg.stop;
    console.log(`PostgreSQL (embedded) on 127.0.0.1:${config.embeddedPostgresPort}, data in ${config.dataDir}`);
  }
  let brokers = config.kafkaBrokers?.join(',') ?? null;
  let stopKafka = false;
  if (!brokers) {
    console.log('starting the local Kafka broker (scripts/kafka/kafka.sh up)…');
    const result = path.join(os.tmpdir(), `minyi-kafka-up-${process.pid}`);
    execFileSync('bash', [path.join(ROOT, 'scripts/kafka/kafka.sh'), 'up'], { stdio: 'inherit', env: { ...process.env, KAFKA_UP_RESULT_FILE: result } });
    brokers = `127.0.0.1:${process.env.KAFKA_PORT ?? 19092}`;
    // Stop on the way out only a broker this started, never one that was already running.
    stopKafka = fs.existsSync(result) && fs.readFileSync(result, 'utf8').trim() === 'started';
    fs.rmSync(result, { force: true });
  }

  const children: Child[] = Object.entries(DISTRIBUTED_LAYOUT).map(([name, parts], i) => ({ name, parts: [...parts], port: base + i, proc: null, health: 'starting', restarts: 0 }));
  let stopping = false;
  const env = { ...process.env, DATABASE_URL: databaseUrl, KAFKA_BROKERS: brokers, MINYI_DATA_DIR: config.dataDir };
  const launch = (c: Child) => {
    const proc = spawn(process.execPath, [path.join(ROOT, 'dist/apps/minyi/src/main.js'), ...c.parts], {
      env: { ...env, PORT: String(c.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const prefix = `[${c.name}] `;
    proc.stdout!.on('data', (d: Buffer) => process.stdout.write(d.toString().replace(/^(?=.)/gm, prefix)));
    proc.stderr!.on('data', (d: Buffer) => process.stderr.write(d.toString().replace(/^(?=.)/gm, prefix)));
    proc.on('exit', (code, signal) => {
      c.proc = null;
      if (stopping) return;
      c.restarts += 1;
      const delay = Math.min(30_000, 1000 * 2 ** Math.min(c.restarts, 5));
      console.error(`${c.name} exited (${signal ?? code}); restarting in ${delay / 1000} s`);
      setTimeout(() => !stopping && launch(c), delay);
    });
    c.proc = proc;
  };
  // The intake starts first: it applies the migrations and, without MINYI_ADMIN_TOKEN, creates the admin token.
  launch(children[0]);
  for (let i = 0; i < 300 && (await health(children[0].port)) !== 'ok'; i++) await new Promise((r) => setTimeout(r, 200));
  children.slice(1).forEach(launch);

  // One place to see them all: a table on the console when it changes, and GET /health on PORT.
  let last = '';
  const poll = setInterval(async () => {
    for (const c of children) c.health = await health(c.port);
    const table = children.map((c) => `  ${c.name.padEnd(10)} :${c.port}  ${c.parts.join('+').padEnd(22)} ${c.health}${c.restarts ? ` (restarted ${c.restarts}×)` : ''}`).join('\n');
    if (table !== last) console.log(`\nminyi distributed — health:\n${table}\n`);
    last = table;
  }, 2000);
  const status = createServer((_req, res) => {
    const ok = children.every((c) => c.health === 'ok');
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: ok ? 'ok' : 'unavailable', processes: Object.fromEntries(children.map((c) => [c.name, { port: c.port, parts: c.parts, health: c.health, restarts: c.restarts }])), kafka: brokers, database: databaseUrl!.replace(/:[^:@/]+@/, ':***@') }));
  });
  status.listen(config.port, '127.0.0.1');
  console.log(`
minyi distributed mode:
  intake (${DISTRIBUTED_LAYOUT.intake.join(', ')})  http://localhost:${base}      ← terminals, clients and the administrator post here
  relay (event store → Kafka)     http://localhost:${base + 1}/health
  projector (Kafka → read models) http://localhost:${base + 2}/health
  analytics (reads)               http://localhost:${base + 3}  ← /v1/satisfaction, /v1/rankings, /docs
  all of them at a glance         http://localhost:${config.port}/health
  Kafka ${brokers}`);

  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(poll);
    status.close();
    await Promise.all(children.map((c) => new Promise<void>((resolve) => (c.proc ? (c.proc.once('exit', () => resolve()), c.proc.kill('SIGTERM')) : resolve()))));
    if (stopKafka) execFileSync('bash', [path.join(ROOT, 'scripts/kafka/kafka.sh'), 'down'], { stdio: 'inherit' });
    await stopPostgres?.();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
