// The suggestion reactor under kill -9 (ARCHITECTURE.md invariant 10): minyi (a real process, as `npm start` runs it, on
// a database of its own) works through a backlog of responses, each with two suggestions and a blank answer, and is
// killed with SIGKILL twice while it files their opinions, restarted each time; afterwards every suggestion has
// exactly one OpinionCollected and nothing else became an opinion.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { streamIds, type SurveyRespondedV1 } from '@minyi/contracts';
import { EventStore } from '@minyi/event-store';
import { migrateDatabase } from '@minyi/minyi';
import { createTestDatabase, MinyiProcess, waitFor, type TestDatabase } from '@minyi/testing';

const ADMIN = 'suggestion-crash-admin-token-0123456789';
const RESPONSES = 3000;

let database: TestDatabase;
let owner: Pool;
let dataDir: string;
let minyi: MinyiProcess | null = null;

afterAll(async () => {
  await minyi?.stop();
  await owner?.end();
  await database?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function count(sql: string): Promise<number> {
  const { rows } = await owner.query<{ n: number }>(sql);
  return rows[0].n;
}
const filed = () => count(`SELECT count(*)::int AS n FROM events WHERE type = 'OpinionCollected'`);

it('when minyi is killed with SIGKILL twice while its reactor files suggestions, then each suggestion is exactly one opinion after the restarts', async () => {
  database = await createTestDatabase();
  await migrateDatabase(database.url);
  owner = new Pool({ connectionString: database.url, max: 4 });
  const store = new EventStore(owner);
  const meta = { actor: 'invitation', correlationId: 'c', causationId: null };
  await store.append(streamIds.unit('cs'), 0, [{ type: 'UnitRegistered', version: 1, data: { unitId: 'cs', name: '长沙市公安局', parentId: null, kind: 'bureau' }, occurredAt: new Date(), unitId: 'cs', metadata: meta }]);
  const at = new Date(Date.now() - 86_400_000);
  for (let i = 0; i < RESPONSES; i += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, RESPONSES - i) }, (_, k) => {
        const responseId = `r${i + k}`;
        const data: SurveyRespondedV1 = {
          surveyId: 'staff',
          responseId,
          unitId: 'cs',
          submittedAt: at.toISOString(),
          answers: [
            { questionId: 'idea', kind: 'text', value: `建议 ${responseId}` },
            { questionId: 'blank', kind: 'text', value: '   ' },
            { questionId: 'more', kind: 'text', value: `其他 ${responseId}` },
          ],
          valid: true,
          satisfaction: [],
          via: 'invitation',
          invitationId: null,
        };
        return store.append(streamIds.surveyResponse('staff', responseId), 0, [{ type: 'SurveyResponded', version: 1, data, occurredAt: at, unitId: 'cs', metadata: meta }]);
      }),
    );
  }
  dataDir = mkdtempSync(join(tmpdir(), 'minyi-suggestion-crash-'));
  minyi = await MinyiProcess.start([], { DATABASE_URL: database.url, MINYI_DATA_DIR: dataDir, MINYI_ADMIN_TOKEN: ADMIN });

  const expected = RESPONSES * 2;
  await waitFor('1000 opinions', async () => (await filed()) >= 1000, 120_000, 5);
  await minyi.kill9(true);
  const atFirstKill = await filed();
  await minyi.start();
  await waitFor('1000 more opinions', async () => (await filed()) >= atFirstKill + 1000, 120_000, 5);
  await minyi.kill9(true);
  const atSecondKill = await filed();
  await minyi.start();
  // Both kills came while it was still filing.
  expect(atFirstKill).toBeLessThan(expected);
  expect(atSecondKill).toBeLessThan(expected);

  const caughtUp = async () =>
    (await count(`SELECT count(*)::int AS n FROM events WHERE global_position > (SELECT global_position FROM consumer_checkpoints WHERE consumer = 'reactor:survey-suggestions')`)) === 0;
  await waitFor('the reactor to reach the end of the log', caughtUp, 120_000, 50);
  const { rows } = await owner.query<{ stream_id: string; n: number }>(`SELECT stream_id, count(*)::int AS n FROM events WHERE type = 'OpinionCollected' GROUP BY stream_id`);
  expect(rows.filter((r) => r.n !== 1)).toEqual([]);
  const ids = new Set(rows.map((r) => r.stream_id));
  const want = Array.from({ length: RESPONSES }, (_, i) => [`opinion-staff:r${i}:idea`, `opinion-staff:r${i}:more`]).flat();
  expect(ids.size).toBe(expected);
  expect(want.filter((id) => !ids.has(id))).toEqual([]);
}, 300_000);
