// Runs minyi from the build as a real OS process (as `npm start` does), for tests that kill it.
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort, waitFor } from './free-port.js';

export class MinyiProcess {
  private proc: ChildProcess | null = null;
  logs = '';

  private constructor(
    readonly parts: string[],
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  static async start(parts: string[], env: Record<string, string>): Promise<MinyiProcess> {
    const p = new MinyiProcess(parts, await freePort(), env);
    await p.start();
    return p;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const proc = spawn(process.execPath, ['dist/apps/minyi/src/main.js', ...this.parts], {
      cwd: process.cwd(),
      env: { ...process.env, DATABASE_URL: '', KAFKA_BROKERS: '', ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      detached: true, // its own process group, so that a kill reaches everything it started
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout!.on('data', (d) => (this.logs += d));
    proc.stderr!.on('data', (d) => (this.logs += d));
    this.proc = proc;
    await waitFor(`minyi ${this.parts.join('+') || 'all-in-one'} to be healthy`, async () => (await fetch(`${this.url}/health`)).status === 200, 60_000).catch((err) => {
      throw new Error(`${(err as Error).message}\n${this.logs.slice(-2000)}`);
    });
  }

  /** SIGKILL: no shutdown hooks, no flush — a crash. `group` also kills what the process started. */
  async kill9(group = false): Promise<void> {
    const proc = this.proc;
    if (!proc?.pid) return;
    const exited = new Promise((r) => proc.once('exit', r));
    try {
      process.kill(group ? -proc.pid : proc.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await exited;
    this.proc = null;
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc?.pid) return;
    const exited = new Promise((r) => proc.once('exit', r));
    try {
      process.kill(proc.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-proc.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }, 10_000);
    await exited;
    clearTimeout(timer);
    this.proc = null;
  }
}
