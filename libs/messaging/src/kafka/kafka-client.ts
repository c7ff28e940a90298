// One kafkajs client per process, logging through the process's logger.
import { Kafka, logLevel, type LogEntry } from 'kafkajs';

export function createKafka(brokers: string[], clientId: string, log: (level: 'warn' | 'error', message: string) => void = () => undefined): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const text = `${entry.namespace}: ${entry.log.message}`;
      // kafkajs logs retriable coordinator errors at ERROR while it retries them itself.
      log(entry.level === logLevel.ERROR && !/coordinator|rebalanc|not available|loading/i.test(text) ? 'error' : 'warn', text);
    },
    retry: { initialRetryTime: 200, retries: 12, maxRetryTime: 5000 },
  });
}
