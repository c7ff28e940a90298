// The real Kafka broker the test run's global setup provides, and a private namespace on it per test.
import { randomBytes } from 'node:crypto';

export function testKafkaBrokers(): string {
  const b = process.env.MINYI_TEST_KAFKA_BROKERS;
  if (!b) throw new Error('no Kafka broker for the tests: run them through jest (its global setup starts one), or set KAFKA_BROKERS');
  return b;
}

/** A topic prefix of its own, so that tests sharing the broker never read each other's messages. */
export function testTopicPrefix(): string {
  return `t${randomBytes(4).toString('hex')}.`;
}
