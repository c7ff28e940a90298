// The event store against a real PostgreSQL: optimistic
// concurrency, grouped commits, and a global log that skips nothing under concurrent writers.
import { Pool } from 'pg';
import type { Pools } from '@minyi/platform';
import { useTestStore } from '@minyi/testing';
import { EVENTS_CHANNEL, EventStore, StreamVersionConflict } from './event-store.js';
import { LOG_START, type LogPosition, type NewEvent } from './types.js';

let url: string;
let pools: Pools;
let store: EventStore;

const unit = (id: string): NewEvent => ({
  type: 'UnitRegistered',
  version: 1,
  data: { unitId: id, name: `单位${id}`, parentId: null, kind: 'station' },
  occurredAt: new Date('2026-10-21T01:00:00Z'),
  unitId: id,
  metadata: { actor: 'admin', correlationId: 'c1', causationId: null },
});

useTestStore((t) => ({ pools, store, url } = t), 'all');

// Append-only in the database (privileges and trigger, each on its own): privileges.int-spec.ts.

describe('optimistic concurrency', () => {
  it('when two writers append at the same expected version, then exactly one wins and the other gets a conflict', async () => {
    await store.append('unit-b1', 0, [unit('b1')]);
    const results = await Promise.allSettled([
      store.append('unit-b1', 1, [unit('b1')]),
      new EventStore(pools.app).append('unit-b1', 1, [unit('b1')]),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(StreamVersionConflict);
    expect(await store.streamVersion('unit-b1')).toBe(2);
    expect((await store.readStream('unit-b1')).map((e) => e.streamVersion)).toEqual([1, 2]);
  });

  it('when a stream that must not exist already does, then the append is a conflict and nothing is written', async () => {
    await store.append('unit-c1', 0, [unit('c1')]);
    await expect(store.append('unit-c1', 0, [unit('c1')])).rejects.toBeInstanceOf(StreamVersionConflict);
    expect(await store.readStream('unit-c1')).toHaveLength(1);
  });

  it('when an append of several events is stale, then none of its events is written', async () => {
    await store.append('unit-d1', 0, [unit('d1')]);
    await store.append('unit-d1', 1, [unit('d1')]);
    await expect(store.append('unit-d1', 1, [unit('d1'), unit('d1')])).rejects.toBeInstanceOf(StreamVersionConflict);
    expect(await store.readStream('unit-d1')).toHaveLength(2);
  });

  it('when a payload does not match its schema, then nothing is appended', async () => {
    const bad = { ...unit('e1'), data: { unitId: 'e1' } };
    expect(() => store.append('unit-e1', 0, [bad])).toThrow(/does not match its schema/);
    expect(await store.readStream('unit-e1')).toHaveLength(0);
  });
});

describe('grouped commits', () => {
  it('when many appends arrive together, then they share commits and each one settles on its own', async () => {
    const before = { ...store.stats };
    const appends = Array.from({ length: 300 }, (_, i) => store.append(`unit-g${i}`, 0, [unit(`g${i}`)]));
    // One of them clashes with an existing stream: only it fails.
    const clash = store.append('unit-c1', 0, [unit('c1')]);
    const results = await Promise.allSettled([...appends, clash]);
    expect(results.slice(0, 300).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(results[300].status).toBe('rejected');
    const commits = store.stats.commits - before.commits;
    expect(commits).toBeLessThan(300);
    expect(store.stats.events - before.events).toBe(300);
  });

  it('when appends to the same streams queue behind others, then each stream\'s appends commit in the order they were made', async () => {
    // Small commits and one in flight: each commit passes over appends it must leave (their stream is in it)
    // and stops at its size limit with more behind them.
    const narrow = new EventStore(pools.app, { maxEventsPerCommit: 12, maxConcurrentCommits: 1, maxConcurrentBulkCommits: 1 });
    const appends: Promise<unknown>[] = [];
    for (let v = 0; v < 6; v++) {
      for (let s = 0; s < 5; s++) appends.push(narrow.append(`unit-q${s}`, v, [unit(`q${s}`)]));
      appends.push(narrow.append(`unit-q-other${v}`, 0, [unit(`q-other${v}`), unit(`q-other${v}`)]));
    }
    const results = await Promise.allSettled(appends);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    for (let s = 0; s < 5; s++) expect((await store.readStream(`unit-q${s}`)).map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(narrow.stats.commits).toBeGreaterThanOrEqual(6);
  });
});

describe('commit statements', () => {
  it('when single-event and multi-event appends share a commit, then each wins or loses on its own', async () => {
    await store.append('unit-m0', 0, [unit('m0')]);
    const singles = Array.from({ length: 20 }, (_, i) => store.append(`unit-m${i + 1}`, 0, [unit(`m${i + 1}`)]));
    const several = store.append('unit-mx', 0, [unit('mx'), unit('mx'), unit('mx')]);
    const stale = store.append('unit-m0', 0, [unit('m0'), unit('m0')]);
    const taken = store.append('unit-m0', 0, [unit('m0')]);
    const results = await Promise.allSettled([...singles, several, stale, taken]);
    expect(results.slice(0, 21).map((r) => r.status)).toEqual(Array(21).fill('fulfilled'));
    expect((results[21] as PromiseRejectedResult).reason).toBeInstanceOf(StreamVersionConflict);
    expect((results[22] as PromiseRejectedResult).reason).toBeInstanceOf(StreamVersionConflict);
    expect((await store.readStream('unit-mx')).map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    expect(await store.readStream('unit-m0')).toHaveLength(1);
  });

  /** Counts notifications on the log's channel while `work` runs (after any still on their way from earlier tests). */
  async function listening(work: (seen: () => number) => Promise<void>): Promise<void> {
    const listener = new Pool({ connectionString: url, max: 1 });
    const client = await listener.connect();
    try {
      let notified = 0;
      client.on('notification', (n) => {
        if (n.channel === EVENTS_CHANNEL) notified += 1;
      });
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      // Another store of this file may still send its last notification (within its 10 ms interval).
      await new Promise((r) => setTimeout(r, 50));
      notified = 0;
      await work(() => notified);
    } finally {
      client.release();
      await listener.end();
    }
  }

  const until = async (seen: () => number, n: number) => {
    for (const deadline = Date.now() + 10_000; seen() < n; await new Promise((r) => setTimeout(r, 5))) {
      if (Date.now() > deadline) throw new Error(`${seen()} notifications, expected ${n}`);
    }
  };

  it('when events are appended, then listeners of the log are notified (one event or several)', async () => {
    await listening(async (seen) => {
      const quiet = new EventStore(pools.app, { notifyIntervalMs: 0 });
      await quiet.append('unit-n1', 0, [unit('n1')]);
      await until(seen, 1);
      await quiet.append('unit-n2', 0, [unit('n2'), unit('n2')]);
      await until(seen, 2);
      // An append that lost (nothing added) tells nobody.
      await expect(quiet.append('unit-n2', 0, [unit('n2')])).rejects.toBeInstanceOf(StreamVersionConflict);
      await new Promise((r) => setTimeout(r, 100));
      expect(seen()).toBe(2);
    });
  });

  it('when many commits follow each other, then readers are notified at most once per interval, and once after the last', async () => {
    const throttled = new EventStore(pools.app, { notifyIntervalMs: 200, maxConcurrentCommits: 1 });
    await listening(async (seen) => {
      const started = Date.now();
      for (let i = 0; i < 12; i++) await throttled.append(`unit-t${i}`, 0, [unit(`t${i}`)]);
      const elapsed = Date.now() - started;
      expect(throttled.stats.commits).toBe(12);
      // The first commit notified at once; the later ones of an interval share one notification at its end.
      expect(throttled.stats.notifications).toBeLessThanOrEqual(Math.ceil(elapsed / 200));
      await new Promise((r) => setTimeout(r, 300));
      await until(seen, throttled.stats.notifications);
      expect(seen()).toBe(throttled.stats.notifications);
      expect(throttled.stats.notifications).toBeLessThanOrEqual(Math.ceil(elapsed / 200) + 1);
      // Twelve quick commits (the usual case) fall in one interval: the first one's notification, and the last one's.
      if (elapsed < 200) expect(throttled.stats.notifications).toBe(2);
    });
  });

  it('when a commit inserts into the log, then the insert itself notifies nobody (no lock held through the commit)', async () => {
    // A NOTIFY inside the committing transaction would hold PostgreSQL's database-wide notify lock through
    // its WAL flush, one grouped commit after another; the store notifies after committing instead.
    await listening(async (seen) => {
      await pools.app.query(
        `INSERT INTO events (event_id, stream_id, stream_version, type, version, data, metadata, unit_id, occurred_at)
         VALUES (gen_random_uuid(), 'unit-raw1', 1, 'UnitRegistered', 1, '{"unitId":"raw1","name":"r","parentId":null,"kind":"station"}', '{}', 'raw1', now())`,
      );
      await new Promise((r) => setTimeout(r, 100));
      expect(seen()).toBe(0);
    });
  });
});

describe('a gap-safe global log', () => {
  it('when a transaction holding an earlier position commits after a later one, then the reader does not pass it', async () => {
    const start = await lastPosition();
    // A writer takes a position and holds its transaction open…
    const slow = await pools.app.connect();
    await slow.query('BEGIN');
    await slow.query(
      `INSERT INTO events (event_id, stream_id, stream_version, type, version, data, metadata, unit_id, occurred_at)
       VALUES (gen_random_uuid(), 'unit-slow', 1, 'UnitRegistered', 1, '{"unitId":"slow","name":"s","parentId":null,"kind":"k"}', '{"actor":"t","correlationId":"c","causationId":null}', 'slow', now())`,
    );
    // …while another commits a later position.
    await store.append('unit-fast', 0, [unit('fast')]);
    const seenWhileOpen = await store.readAll(start, 100);
    expect(seenWhileOpen.map((e) => e.streamId)).not.toContain('unit-fast');
    await slow.query('COMMIT');
    slow.release();
    // Both become visible once no older transaction anywhere in the cluster is still running.
    let seen = await store.readAll(start, 100);
    for (const deadline = Date.now() + 30_000; seen.length < 2 && Date.now() < deadline; seen = await store.readAll(start, 100)) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(seen.map((e) => e.streamId)).toEqual(['unit-slow', 'unit-fast']);
  });

  it('when 8 writers append concurrently while a reader follows the log, then the reader sees every event exactly once', async () => {
    const from = await lastPosition();
    const writers = 8;
    const perWriter = 250;
    const writerPools = Array.from({ length: writers }, () => new Pool({ connectionString: url, max: 4 }));
    const expected = new Set<string>();
    const seen: string[] = [];
    let doneAt: number | null = null;
    const reader = (async () => {
      let at: LogPosition = from;
      for (;;) {
        const finished = doneAt;
        const batch = await store.readAll(at, 97);
        for (const e of batch) seen.push(e.streamId);
        if (batch.length) at = { transactionId: batch.at(-1)!.transactionId, globalPosition: batch.at(-1)!.globalPosition };
        // Once the writers are done, read on until every event has come: the log rightly holds events back
        // while any older transaction in the cluster (another test's, say) is still running. An event the
        // reader has passed never comes, so a skip still fails below, and a duplicate shows in the counts.
        else if (finished !== null && (seen.length >= expected.size || Date.now() - finished > 30_000)) return;
        else await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await Promise.all(
      writerPools.map(async (pool, w) => {
        const s = new EventStore(pool, { maxConcurrentCommits: 3 });
        const tasks = [];
        for (let i = 0; i < perWriter; i++) {
          const id = `unit-w${w}-${i}`;
          expected.add(id);
          tasks.push(s.append(id, 0, [unit(`w${w}-${i}`)]));
          if (i % 25 === 0) await new Promise((r) => setImmediate(r));
        }
        await Promise.all(tasks);
      }),
    );
    doneAt = Date.now();
    await reader;
    await Promise.all(writerPools.map((p) => p.end()));
    expect(seen).toHaveLength(expected.size);
    expect(new Set(seen)).toEqual(expected);
  });

  /** The last position once every committed event is visible (another test's transaction can hold some back). */
  async function lastPosition(): Promise<LogPosition> {
    const committed = Number((await pools.app.query('SELECT count(*) AS n FROM events')).rows[0].n);
    let all = await store.readAll(LOG_START, 1_000_000);
    for (const deadline = Date.now() + 30_000; all.length < committed && Date.now() < deadline; all = await store.readAll(LOG_START, 1_000_000)) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const last = all.at(-1);
    return last ? { transactionId: last.transactionId, globalPosition: last.globalPosition } : LOG_START;
  }
});

describe('appends kept apart', () => {
  it('when appends of two apart keys (and none) reach the store together, then no transaction holds two keys, and each key still groups its own', async () => {
    const requests = Array.from({ length: 30 }, (_, i) => ({
      streamId: `apart-${i}`,
      expectedVersion: 0,
      events: [{ type: 'UnitRegistered', version: 1, data: { unitId: `ap${i}`, name: 'n', parentId: null, kind: 'k' }, unitId: `ap${i}`, occurredAt: new Date(), metadata: { actor: 'a', correlationId: 'c', causationId: null } }],
      apart: i % 3 === 0 ? 'token-use' : i % 3 === 1 ? undefined : 'other',
    }));
    await Promise.all(store.appendMany(requests));
    const { rows } = await pools.app.query<{ stream_id: string; transaction_id: string }>(`SELECT stream_id, transaction_id::text AS transaction_id FROM events WHERE stream_id LIKE 'apart-%'`);
    const keyOf = (streamId: string) => requests.find((r) => r.streamId === streamId)!.apart ?? '';
    const keysByTransaction = new Map<string, Set<string>>();
    for (const r of rows) keysByTransaction.set(r.transaction_id, (keysByTransaction.get(r.transaction_id) ?? new Set()).add(keyOf(r.stream_id)));
    expect(rows).toHaveLength(30);
    for (const keys of keysByTransaction.values()) expect(keys.size).toBe(1);
    // Still grouped: far fewer transactions than appends.
    expect(keysByTransaction.size).toBeLessThan(30);
  });
});
