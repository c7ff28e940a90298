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
    // What /health said last (or why it could not be asked), for the error: a process that is up but unhealthy says why.
    let last = 'never answered';
    let gone: string | null = null;
    proc.once('exit', (code, signal) => (gone = `exited (${code ?? signal})`));
    await waitFor(
      `minyi ${this.parts.join('+') || 'all-in-one'} to be healthy`,
      async () => {
        if (gone) return true;
        const r = await fetch(`${this.url}/health`).catch((err: Error) => {
          last = `no answer: ${err.message}`;
          return null;
        });
        if (!r) return false;
        if (r.status === 200) return true;
        last = `${r.status} ${(await r.text()).slice(0, 500)}`;
        return false;
      },
      // Four processes of a deployment start at once beside the rest of the suite on two cores: a minute was seen short.
      120_000,
    ).catch((err) => {
      throw new Error(`${(err as Error).message}; /health last: ${last}\n${this.logs.slice(-2000)}`);
    });
    if (gone) throw new Error(`minyi ${this.parts.join('+') || 'all-in-one'} ${gone} before it was healthy; /health last: ${last}\n${this.logs.slice(-2000)}`);
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
