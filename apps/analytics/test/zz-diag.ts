// TEMPORARY diagnostic (to be deleted)
import { Client } from 'pg';
import { writeFileSync } from 'node:fs';
import type { TestSystem } from '@minyi/testing';
import { ReferenceModel, localDay, dateLabel } from './reference-model.js';

export async function dump(sys: TestSystem, ref: ReferenceModel, root: string, tag: string) {
  const c = new Client({ connectionString: sys.database.url });
  await c.connect();
  const out: string[] = [];
  out.push(JSON.stringify((await c.query(`SELECT type, count(*) FROM events GROUP BY type`)).rows));
  const rm = (await c.query(`SELECT period, n1,n2,n3,n4,n5 FROM rm_satisfaction WHERE scope=$1 AND granularity='day'`, [`unit:${root}`])).rows;
  const byDay = new Map(rm.map((r) => [r.period, r]));
  const days = new Set(ref.all().map((r) => dateLabel(localDay(r.at, ref.timeZone))));
  for (const d of [...days].sort()) {
    const exp = ref.counts(`unit:${root}`, 'day', d);
    const got = byDay.get(d);
    const g = got ? [got.n1, got.n2, got.n3, got.n4, got.n5].map(Number) : [0, 0, 0, 0, 0];
    if (g.join() !== exp.join()) {
      out.push(`${d}: got ${g} expected ${exp}`);
      for (const r of ref.all().filter((r) => dateLabel(localDay(r.at, ref.timeZone)) === d)) {
        const ev = (await c.query(`SELECT global_position, transaction_id::text, type, occurred_at, recorded_at FROM events WHERE stream_id = $1 ORDER BY stream_version`, [`rating-${r.id}`])).rows;
        out.push(`   ${r.id} score ${r.score} voided ${!!r.voided} events ${JSON.stringify(ev)}`);
      }
    }
  }
  out.push(JSON.stringify((await c.query(`SELECT * FROM consumer_checkpoints`)).rows));
  out.push(JSON.stringify((await c.query(`SELECT count(*) FROM dead_letters`).catch((e) => ({ rows: [String(e)] }))).rows));
  out.push(JSON.stringify((await c.query(`SELECT global_position, transaction_id::text, type, stream_id, recorded_at FROM events ORDER BY global_position DESC LIMIT 30`)).rows, null, 0));
  await c.end();
  writeFileSync(`/tmp/diag/${tag}-${process.pid}-${Date.now()}.txt`, out.join('\n'));
}
