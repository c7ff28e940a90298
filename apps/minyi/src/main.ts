// `npm start`: the embedded all-in-one minyi.
import { Logger } from '@nestjs/common';
import { ConfigError, installLogging, lightenAsyncResourceBind, loadConfig } from '@minyi/platform';
import { PARTS, type Part } from './composition.js';
import { migrateOnly, startSystem } from './system.js';

async function main(): Promise<void> {
  lightenAsyncResourceBind();
  const logger = new Logger('minyi');
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  installLogging(config.logLevel); // JSON lines (pretty on a terminal) at MINYI_LOG_LEVEL, Nest's Logger included
  // `node main.js migrate`: the one step that migrates (as the schema's owner), then exits.
  if (process.argv[2] === 'migrate') {
    await migrateOnly(config);
    process.exit(0);
  }
  // `node main.js ratings analytics` runs only those parts (the distributed mode); no argument runs all.
  const parts: Part[] = process.argv.slice(2);
  const unknown = parts.filter((p) => !Object.hasOwn(PARTS, p));
  if (unknown.length) {
    const each = Object.values(PARTS).map((p) => `  ${p.name.padEnd(14)} ${p.context} (distributed: the ${p.process} process${p.allInOne ? '' : '; not in the all-in-one'})`);
    console.error(`unknown part(s) ${unknown.join(', ')}; the parts are:\n${each.join('\n')}`);
    process.exit(2);
  }
  const system = await startSystem(config, { parts: parts.length ? parts : undefined });
  logger.log(`running ${parts.length ? parts.join(', ') : 'every part'}`);
  logger.log(`minyi is listening on ${system.url.replace('127.0.0.1', config.host === '0.0.0.0' ? 'localhost' : config.host)} — API docs at /docs, health at /health`);
  const shutdown = async (signal: string) => {
    logger.log(`${signal}: stopping`);
    await system.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
