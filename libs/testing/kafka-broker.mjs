// A Kafka broker for the integration tests (jest globalSetup / globalTeardown).
//
//   import { ensureKafka, stopKafkaIfStarted } from './kafka-broker.mjs';
//   // globalSetup:
//   process.env.KAFKA_BROKERS = await ensureKafka({ log: console.log });
//   // globalTeardown:
//   await stopKafkaIfStarted();
//
// KAFKA_BROKERS set  -> that broker must answer (within ~30 s); nothing is started or stopped.
// otherwise          -> reuse the local broker on 127.0.0.1:$KAFKA_PORT (default 19092) if it
//                       answers, else start one with scripts/kafka/kafka.sh up (real Apache Kafka
//                       from Maven Central; needs a JDK 17+ and Maven). Only a broker started here
//                       is stopped by stopKafkaIfStarted(): a developer's `npm run kafka:up` broker
//                       is left running.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const KAFKA_SH = path.join(REPO_ROOT, 'scripts/kafka/kafka.sh');
const STARTED = Symbol.for('minyi.testing.kafkaStartedBySetup');
const STARTED_ENV = 'MINYI_KAFKA_STARTED_BY_SETUP';
const EXTERNAL_DEADLINE_MS = 30_000;
const SCRIPT_DEADLINE_MS = 10 * 60_000; // first run downloads Kafka with Maven

const HOW_TO =
  'To get a broker: run `npm run kafka:up` (starts Apache Kafka locally from Maven Central; needs a JDK 17+ and Maven), ' +
  'or set KAFKA_BROKERS=host:port to use a broker you already have.';

/** One attempt: kafkajs admin connect + describeCluster + listTopics. Resolves to true/false. */
async function answers(brokers, timeoutMs) {
  const kafka = new Kafka({
    clientId: 'minyi-test-setup',
    brokers: brokers.split(',').map((b) => b.trim()).filter(Boolean),
    connectionTimeout: Math.min(2000, timeoutMs),
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  let timer;
  try {
    await Promise.race([
      (async () => {
        await admin.connect();
        await admin.describeCluster();
        await admin.listTopics();
      })(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: err?.message ?? String(err) };
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => {});
  }
}

async function waitUntilAnswers(brokers, deadlineMs) {
  const end = Date.now() + deadlineMs;
  let last;
  for (;;) {
    last = await answers(brokers, Math.max(1000, Math.min(5000, end - Date.now())));
    if (last.ok || Date.now() >= end) return last;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function runKafkaSh(command, { env, log, timeoutMs }) {
  return new Promise((resolve) => {
    const child = spawn('bash', [KAFKA_SH, command], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail = [];
    const onData = (chunk) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        log(line);
        tail.push(line);
        if (tail.length > 30) tail.shift();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => {
      tail.push(`(kafka.sh ${command} killed after ${timeoutMs / 1000} s)`);
      child.kill('SIGTERM');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: -1, tail: [...tail, String(err)] });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : -1), tail });
    });
  });
}

/**
 * Makes sure a Kafka broker answers and returns its bootstrap address ("host:port[,host:port]").
 * @param {{ log?: (msg: string) => void }} [options]
 * @returns {Promise<string>}
 */
export async function ensureKafka({ log = (msg) => console.log(msg) } = {}) {
  const external = process.env.KAFKA_BROKERS?.trim();
  if (external) {
    log(`kafka: checking KAFKA_BROKERS=${external}`);
    const res = await waitUntilAnswers(external, EXTERNAL_DEADLINE_MS);
    if (!res.ok) {
      throw new Error(
        `KAFKA_BROKERS=${external} does not answer (kafkajs admin, ${EXTERNAL_DEADLINE_MS / 1000} s): ${res.error}. ` +
          `Start that broker, or unset KAFKA_BROKERS to let the tests start a local one. ${HOW_TO}`,
      );
    }
    log(`kafka: using ${external}`);
    return external;
  }

  const brokers = `127.0.0.1:${process.env.KAFKA_PORT || '19092'}`;
  if ((await answers(brokers, 3000)).ok) {
    log(`kafka: reusing the broker already running at ${brokers}`);
    return brokers;
  }

  log(`kafka: no broker at ${brokers}; starting one with scripts/kafka/kafka.sh up`);
  const dir = mkdtempSync(path.join(tmpdir(), 'minyi-kafka-'));
  const resultFile = path.join(dir, 'result');
  try {
    const { code, tail } = await runKafkaSh('up', {
      env: { ...process.env, KAFKA_UP_RESULT_FILE: resultFile },
      log,
      timeoutMs: SCRIPT_DEADLINE_MS,
    });
    if (code !== 0) {
      throw new Error(
        `Could not start a local Kafka broker: scripts/kafka/kafka.sh up exited with ${code}.\n` +
          `${tail.slice(-15).join('\n')}\n${HOW_TO}`,
      );
    }
    let result = '';
    try {
      result = readFileSync(resultFile, 'utf8').trim();
    } catch {
      // kafka.sh did not write a result: treat the broker as not ours
    }
    if (result === 'started') {
      globalThis[STARTED] = true;
      process.env[STARTED_ENV] = '1';
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const res = await answers(brokers, 5000);
  if (!res.ok) {
    throw new Error(`kafka.sh up finished but ${brokers} does not answer: ${res.error}. ${HOW_TO}`);
  }
  log(`kafka: ready at ${brokers}`);
  return brokers;
}

/**
 * Stops the local broker only if ensureKafka() started it in this process.
 * @param {{ log?: (msg: string) => void }} [options]
 * @returns {Promise<boolean>} true if a broker was stopped
 */
export async function stopKafkaIfStarted({ log = (msg) => console.log(msg) } = {}) {
  if (!globalThis[STARTED] && process.env[STARTED_ENV] !== '1') return false;
  delete globalThis[STARTED];
  delete process.env[STARTED_ENV];
  const { code, tail } = await runKafkaSh('down', { env: process.env, log, timeoutMs: 120_000 });
  if (code !== 0) throw new Error(`scripts/kafka/kafka.sh down exited with ${code}:\n${tail.join('\n')}`);
  return true;
}
