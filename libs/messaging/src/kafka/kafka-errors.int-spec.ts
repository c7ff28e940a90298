// Which of kafkajs's errors, as a real broker and a real outage produce them, are worth retrying: the relay and
// the consumers retry what says nothing about the records, and set aside only what the broker refused them for.
import { Kafka, KafkaJSNonRetriableError, logLevel } from 'kafkajs';
import { freePort, testKafkaBrokers, testTopicPrefix } from '@minyi/testing';
import { isTransient } from '../postgres-log.consumer.js';
import { blamesTheRecord } from './message-size.js';

async function failure(work: () => Promise<unknown>): Promise<Error & { retriable?: boolean }> {
  try {
    await work();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure');
}

it('when the broker refuses a message as too large, then the error blames the record and is not transient', async () => {
  const kafka = new Kafka({ clientId: 'errors-test', brokers: testKafkaBrokers().split(','), logLevel: logLevel.NOTHING });
  const topic = `${testTopicPrefix()}too-large`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '1000' }] }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const err = await failure(() => producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'x'.repeat(5000) }] }));
    expect(err).toMatchObject({ name: 'KafkaJSProtocolError', type: 'MESSAGE_TOO_LARGE', retriable: false });
    expect(blamesTheRecord(err)).toBe(true);
    expect(isTransient(err)).toBe(false);
    // kafkajs wraps it when it gives up inside its retrier (retry/index.js; its types omit the cause): still the record's fault.
    const Wrapper = KafkaJSNonRetriableError as unknown as new (e: Error, o: { cause: Error }) => Error;
    expect(isTransient(new Wrapper(err, { cause: err }))).toBe(false);
  } finally {
    await producer.disconnect();
  }
});

it('when no broker answers until kafkajs gives up (KafkaJSNumberOfRetriesExceeded, flagged non-retriable), then the error is transient', async () => {
  const kafka = new Kafka({ clientId: 'errors-test', brokers: [`127.0.0.1:${await freePort()}`], logLevel: logLevel.NOTHING, retry: { retries: 2, initialRetryTime: 20, maxRetryTime: 50 } });
  const producer = kafka.producer();
  const err = await failure(() => producer.connect());
  expect(err).toMatchObject({ name: 'KafkaJSNumberOfRetriesExceeded', retriable: false });
  expect(blamesTheRecord(err)).toBe(false);
  expect(isTransient(err)).toBe(true);
  await producer.disconnect().catch(() => undefined);
});
