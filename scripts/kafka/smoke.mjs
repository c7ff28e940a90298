#!/usr/bin/env node
// End-to-end check that kafkajs works against the broker at KAFKA_BROKERS
// (default 127.0.0.1:19092): topics, idempotent keyed producing, consumer groups
// with committed offsets and resume, and transactions (commit, abort, sendOffsets).
// Exits 0 on success, 1 on a failed check, 2 on the overall timeout.
//   node scripts/kafka/smoke.mjs            (SMOKE_TIMEOUT_MS, default 120000)
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
const { Kafka, logLevel } = await import('kafkajs');

const brokers = (process.env.KAFKA_BROKERS || '127.0.0.1:19092').split(',').map((s) => s.trim());
const TIMEOUT_MS = Number(process.env.SMOKE_TIMEOUT_MS || 120_000);
const run = `${Date.now().toString(36)}-${process.pid}`;
const topic = `smoke-${run}`;
const outTopic = `smoke-out-${run}`;
const group = `smoke-group-${run}`;

const overall = setTimeout(() => {
  console.error(`smoke: FAILED: overall timeout of ${TIMEOUT_MS} ms exceeded`);
  process.exit(2);
}, TIMEOUT_MS);

const started = Date.now();
const step = (msg) => console.log(`smoke: [${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);
function check(cond, msg) {
  if (!cond) throw new Error(`check failed: ${msg}`);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function waitFor(pred, ms, what) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

const kafka = new Kafka({
  clientId: 'minyi-smoke',
  brokers,
  logLevel: process.env.SMOKE_KAFKAJS_LOG ? logLevel[process.env.SMOKE_KAFKAJS_LOG.toUpperCase()] ?? logLevel.INFO : logLevel.ERROR,
  retry: { retries: 5 },
});
const admin = kafka.admin();
const cleanup = [];

// Consume `topic` with `groupId` until `expected` messages arrived, then keep
// listening `graceMs` to catch anything extra. Commits every offset explicitly.
async function consume({ groupId, topics, expected, graceMs = 1500, readUncommitted = false }) {
  const consumer = kafka.consumer({
    groupId,
    readUncommitted,
    sessionTimeout: 10_000,
    heartbeatInterval: 1000,
    maxWaitTimeInMs: 250, // short long-poll: disconnect() waits for the fetch in flight
  });
  cleanup.push(() => consumer.disconnect());
  const got = [];
  await consumer.connect();
  for (const t of topics) await consumer.subscribe({ topic: t, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic: t, partition, message }) => {
      got.push({
        topic: t,
        partition,
        offset: Number(message.offset),
        key: message.key?.toString(),
        value: message.value?.toString(),
      });
      await consumer.commitOffsets([{ topic: t, partition, offset: String(Number(message.offset) + 1) }]);
    },
  });
  await waitFor(() => got.length >= expected, 30_000, `${expected} messages in group ${groupId} (got ${got.length})`);
  await sleep(graceMs);
  await consumer.disconnect();
  return got;
}

async function main() {
  step(`brokers ${brokers.join(',')}`);
  await admin.connect();
  const cluster = await admin.describeCluster();
  step(`cluster ${cluster.clusterId}, brokers ${cluster.brokers.map((b) => `${b.nodeId}@${b.host}:${b.port}`).join(',')}`);

  // 1. topics
  const created = await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic, numPartitions: 3, replicationFactor: 1 },
      { topic: outTopic, numPartitions: 1, replicationFactor: 1 },
    ],
  });
  check(created === true, 'createTopics returned true');
  const meta = await admin.fetchTopicMetadata({ topics: [topic] });
  check(meta.topics[0].partitions.length === 3, 'topic has 3 partitions');
  step(`created ${topic} (3 partitions) and ${outTopic}`);

  // 2. idempotent producer, keyed messages
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  cleanup.push(() => producer.disconnect());
  await producer.connect();
  const keys = Array.from({ length: 10 }, (_, i) => `key-${i}`);
  const first = [];
  for (let seq = 0; seq < 3; seq++) for (const k of keys) first.push({ key: k, value: `${k}:${seq}` });
  const res = await producer.send({ topic, acks: -1, messages: first });
  check(res.length > 0 && res.every((r) => r.errorCode === 0), 'produce acknowledged without error');
  step(`idempotent producer wrote ${first.length} keyed messages`);

  // 3. consumer group from the beginning, explicit commits
  const round1 = await consume({ groupId: group, topics: [topic], expected: first.length });
  check(round1.length === first.length, `round 1 read exactly ${first.length} (got ${round1.length})`);
  const partitionsUsed = new Set(round1.map((m) => m.partition));
  check(partitionsUsed.size > 1, `keys spread over partitions (${[...partitionsUsed]})`);
  const partitionOfKey = new Map();
  for (const m of round1) {
    const p = partitionOfKey.get(m.key);
    check(p === undefined || p === m.partition, `key ${m.key} always lands on one partition`);
    partitionOfKey.set(m.key, m.partition);
  }
  for (const k of keys) {
    const seqs = round1.filter((m) => m.key === k).map((m) => Number(m.value.split(':')[1]));
    check(JSON.stringify(seqs) === '[0,1,2]', `per-key order for ${k}: ${seqs}`);
  }
  const committed = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  const highs = await admin.fetchTopicOffsets(topic);
  for (const h of highs) {
    const c = committed[0].partitions.find((p) => p.partition === h.partition);
    check(c && c.offset === h.high, `committed offset of partition ${h.partition} = high watermark ${h.high} (got ${c?.offset})`);
  }
  step(`group ${group} read ${round1.length} in per-key order over partitions [${[...partitionsUsed].sort()}], offsets committed`);

  // 4. more messages, then a restarted consumer resumes without re-reading
  const second = keys.slice(0, 5).map((k) => ({ key: k, value: `${k}:3` }));
  await producer.send({ topic, acks: -1, messages: second });
  const round2 = await consume({ groupId: group, topics: [topic], expected: second.length, graceMs: 2500 });
  check(round2.length === second.length, `restarted consumer read only the ${second.length} new messages (got ${round2.length})`);
  check(round2.every((m) => m.value.endsWith(':3')), 'restarted consumer did not re-read old messages');
  step(`restarted consumer resumed: ${round2.length} new messages, no re-reads`);

  // 5. transactions: commit, abort, and consume-transform-produce with sendOffsets
  const txProducer = kafka.producer({ transactionalId: `smoke-tx-${run}`, idempotent: true, maxInFlightRequests: 1 });
  cleanup.push(() => txProducer.disconnect());
  await txProducer.connect();
  const t1 = await txProducer.transaction();
  await t1.send({ topic, messages: [{ key: 'tx', value: 'tx:committed-1' }, { key: 'tx', value: 'tx:committed-2' }] });
  await t1.commit();
  const t2 = await txProducer.transaction();
  await t2.send({ topic, messages: [{ key: 'tx', value: 'tx:aborted' }] });
  await t2.abort();
  step('transaction committed (2 messages) and a transaction aborted (1 message)');

  // read_committed (kafkajs default) in a fresh group: sees committed, never aborted
  const allExpected = first.length + second.length + 2;
  const rc = await consume({ groupId: `${group}-rc`, topics: [topic], expected: allExpected, graceMs: 2000 });
  const txSeen = rc.filter((m) => m.key === 'tx').map((m) => m.value);
  check(rc.length === allExpected, `read_committed consumer saw ${allExpected} (got ${rc.length})`);
  check(JSON.stringify(txSeen) === '["tx:committed-1","tx:committed-2"]', `committed tx visible, aborted hidden (${txSeen})`);
  step(`read_committed consumer: ${rc.length} messages, aborted transaction invisible`);

  // exactly-once consume-transform-produce: output + input offsets in one transaction
  const eosGroup = `${group}-eos`;
  const t3 = await txProducer.transaction();
  await t3.send({ topic: outTopic, messages: [{ key: 'eos', value: 'transformed' }] });
  await t3.sendOffsets({
    consumerGroupId: eosGroup,
    topics: [{ topic, partitions: highs.map((h) => ({ partition: h.partition, offset: h.high })) }],
  });
  await t3.commit();
  // The coordinator writes the commit markers asynchronously after EndTxn, and
  // kafkajs' OffsetFetch (v4) has no require_stable flag: poll until they land.
  let eosOffsets;
  const eosDone = () =>
    highs.every((h) => eosOffsets?.[0].partitions.find((p) => p.partition === h.partition)?.offset === h.high);
  for (const end = Date.now() + 10_000; ; await sleep(200)) {
    eosOffsets = await admin.fetchOffsets({ groupId: eosGroup, topics: [topic] });
    if (eosDone() || Date.now() > end) break;
  }
  check(eosDone(), `sendOffsets committed ${JSON.stringify(highs)} (got ${JSON.stringify(eosOffsets[0].partitions)})`);
  const out = await consume({ groupId: `${group}-out`, topics: [outTopic], expected: 1, graceMs: 500 });
  check(out.length === 1 && out[0].value === 'transformed', 'transactional output visible');
  step('transaction with sendOffsets committed output and consumer offsets atomically');

  await admin.deleteTopics({ topics: [topic, outTopic] });
  await admin.deleteGroups([group, `${group}-rc`, `${group}-out`, eosGroup]).catch(() => {});
  step('deleted smoke topics and groups');
}

let code = 0;
try {
  await main();
  console.log(`smoke: OK (${((Date.now() - started) / 1000).toFixed(1)}s)`);
} catch (err) {
  code = 1;
  console.error(`smoke: FAILED: ${err?.stack ?? err}`);
  if (err?.type) console.error(`smoke: kafkajs error type ${err.type}`);
}
for (const fn of cleanup.reverse()) await fn().catch(() => {});
await admin.disconnect().catch(() => {});
clearTimeout(overall);
process.exit(code);
