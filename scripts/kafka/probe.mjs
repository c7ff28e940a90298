#!/usr/bin/env node
// Does a Kafka broker really answer? kafkajs admin: connect + describeCluster + listTopics.
// Used by scripts/kafka/kafka.sh; exits 0 (and prints one line) if it answers, 1 if not.
//   node scripts/kafka/probe.mjs [--brokers 127.0.0.1:19092] [--timeout-ms 5000]
import { pathToFileURL } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';

export async function probeKafka(brokers, { timeoutMs = 5000 } = {}) {
  const kafka = new Kafka({
    clientId: 'kafka-probe',
    brokers: brokers.split(',').map((b) => b.trim()).filter(Boolean),
    connectionTimeout: Math.min(2000, timeoutMs),
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from ${brokers} within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([
      (async () => {
        await admin.connect();
        const cluster = await admin.describeCluster();
        const topics = await admin.listTopics();
        return { clusterId: cluster.clusterId, controller: cluster.controller, brokers: cluster.brokers, topics };
      })(),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => {});
  }
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
  };
  const brokers = opt('--brokers', process.env.KAFKA_BROKERS || '127.0.0.1:19092');
  const timeoutMs = Number(opt('--timeout-ms', '5000'));
  try {
    const info = await probeKafka(brokers, { timeoutMs });
    console.log(
      `kafka answers at ${brokers}: cluster ${info.clusterId}, ${info.brokers.length} broker(s), ${info.topics.length} topic(s)`,
    );
    process.exit(0);
  } catch (err) {
    console.error(`kafka does not answer at ${brokers}: ${err?.message ?? err}`);
    process.exit(1);
  }
}
