// docker-compose.yml runs the distributed layout: each minyi service's command is `node …/main.js` with exactly the
// parts its process has in DISTRIBUTED_LAYOUT, and every process of the layout has its service.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DISTRIBUTED_LAYOUT, PROCESSES } from './index.js';

const MAIN = 'dist/apps/minyi/src/main.js';

/** The services of a compose file with their `command: [...]` (flow sequences, which JSON reads), nothing more. */
function servicesOf(yaml: string): Map<string, string[] | null> {
  const services = new Map<string, string[] | null>();
  let inServices = false;
  let current: string | null = null;
  for (const line of yaml.split('\n')) {
    if (/^\S/.test(line)) {
      inServices = /^services:\s*$/.test(line);
      current = null;
      continue;
    }
    if (!inServices) continue;
    const service = /^ {2}([A-Za-z0-9_.-]+):\s*$/.exec(line);
    if (service) {
      current = service[1];
      services.set(current, null);
      continue;
    }
    const command = /^ {4}command:\s*(\[.*\])\s*$/.exec(line);
    if (current && command) services.set(current, JSON.parse(command[1]) as string[]);
  }
  return services;
}

const compose = servicesOf(readFileSync(join(__dirname, '../../../docker-compose.yml'), 'utf8'));

it('when docker-compose.yml is read, then it has the services it is known to have (the reader understands it)', () => {
  expect([...compose.keys()].sort()).toEqual(expect.arrayContaining(['postgres', 'kafka', 'migrate', ...PROCESSES]));
  expect(compose.get('migrate')).toEqual(['node', MAIN, 'migrate']);
});

it.each(PROCESSES.map((p) => [p]))('when the %s process is deployed with docker compose, then its command runs exactly its parts of the layout', (process) => {
  expect(compose.get(process)).toEqual(['node', MAIN, ...DISTRIBUTED_LAYOUT[process]]);
});

it('when docker compose runs minyi, then no service runs main.js but the layout\'s and the migration', () => {
  const running = [...compose].filter(([, c]) => c?.includes(MAIN)).map(([name]) => name);
  expect(running.sort()).toEqual([...PROCESSES, 'migrate'].sort());
});
