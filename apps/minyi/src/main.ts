// `npm start`: the embedded all-in-one minyi.
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from '@minyi/platform';
import { startSystem } from './system.js';

async function main(): Promise<void> {
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
  const system = await startSystem(config);
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
