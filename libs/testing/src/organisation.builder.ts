// Builds a small organisation through the API: a bureau, branches, stations, windows, terminals, officers.
import type { ApiClient } from '@minyi/platform';

export interface BuiltOrganisation {
  terminalKeys: Record<string, string>;
}

export interface UnitSpec {
  id: string;
  name: string;
  parentId: string | null;
  kind: string;
}
export interface WindowSpec {
  id: string;
  unitId: string;
  name: string;
  serviceTypes?: string[];
  terminalId: string;
}

async function ok(p: Promise<{ status: number; body: any }>, what: string) {
  const r = await p;
  if (r.status !== 201 && r.status !== 200) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function buildOrganisation(
  admin: ApiClient,
  spec: { units: UnitSpec[]; windows: WindowSpec[]; officers?: { id: string; unitId: string; name: string }[] },
): Promise<BuiltOrganisation> {
  for (const u of spec.units) await ok(admin.post('/v1/units', u), `unit ${u.id}`);
  const terminalKeys: Record<string, string> = {};
  for (const w of spec.windows) {
    const { terminalId, ...window } = w;
    await ok(admin.post('/v1/windows', window), `window ${w.id}`);
    const t = await ok(admin.post('/v1/terminals', { id: terminalId, windowId: w.id }), `terminal ${terminalId}`);
    terminalKeys[terminalId] = t.apiKey;
  }
  for (const o of spec.officers ?? []) await ok(admin.post('/v1/officers', o), `officer ${o.id}`);
  return { terminalKeys };
}

/** City bureau → two branches → a station each (+ one brigade), two windows per station, officers. */
export const SMALL_CITY = {
  units: [
    { id: 'sz', name: '深圳市公安局', parentId: null, kind: 'bureau' },
    { id: 'ft', name: '福田分局', parentId: 'sz', kind: 'branch' },
    { id: 'ns', name: '南山分局', parentId: 'sz', kind: 'branch' },
    { id: 'ft-xm', name: '香蜜湖派出所', parentId: 'ft', kind: 'station' },
    { id: 'ns-yh', name: '粤海派出所', parentId: 'ns', kind: 'station' },
    { id: 'ns-crj', name: '南山出入境大厅', parentId: 'ns', kind: 'exit-entry' },
  ],
  windows: [
    { id: 'ft-xm-w1', unitId: 'ft-xm', name: '户政1号窗口', serviceTypes: ['户籍办理', '身份证办理'], terminalId: 't-ft-xm-w1' },
    { id: 'ft-xm-w2', unitId: 'ft-xm', name: '户政2号窗口', terminalId: 't-ft-xm-w2' },
    { id: 'ns-yh-w1', unitId: 'ns-yh', name: '综合窗口', terminalId: 't-ns-yh-w1' },
    { id: 'ns-crj-w1', unitId: 'ns-crj', name: '出入境1号窗口', terminalId: 't-ns-crj-w1' },
  ],
  officers: [
    { id: 'o-wang', unitId: 'ft-xm', name: '王建国' },
    { id: 'o-li', unitId: 'ns-yh', name: '李秀英' },
  ],
};
