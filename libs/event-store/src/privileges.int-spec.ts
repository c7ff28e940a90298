// Invariant 1 in the database, each defence on its own: the application logs in as a restricted role of its
// own (no SET ROLE that RESET ROLE undoes), whose privileges refuse changing the log and writing the columns
// that order it; and the trigger refuses changes even to the owner.
import { useTestStore, type TestPools } from '@minyi/testing';
import { APP_LOGINS, APP_ROLE, APPENDED_COLUMNS } from './event-store.migrations.js';
import type { EventStore } from './event-store.js';
import type { NewEvent } from './types.js';

let pools: TestPools;
let store: EventStore;

const unit = (id: string): NewEvent => ({
  type: 'UnitRegistered',
  version: 1,
  data: { unitId: id, name: `单位${id}`, parentId: null, kind: 'station' },
  occurredAt: new Date('2026-10-21T01:00:00Z'),
  unitId: id,
  metadata: { actor: 'admin', correlationId: 'c1', causationId: null },
});

useTestStore((t) => ({ pools, store } = t), 'all');

/** PostgreSQL's own refusal, not the trigger's ("events are append-only: …"). */
const DENIED_ON_EVENTS = /^permission denied for table events$/;

const insertNaming = (column: string, value: string) =>
  pools.app.query(
    `INSERT INTO events (event_id, stream_id, stream_version, type, version, data, metadata, unit_id, occurred_at, ${column})
     VALUES (gen_random_uuid(), 'unit-behind', 1, 'UnitRegistered', 1, '{"unitId":"behind","name":"b","parentId":null,"kind":"k"}',
             '{"actor":"t","correlationId":"c","causationId":null}', 'behind', now(), ${value})`,
  );

describe("the application's connection", () => {
  it('when the application connects, then it logs in as its own login role, a member of the application role only', async () => {
    const { rows } = await pools.app.query(
      `SELECT session_user AS session, current_user AS "current", r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolreplication, r.rolbypassrls,
              pg_has_role(current_user, '${APP_ROLE}', 'USAGE') AS app,
              pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = 'events'::regclass), 'MEMBER') AS owner,
              pg_has_role(current_user, 'pg_write_all_data', 'MEMBER') AS writes_all,
              (SELECT rolname FROM pg_roles WHERE oid = (SELECT relowner FROM pg_class WHERE oid = 'events'::regclass)) AS events_owner
       FROM pg_roles r WHERE r.rolname = current_user`,
    );
    const r = rows[0];
    expect(r.session).toMatch(new RegExp(`^${APP_ROLE}_minyi_test_[0-9a-f]+$`));
    expect(r.current).toBe(r.session); // no SET ROLE: the role it logs in as is the role it acts as
    expect(r.events_owner).not.toBe(r.session);
    expect({ super: r.rolsuper, createrole: r.rolcreaterole, createdb: r.rolcreatedb, replication: r.rolreplication, bypassrls: r.rolbypassrls }).toEqual({
      super: false,
      createrole: false,
      createdb: false,
      replication: false,
      bypassrls: false,
    });
    expect({ app: r.app, owner: r.owner, writesAll: r.writes_all }).toEqual({ app: true, owner: false, writesAll: false });
  });

  it('when the application asks for its rights on events, then it may read and append the stored columns, nothing else', async () => {
    const { rows } = await pools.app.query(
      `SELECT p AS privilege, has_table_privilege('events', p) AS granted FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.privilege, r.granted]))).toEqual({
      SELECT: true,
      INSERT: false, // not on the table: on its columns only
      UPDATE: false,
      DELETE: false,
      TRUNCATE: false,
      REFERENCES: false,
      TRIGGER: false,
    });
    const { rows: columns } = await pools.app.query<{ column: string; insert: boolean; update: boolean }>(
      `SELECT attname AS column, has_column_privilege('events', attname, 'INSERT') AS insert, has_column_privilege('events', attname, 'UPDATE') AS update
       FROM pg_attribute WHERE attrelid = 'events'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    );
    expect(columns.filter((c) => c.insert).map((c) => c.column).sort()).toEqual([...APPENDED_COLUMNS].sort());
    expect(columns.filter((c) => !c.insert).map((c) => c.column).sort()).toEqual(['global_position', 'recorded_at', 'transaction_id']);
    expect(columns.filter((c) => c.update)).toEqual([]);
    const { rows: schema } = await pools.app.query(`SELECT has_schema_privilege('public', 'CREATE') AS create, has_table_privilege('${APP_LOGINS}', 'SELECT') AS logins`);
    expect(schema[0]).toEqual({ create: false, logins: false });
  });
});

describe('append-only, enforced by the privileges (PostgreSQL refuses before the trigger is reached)', () => {
  beforeAll(async () => {
    await store.append('unit-a1', 0, [unit('a1')]);
  });

  it('when the application updates, deletes or truncates events, then PostgreSQL denies the permission', async () => {
    await expect(pools.app.query(`UPDATE events SET data = '{}' WHERE stream_id = 'unit-a1'`)).rejects.toThrow(DENIED_ON_EVENTS);
    await expect(pools.app.query(`DELETE FROM events WHERE stream_id = 'unit-a1'`)).rejects.toThrow(DENIED_ON_EVENTS);
    await expect(pools.app.query(`TRUNCATE events`)).rejects.toThrow(DENIED_ON_EVENTS);
    await expect(pools.app.query(`ALTER TABLE events DISABLE TRIGGER events_no_update_delete`)).rejects.toThrow(/must be owner of table events/);
  });

  it('when the application resets its role, then it is still itself and still may not update events', async () => {
    const c = await pools.app.connect();
    try {
      const before = (await c.query('SELECT current_user AS u')).rows[0].u;
      await c.query('RESET ROLE');
      expect((await c.query('SELECT current_user AS u')).rows[0].u).toBe(before);
      await expect(c.query(`UPDATE events SET data = '{}' WHERE stream_id = 'unit-a1'`)).rejects.toThrow(DENIED_ON_EVENTS);
      const owner = (await pools.owner.query('SELECT current_user AS u')).rows[0].u;
      await expect(c.query(`SET ROLE ${c.escapeIdentifier(owner)}`)).rejects.toThrow(/permission denied to set role/);
      // The switch that turns triggers off is a superuser's only.
      await expect(c.query('SET session_replication_role = replica')).rejects.toThrow(/permission denied to set parameter/);
    } finally {
      c.release();
    }
  });

  it.each(['transaction_id', 'global_position', 'recorded_at'])(
    'when the application inserts an event naming %s, then PostgreSQL refuses it and nothing is stored',
    async (column) => {
      const value = { transaction_id: `'1'::xid8`, global_position: '1', recorded_at: `'2000-01-01T00:00:00Z'` }[column]!;
      await expect(insertNaming(column, value)).rejects.toThrow(DENIED_ON_EVENTS);
      const { rows } = await pools.owner.query(`SELECT count(*)::int AS n FROM events WHERE stream_id = 'unit-behind'`);
      expect(rows[0].n).toBe(0);
    },
  );

  it('when the application inserts an event naming only the columns the store writes, then it is stored with the log defaults', async () => {
    const { rows } = await pools.app.query(
      `INSERT INTO events (${APPENDED_COLUMNS.join(', ')})
       VALUES (gen_random_uuid(), 'unit-plain', 1, 'UnitRegistered', 1, '{"unitId":"plain","name":"p","parentId":null,"kind":"k"}',
               '{"actor":"t","correlationId":"c","causationId":null}', 'plain', now())
       RETURNING transaction_id = pg_current_xact_id() AS own_transaction, recorded_at = now() AS recorded_now`,
    );
    expect(rows[0]).toEqual({ own_transaction: true, recorded_now: true });
  });

  it('when the application changes the schema, then PostgreSQL refuses: it owns no table and may create none', async () => {
    await expect(pools.app.query('CREATE TABLE intruder (x int)')).rejects.toThrow(/permission denied for schema public/);
    await expect(pools.app.query('DROP TABLE rm_satisfaction')).rejects.toThrow(/must be owner of table rm_satisfaction/);
    await expect(pools.app.query(`SELECT * FROM ${APP_LOGINS}`)).rejects.toThrow(new RegExp(`permission denied for table ${APP_LOGINS}`));
    const login = (await pools.app.query('SELECT current_user AS u')).rows[0].u;
    const { rows } = await pools.owner.query(`SELECT count(*)::int AS n FROM pg_class WHERE relowner IN ('${APP_ROLE}'::regrole, $1::regrole)`, [login]);
    expect(rows[0].n).toBe(0);
  });
});

describe('append-only, enforced by the trigger', () => {
  it('when even the owner (a superuser here) updates, deletes or truncates, then the trigger refuses it', async () => {
    await expect(pools.owner.query(`UPDATE events SET data = '{}' WHERE stream_id = 'unit-a1'`)).rejects.toThrow(/^events are append-only: UPDATE refused/);
    await expect(pools.owner.query(`DELETE FROM events`)).rejects.toThrow(/^events are append-only: DELETE refused/);
    await expect(pools.owner.query(`TRUNCATE events`)).rejects.toThrow(/^events are append-only: TRUNCATE refused/);
    const { rows } = await pools.owner.query(`SELECT data FROM events WHERE stream_id = 'unit-a1'`);
    expect(rows[0].data.name).toBe('单位a1');
  });
});
