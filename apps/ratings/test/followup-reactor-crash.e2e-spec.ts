// The follow-up reactor under kill -9 (ARCHITECTURE.md invariant 10): minyi (a real process, as `npm start` runs
// it, on a database of its own) is killed with SIGKILL twice while it works through bad ratings terminals keep
// sending, restarted each time; afterwards every bad rating has exactly one FollowUpOpened, every other rating none.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { ApiClient, buildOrganisation, createTestDatabase, MinyiProcess, SMALL_CITY, waitFor, type TestDatabase } from '@minyi/testing';

const ADMIN = 'followup-crash-admin-token-0123456789';
const MINUTE = 60_000;

let database: TestDatabase;
let owner: Pool;
let dataDir: string;
let minyi: MinyiProcess | null = null;
let over = false;

afterAll(async () => {
  over = true;
  await minyi?.stop();
  await owner?.end();
  await database?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await owner.query<{ n: number }>(sql, params);
  return rows[0].n;
}
const openedSoFar = () => count(`SELECT count(*)::int AS n FROM events WHERE type = 'FollowUpOpened'`);
/**
 * Follow-ups already opened for ratings past the reactor's checkpoint: effects that landed before the kill let the
 * checkpoint move over their cause, so the restarted reactor delivers those ratings again.
 */
const openedPastTheCheckpoint = () =>
  count(
    `SELECT count(*)::int AS n FROM events f JOIN events r ON r.event_id = (f.metadata->>'causationId')::uuid
       JOIN consumer_checkpoints c ON c.consumer = 'reactor:followups'
      WHERE f.type = 'FollowUpOpened' AND (r.transaction_id > c.transaction_id OR (r.transaction_id = c.transaction_id AND r.global_position > c.global_position))`,
  );

it('when minyi is killed with SIGKILL twice while its reactor works through bad ratings, then each bad rating has exactly one FollowUpOpened after the restarts', async () => {
  database = await createTestDatabase();
  owner = new Pool({ connectionString: database.url, max: 2 });
  dataDir = mkdtempSync(join(tmpdir(), 'minyi-followup-crash-'));
  minyi = await MinyiProcess.start([], { DATABASE_URL: database.url, MINYI_DATA_DIR: dataDir, MINYI_ADMIN_TOKEN: ADMIN });
  const admin = new ApiClient(minyi.url, ADMIN);
  const { terminalKeys } = await buildOrganisation(admin, SMALL_CITY);
  const keys = Object.values(terminalKeys);

  // 80 batches of 50 ratings, 3 in 5 of them bad (score 1 or 2), spread over the terminals.
  const now = Date.now();
  const batches = Array.from({ length: 80 }, (_, b) =>
    Array.from({ length: 50 }, (_, i) => ({ id: `fc-${b}-${i}`, score: [1, 2, 3, 1, 5][i % 5], occurredAt: new Date(now - MINUTE - (b * 50 + i) * 1000).toISOString() })),
  );
  const bad = batches.flat().filter((r) => r.score <= 2).map((r) => r.id);
  const good = batches.flat().filter((r) => r.score > 2).map((r) => r.id);

  // Each terminal sends its batches one after another, each until it is answered (no answer, 5xx, 408, 429: again).
  let answered = 0;
  const terminal = async (t: number) => {
    for (let b = t; b < batches.length; b += keys.length) {
      for (;;) {
        if (over) return;
        let r: { status: number; body: any } | null = null;
        try {
          r = await new ApiClient(minyi!.url, keys[t]).post('/v1/ratings/batch', { ratings: batches[b] });
        } catch {
          // refused or reset while minyi is down
        }
        if (r?.status === 200) {
          const statuses = new Set((r.body.results as { status: string }[]).map((x) => x.status));
          if (statuses.has('rejected')) throw new Error(`batch ${b}: ${JSON.stringify(r.body.results.find((x: { status: string }) => x.status === 'rejected'))}`);
          answered += 1;
          // A terminal's pace: the traffic lasts through both kills.
          await new Promise((resolve) => setTimeout(resolve, 200));
          break;
        }
        if (r && r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429) throw new Error(`batch ${b} answered ${r.status}: ${JSON.stringify(r.body)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  const traffic = Promise.all(keys.map((_, t) => terminal(t)));
  traffic.catch(() => (over = true));
  const refused = traffic.then(() => new Promise<never>(() => undefined));
  refused.catch(() => undefined);
  const meanwhile = <T>(p: Promise<T>) => Promise.race([p, refused]);

  // Killed while bad ratings come in and follow-ups are being opened.
  await meanwhile(waitFor('300 follow-ups', async () => (await openedSoFar()) >= 300, 60_000, 5)).catch(async (err) => {
    throw new Error(`${(err as Error).message}: ${await openedSoFar()} opened, ${answered} of ${batches.length} batches answered\n${minyi?.logs.slice(-3000)}`);
  });
  const answeredAtFirstKill = answered;
  await minyi.kill9(true);
  const atFirstKill = await openedSoFar();
  const redelivered = [await openedPastTheCheckpoint()];
  await meanwhile(minyi.start());
  await meanwhile(waitFor('more follow-ups after the restart', async () => (await openedSoFar()) >= atFirstKill + 300, 60_000, 5));
  const answeredAtSecondKill = answered;
  await minyi.kill9(true);
  redelivered.push(await openedPastTheCheckpoint());
  await meanwhile(minyi.start());
  await traffic;
  // Both kills came mid-traffic.
  expect(answeredAtSecondKill).toBeLessThan(batches.length);
  expect(answeredAtFirstKill).toBeLessThan(answeredAtSecondKill);
  expect(answered).toBe(batches.length);

  // Once the reactor's checkpoint is at the end of the log, it has seen everything: nothing more can come.
  const caughtUp = async () =>
    (await count(`SELECT count(*)::int AS n FROM events WHERE global_position > (SELECT global_position FROM consumer_checkpoints WHERE consumer = 'reactor:followups')`)) === 0;
  await waitFor('the reactor to reach the end of the log', caughtUp, 60_000, 50).catch(async (err) => {
    throw new Error(`${(err as Error).message}: ${atFirstKill} opened at the first kill, ${await openedSoFar()} of ${bad.length} now\n${minyi?.logs.slice(-4000)}`);
  });
  const { rows } = await owner.query<{ stream_id: string; n: number }>(
    `SELECT stream_id, count(*)::int AS n FROM events WHERE type = 'FollowUpOpened' GROUP BY stream_id`,
  );
  const perStream = new Map(rows.map((r) => [r.stream_id, r.n]));
  expect(bad.filter((id) => perStream.get(`followup-${id}`) !== 1)).toEqual([]);
  expect(good.filter((id) => perStream.has(`followup-${id}`))).toEqual([]);
  expect(perStream.size).toBe(bad.length);
  expect(await count(`SELECT count(*)::int AS n FROM events WHERE type = 'RatingSubmitted'`)).toBe(bad.length + good.length);
  expect(await count(`SELECT count(*)::int AS n FROM dead_letters WHERE consumer = 'reactor:followups'`)).toBe(0);
  expect(atFirstKill).toBeLessThan(bad.length);
  // At least one kill fell between a batch's effects and its checkpoint: those ratings were delivered again.
  expect({ redelivered, some: redelivered.some((n) => n > 0) }).toEqual({ redelivered, some: true });
}, 240_000);
