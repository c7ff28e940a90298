// Anonymous surveys keep no link between an invitation and its response (API.md "Surveys"), looked for where someone
// holding the server would look: every file of the database (a PostgreSQL of this test's own: the log, the indexes,
// the WAL) for the tokens; the response's events and read-model rows for the token's hash and the invitation's id; the
// token's use for anything of the response; what the two facts' envelopes share (transaction, correlation, causation,
// request hash); and the process's log lines. A survey that is not anonymous is the control: its responses by token
// do name their invitation, and the checks see it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID, hash } from 'node:crypto';
import { Pool } from 'pg';
import { migrateDatabase, startSystem, type RunningSystem } from '@minyi/minyi';
import { installLogging, loadConfig } from '@minyi/platform';
import { ApiClient, freePort, scanFiles, startOwnPostgres, TEST_ADMIN_TOKEN } from '@minyi/testing';

let dir: string;
let pg: { url: string; stop(): Promise<void> };
let owner: Pool;
let sys: RunningSystem;
let admin: ApiClient;
const lines: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'minyi-anonymity-'));
  pg = await startOwnPostgres(dir, await freePort());
  await migrateDatabase(pg.url);
  owner = new Pool({ connectionString: pg.url, max: 2 });
  // Every log line the process writes, as `npm start` writes them (info: one access line per request).
  installLogging('info', { write: (line: string) => void lines.push(line) });
  const config = loadConfig({ DATABASE_URL: pg.url, MINYI_DATA_DIR: join(dir, 'data'), MINYI_ADMIN_TOKEN: TEST_ADMIN_TOKEN, PORT: '0', HOST: '127.0.0.1' });
  sys = await startSystem(config);
  admin = new ApiClient(sys.url, TEST_ADMIN_TOKEN);
}, 120_000);

afterAll(async () => {
  await sys?.stop();
  await owner?.end();
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function ok(p: Promise<{ status: number; body: any }>): Promise<any> {
  const r = await p;
  if (r.status >= 300) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const QUESTIONS = [
  { id: 'sat', kind: 'level5', text: '满意度', required: true, satisfaction: true },
  { id: 'idea', kind: 'text', text: '意见建议' },
];

interface Row {
  stream_id: string;
  type: string;
  global_position: string;
  transaction_id: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recorded_at: Date;
}

it('when an anonymous survey is answered by token, alone and several at once, then nothing stored or logged joins a token or its invitation to its response', async () => {
  await ok(admin.post('/v1/units', { id: 'cs', name: '长沙市公安局', parentId: null, kind: 'bureau' }));
  const survey = async (anonymous: boolean) => {
    const id = `s-${randomUUID()}`;
    await ok(admin.post('/v1/surveys', { id, unitId: 'cs', title: '警意调查', audience: 'staff', anonymous, questions: QUESTIONS }));
    await ok(admin.post(`/v1/surveys/${id}/publish`, {}));
    return id;
  };
  const anonymousSurvey = await survey(true);
  const namedSurvey = await survey(false);
  const invitationId = `inv-${randomUUID()}`;
  const issued: string[] = (await ok(admin.post(`/v1/surveys/${anonymousSurvey}/invitations`, { id: invitationId, count: 9 }))).tokens;
  const [namedToken] = (await ok(admin.post(`/v1/surveys/${namedSurvey}/invitations`, { id: 'named-inv', count: 1 }))).tokens;

  const respondent = new ApiClient(sys.url);
  const responseIds: string[] = [];
  const answer = (token: string, i: number) => {
    const id = randomUUID();
    responseIds.push(id);
    return ok(respondent.post(`/v1/surveys/${anonymousSurvey}/responses`, { id, token, answers: { sat: 1 + (i % 5), idea: `匿名建议 ${i}` }, submittedAt: new Date().toISOString() }));
  };
  // One alone, then eight at once.
  await answer(issued[0], 0);
  await Promise.all(issued.slice(1).map((t, i) => answer(t, i + 1)));
  await ok(respondent.post(`/v1/surveys/${namedSurvey}/responses`, { id: 'named-r', token: namedToken, answers: { sat: 3 }, submittedAt: new Date().toISOString() }));
  // The suggestions' opinions are filed and the read models caught up, so that everything is in the files.
  const waitUntil = async (check: () => Promise<boolean>) => {
    for (const deadline = Date.now() + 30_000; !(await check()); ) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await waitUntil(async () => (await owner.query(`SELECT 1 FROM events WHERE type = 'OpinionCollected'`)).rowCount === 9);
  await waitUntil(async () => Number((await owner.query(`SELECT coalesce(sum(responded), 0) AS n FROM rm_survey_totals`)).rows[0].n) === 10);

  const hashes = issued.map((t) => hash('sha256', t, 'hex'));
  const { rows: all } = await owner.query<Row>(`SELECT stream_id, type, global_position::text, transaction_id::text, data, metadata, recorded_at FROM events ORDER BY global_position`);
  const responses = all.filter((e) => e.type === 'SurveyResponded' && e.data.surveyId === anonymousSurvey);
  const uses = all.filter((e) => e.type === 'SurveyTokenUsed' && e.data.surveyId === anonymousSurvey);
  expect(responses).toHaveLength(9);
  expect(uses).toHaveLength(9);
  const secrets = [...issued, ...hashes, invitationId];

  // The response's events and everything derived from them (opinions, read-model rows) hold neither token, hash nor invitation.
  const derived = all.filter((e) => e.type === 'OpinionCollected' || (e.type === 'SurveyResponded' && e.data.surveyId === anonymousSurvey));
  for (const e of derived) {
    const text = JSON.stringify(e);
    expect({ stream: e.stream_id, holds: secrets.filter((s) => text.includes(s)) }).toEqual({ stream: e.stream_id, holds: [] });
  }
  for (const table of ['rm_survey_totals', 'rm_survey_questions', 'rm_survey_values', 'rm_cases', 'rm_satisfaction']) {
    const text = JSON.stringify((await owner.query(`SELECT * FROM ${table}`)).rows);
    expect({ table, holds: secrets.filter((s) => text.includes(s)) }).toEqual({ table, holds: [] });
  }
  // The token's use holds nothing of any response: no response id, no answer.
  for (const u of uses) {
    const text = JSON.stringify(u);
    expect(responseIds.filter((id) => text.includes(id))).toEqual([]);
    expect(text).not.toContain('匿名建议');
  }
  // The envelopes share nothing: never a transaction, a correlation id, a causation or a request hash; the actor names nobody.
  const useTransactions = new Set(uses.map((u) => u.transaction_id));
  const useValues = new Set(uses.flatMap((u) => Object.values(u.metadata).filter((v) => typeof v === 'string')));
  for (const r of responses) {
    expect(useTransactions.has(r.transaction_id)).toBe(false);
    expect(r.metadata.actor).toBe('invitation');
    expect(r.metadata.causationId).toBeNull();
    for (const k of ['correlationId', 'requestHash', 'causationId'] as const) expect(useValues.has(r.metadata[k] as string)).toBe(false);
  }
  for (const u of uses) expect(u.metadata.requestHash).toBeUndefined();

  // The log lines: no token, hash, invitation or response id; the access lines' correlation ids name no event of either fact.
  const logged = lines.join('');
  expect(secrets.filter((s) => logged.includes(s))).toEqual([]);
  expect(responseIds.filter((id) => logged.includes(id))).toEqual([]);
  const access = lines.map((l) => JSON.parse(l) as { msg?: string; route?: string; correlationId?: string }).filter((l) => l.msg === 'request' && l.route === '/v1/surveys/:id/responses');
  expect(access.length).toBe(10);
  const eventCorrelations = new Set([...responses, ...uses].map((e) => e.metadata.correlationId));
  for (const a of access) expect(eventCorrelations.has(a.correlationId)).toBe(false);

  // The control: a survey that is not anonymous names the invitation in its response, and the same check finds it.
  const named = all.find((e) => e.type === 'SurveyResponded' && e.data.surveyId === namedSurvey)!;
  expect(JSON.stringify(named)).toContain('named-inv');

  // Every file of the database: no token in plain anywhere (log, indexes, WAL); a plain write of one is found.
  await owner.query('CREATE TABLE scratch (t text)');
  await owner.query('INSERT INTO scratch VALUES ($1)', ['control-mi_7363616e_plain-written-needle']);
  await owner.query('CHECKPOINT');
  const needles = [...issued.map((t) => Buffer.from(t)), ...issued.map((t) => Buffer.from(t.slice(-32))), Buffer.from('control-mi_7363616e_plain-written-needle')];
  const { found, files, bytes } = scanFiles(join(dir, 'pg'), needles);
  expect(files).toBeGreaterThan(100);
  expect(bytes).toBeGreaterThan(16 * 1024 * 1024);
  expect(found.get(needles.at(-1)!.toString('hex'))?.length ?? 0).toBeGreaterThan(0);
  const leaked = needles.slice(0, -1).filter((n) => found.has(n.toString('hex')));
  expect(leaked.map((n) => n.toString())).toEqual([]);
}, 120_000);
