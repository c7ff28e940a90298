#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft, combined broker+controller) for
# local development and tests, without Docker. The jars come from Maven Central
# through scripts/kafka/pom.xml (cached in ~/.m2); state lives in $KAFKA_HOME_DIR.
#
#   bash scripts/kafka/kafka.sh up       start (or reuse) the broker and wait until it answers
#   bash scripts/kafka/kafka.sh down     stop it (SIGTERM, then SIGKILL after KAFKA_STOP_TIMEOUT)
#   bash scripts/kafka/kafka.sh status   exit 0 if it runs (and say whether it answers), 3 if not
#   bash scripts/kafka/kafka.sh reset    down, then delete the broker's data (topics, offsets)
#
# Environment (all optional):
#   KAFKA_PORT               client (PLAINTEXT) port on 127.0.0.1          default 19092
#   KAFKA_CONTROLLER_PORT    KRaft controller port on 127.0.0.1            default KAFKA_PORT+1
#   KAFKA_HOME_DIR           classpath cache, config, data, pid, log       default <repo>/.kafka
#   KAFKA_VERSION            org.apache.kafka:kafka_2.13 version           default: the one in pom.xml
#   KAFKA_HEAP_OPTS          JVM heap                                      default -Xms128m -Xmx512m
#   KAFKA_JVM_EXTRA_OPTS     extra JVM flags appended to the defaults
#   KAFKA_AUTO_CREATE_TOPICS auto.create.topics.enable                     default false
#   KAFKA_LOG_LEVEL          root log level of the broker                  default INFO
#   KAFKA_START_TIMEOUT      seconds `up` waits for the broker to answer   default 90
#   KAFKA_STOP_TIMEOUT       seconds `down` waits after SIGTERM            default 30
#   KAFKA_UP_RESULT_FILE     if set, `up` writes "started" or "reused" into it (used by
#                            libs/testing/kafka-broker.mjs to stop only what it started)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
POM="$SCRIPT_DIR/pom.xml"
PROBE="$SCRIPT_DIR/probe.mjs"

KAFKA_PORT="${KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
KAFKA_HOME_DIR="${KAFKA_HOME_DIR:-$REPO_ROOT/.kafka}"
[[ "$KAFKA_HOME_DIR" == /* ]] || KAFKA_HOME_DIR="$PWD/$KAFKA_HOME_DIR"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m}"
KAFKA_AUTO_CREATE_TOPICS="${KAFKA_AUTO_CREATE_TOPICS:-false}"
KAFKA_LOG_LEVEL="${KAFKA_LOG_LEVEL:-INFO}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
if [[ -z "${KAFKA_VERSION:-}" ]]; then
  KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM" | head -n1)"
fi
BROKER="127.0.0.1:$KAFKA_PORT"

PID_FILE="$KAFKA_HOME_DIR/kafka.pid"
LOG_FILE="$KAFKA_HOME_DIR/kafka.log"
CONFIG_FILE="$KAFKA_HOME_DIR/server.properties"
LOG4J_FILE="$KAFKA_HOME_DIR/log4j2.properties"
CP_FILE="$KAFKA_HOME_DIR/classpath-$KAFKA_VERSION.txt"
CP_KEY_FILE="$CP_FILE.key"
# One data directory per Kafka version: a metadata log written by a newer
# release cannot be read by an older one, so switching KAFKA_VERSION back and
# forth must not break the other version's data.
DATA_DIR="$KAFKA_HOME_DIR/data/kafka-$KAFKA_VERSION"

say() { printf 'kafka: %s\n' "$*"; }
die() { printf 'kafka: ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
  exit 2
}

require_tools() {
  command -v java >/dev/null 2>&1 || die "java not found: install a JDK 17+ (e.g. apt-get install openjdk-17-jdk-headless)"
  command -v node >/dev/null 2>&1 || die "node not found"
  [[ -d "$REPO_ROOT/node_modules/kafkajs" ]] || die "kafkajs not installed: run npm ci in $REPO_ROOT"
}

# pid of our broker if it is alive, else nothing. Checks the command line so a
# recycled pid never gets signalled.
running_pid() {
  [[ -f "$PID_FILE" ]] || return 0
  local pid
  pid="$(tr -dc '0-9' <"$PID_FILE")"
  [[ -n "$pid" ]] || return 0
  if [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "kafka.Kafka $CONFIG_FILE"; then
    echo "$pid"
  fi
}

# Does a Kafka broker answer on $BROKER? (kafkajs admin: connect + describeCluster + listTopics)
answers() {
  node "$PROBE" --brokers "$BROKER" --timeout-ms "${1:-5000}" >/dev/null 2>&1
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

resolve_classpath() {
  local key
  key="$KAFKA_VERSION $(sha256sum "$POM" | cut -d' ' -f1)"
  if [[ -s "$CP_FILE" && -f "$CP_KEY_FILE" && "$(cat "$CP_KEY_FILE")" == "$key" ]]; then
    local jar ok=1
    while IFS= read -r jar; do [[ -f "$jar" ]] || { ok=0; break; }; done < <(tr ':' '\n' <"$CP_FILE")
    ((ok)) && return 0
    say "cached classpath points at missing jars (was ~/.m2 cleaned?); resolving again"
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found: install Maven (e.g. apt-get install maven)"
  say "resolving org.apache.kafka:kafka_2.13:$KAFKA_VERSION with Maven (first run downloads ~45 MB of jars into ~/.m2)"
  local tmp="$CP_FILE.tmp.$$"
  local rc=0
  # (mvn 3.8 -q still prints bare colour escapes; strip them)
  mvn -q -B -Dstyle.color=never -f "$POM" -Dkafka.version="$KAFKA_VERSION" \
    dependency:build-classpath -Dmdep.outputFile="$tmp" -Dmdep.includeScope=runtime 2>&1 |
    sed 's/\x1b\[[0-9;]*m//g' | { grep -v '^[[:space:]]*$' || true; } >&2 || rc=$?
  if ((rc != 0)) || [[ ! -s "$tmp" ]]; then
    rm -f "$tmp"
    die "mvn could not resolve org.apache.kafka:kafka_2.13:$KAFKA_VERSION (is Maven Central reachable?)"
  fi
  mv "$tmp" "$CP_FILE"
  printf '%s' "$key" >"$CP_KEY_FILE"
}

write_config() {
  mkdir -p "$DATA_DIR"
  cat >"$CONFIG_FILE" <<EOF
# Generated by scripts/kafka/kafka.sh -- edits are overwritten on every 'up'.
# Single node, KRaft combined mode: this one JVM is both the controller quorum and the broker.
process.roles=broker,controller
node.id=1
# Static quorum of one voter. (Kafka >= 3.9 also offers a dynamic quorum via
# controller.quorum.bootstrap.servers + 'format --standalone', but that writes the
# controller endpoint into the metadata log; the static form lets KAFKA_PORT /
# KAFKA_CONTROLLER_PORT change between runs without reformatting.)
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA_DIR

# --- One broker: every internal topic must have replication factor 1 -------------
# The defaults (3, min.isr 2) cannot be met by a single broker: the group
# coordinator could not create __consumer_offsets (consumer groups would never
# join) and transactional/idempotent producers would fail to find a coordinator.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
default.replication.factor=1
min.insync.replicas=1
# Internal topics default to 50 partitions each; a handful is plenty here and
# makes the first consumer group / first transaction noticeably faster.
offsets.topic.num.partitions=5
transaction.state.log.num.partitions=5

# Tests want the first rebalance now, not after the default 3 s grace period.
group.initial.rebalance.delay.ms=0

# Topics are created explicitly by the code that owns them (admin.createTopics with
# the partition count the keyed ordering relies on). Auto-creation would hide a
# missing createTopics and silently give 'num.partitions'. Set
# KAFKA_AUTO_CREATE_TOPICS=true to turn it on.
auto.create.topics.enable=$KAFKA_AUTO_CREATE_TOPICS
num.partitions=3
delete.topic.enable=true

# Modest footprint for a 2-core development machine.
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
background.threads=4
# The log cleaner's dedupe buffer is 128 MB of heap by default.
log.cleaner.dedupe.buffer.size=16777216
log.retention.hours=168
log.segment.bytes=104857600
EOF

  cat >"$LOG4J_FILE" <<EOF
# Generated by scripts/kafka/kafka.sh. The broker's stdout goes to $LOG_FILE.
status = warn
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = $KAFKA_LOG_LEVEL
rootLogger.appenderRef.stdout.ref = STDOUT
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.statechange.name = state.change.logger
logger.statechange.level = WARN
EOF
}

format_storage() {
  if [[ -f "$DATA_DIR/meta.properties" ]]; then
    return 0
  fi
  # A Kafka Uuid is 16 random bytes, base64url without padding (22 characters);
  # generating it here saves one JVM start ('kafka-storage random-uuid').
  # One that starts with '-' would be read by the format tool as an option (1 in 64): draw again.
  local cluster_id="-"
  while [[ "$cluster_id" == -* ]]; do
    cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  done
  say "formatting $DATA_DIR (cluster id $cluster_id)"
  # shellcheck disable=SC2086
  java $KAFKA_HEAP_OPTS -cp "$(cat "$CP_FILE")" -Dlog4j2.configurationFile="$LOG4J_FILE" \
    kafka.tools.StorageTool format --config "$CONFIG_FILE" --cluster-id "$cluster_id" --ignore-formatted \
    >>"$LOG_FILE" 2>&1 || { tail -n 20 "$LOG_FILE" >&2; die "storage format failed (see $LOG_FILE)"; }
}

write_result() {
  if [[ -n "${KAFKA_UP_RESULT_FILE:-}" ]]; then printf '%s\n' "$1" >"$KAFKA_UP_RESULT_FILE"; fi
}

wait_until_answers() {
  local pid="$1" start now elapsed last=-1
  start=$(date +%s)
  while :; do
    now=$(date +%s)
    elapsed=$((now - start))
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$LOG_FILE" >&2 || true
      rm -f "$PID_FILE"
      die "broker process $pid exited during startup (log: $LOG_FILE)"
    fi
    if port_open "$KAFKA_PORT" && answers 5000; then
      return 0
    fi
    if ((elapsed >= KAFKA_START_TIMEOUT)); then
      tail -n 30 "$LOG_FILE" >&2 || true
      die "broker did not answer on $BROKER within ${KAFKA_START_TIMEOUT}s (log: $LOG_FILE; 'kafka.sh down' stops it)"
    fi
    if ((elapsed != last)); then say "waiting for broker on $BROKER ... ${elapsed}s"; last=$elapsed; fi
    sleep 0.5
  done
}

cmd_up() {
  require_tools
  mkdir -p "$KAFKA_HOME_DIR"
  # Serialise concurrent 'up's (two test runs starting at once).
  exec 9>"$KAFKA_HOME_DIR/.lock"
  flock -w $((KAFKA_START_TIMEOUT + 120)) 9 || die "another kafka.sh holds $KAFKA_HOME_DIR/.lock"

  local pid
  pid="$(running_pid)"
  if [[ -n "$pid" ]]; then
    if answers 5000; then
      say "already running (pid $pid) and answering on $BROKER"
      write_result reused
      return 0
    fi
    say "process $pid is running but not answering yet; waiting"
    wait_until_answers "$pid"
    say "ready on $BROKER (pid $pid)"
    write_result reused
    return 0
  fi
  if port_open "$KAFKA_PORT"; then
    if answers 5000; then
      say "a Kafka broker not started from $KAFKA_HOME_DIR already answers on $BROKER; using it"
      write_result reused
      return 0
    fi
    die "port $KAFKA_PORT is in use by something that is not an answering Kafka broker (set KAFKA_PORT)"
  fi
  if port_open "$KAFKA_CONTROLLER_PORT"; then
    die "controller port $KAFKA_CONTROLLER_PORT is in use (set KAFKA_CONTROLLER_PORT)"
  fi

  local t0
  t0=$(date +%s)
  resolve_classpath
  write_config
  if [[ -f "$LOG_FILE" ]]; then mv -f "$LOG_FILE" "$LOG_FILE.1"; fi
  : >"$LOG_FILE"
  format_storage

  # Defaults follow bin/kafka-run-class.sh, with a smaller heap.
  local -a jvm
  # shellcheck disable=SC2206
  jvm=($KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
    -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -XX:+ExitOnOutOfMemoryError
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$LOG4J_FILE" ${KAFKA_JVM_EXTRA_OPTS:-})
  # setsid: own session, so Ctrl-C in the terminal that ran 'up' (or a test
  # runner's process group being killed) does not take the broker down with it.
  setsid java "${jvm[@]}" -cp "$(cat "$CP_FILE")" kafka.Kafka "$CONFIG_FILE" \
    >>"$LOG_FILE" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid" >"$PID_FILE"
  say "started Kafka $KAFKA_VERSION (pid $pid), log $LOG_FILE"
  wait_until_answers "$pid"
  say "ready on $BROKER after $(($(date +%s) - t0))s"
  write_result started
}

cmd_down() {
  local pid
  pid="$(running_pid)"
  if [[ -z "$pid" ]]; then
    rm -f "$PID_FILE"
    say "not running"
    return 0
  fi
  say "stopping pid $pid (SIGTERM)"
  kill -TERM "$pid" 2>/dev/null || true
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited >= KAFKA_STOP_TIMEOUT * 5)); then
      say "still running after ${KAFKA_STOP_TIMEOUT}s; SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  rm -f "$PID_FILE"
  say "stopped"
}

cmd_status() {
  local pid
  pid="$(running_pid)"
  if [[ -z "$pid" ]]; then
    say "not running (home $KAFKA_HOME_DIR)"
    return 3
  fi
  local rss
  rss="$(awk '/^VmRSS/ {print $2 " " $3}' "/proc/$pid/status" 2>/dev/null || true)"
  if answers 5000; then
    say "running (pid $pid, Kafka $KAFKA_VERSION, RSS $rss), answering on $BROKER"
  else
    say "running (pid $pid, Kafka $KAFKA_VERSION, RSS $rss), NOT answering on $BROKER (yet?)"
  fi
}

cmd_reset() {
  cmd_down
  say "deleting $KAFKA_HOME_DIR/data"
  rm -rf "$KAFKA_HOME_DIR/data"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  reset) cmd_reset ;;
  *) usage ;;
esac
