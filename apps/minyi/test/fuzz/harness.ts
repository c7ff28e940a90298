// Sends a fuzz request exactly as generated and judges the answer: never a 5xx; a refused request (4xx) stores
// nothing and answers problem+json whose status is the HTTP status and, for 400, whose errors name fields; a
// batch's or an import's items are judged the same way, one by one.
import fc from 'fast-check';
import type { Pool } from 'pg';
import { parsedOf } from './json-text.js';
import type { FuzzRequest } from './routes.js';

export interface Outcome {
  status: number;
  contentType: string | null;
  text: string;
  json: unknown;
}

/**
 * `others`: the events requests stored themselves (no causation id), the neighbour's aside — events that other
 * events cause (a bad rating's follow-up, opened by a reactor within seconds) land whenever they land. `mine`: every
 * event, caused or not, that carries this request's correlation id.
 */
export interface Counts {
  others: number;
  mine: number;
}

export const NEIGHBOUR_STREAMS = 'rating-nb-%';

export async function countEvents(pool: Pool, correlationId: string): Promise<Counts> {
  const { rows } = await pool.query<Counts>(
    `SELECT count(*) FILTER (WHERE stream_id NOT LIKE $1 AND metadata->>'causationId' IS NULL)::int AS others,
            count(*) FILTER (WHERE metadata->>'correlationId' = $2)::int AS mine
       FROM events`,
    [NEIGHBOUR_STREAMS, correlationId],
  );
  return rows[0];
}

/** The request as a reader can repeat it (curl-like), with its body cut at 2,000 characters. */
export function describeRequest(req: FuzzRequest): string {
  const headers = Object.entries(req.headers).map(([k, v]) => `${k}: ${v.length > 120 ? `${v.slice(0, 120)}… (${v.length} chars)` : v}`);
  let body = '(no body)';
  if (req.body) {
    const text = parsedOf(req.body) === undefined && !isUtf8(req.body) ? `hex ${req.body.subarray(0, 1000).toString('hex')}` : req.body.toString('utf8');
    body = text.length > 2000 ? `${text.slice(0, 2000)}… (${req.body.length} bytes)` : text;
  }
  return `${req.method} ${req.url.length > 300 ? `${req.url.slice(0, 300)}… (${req.url.length} chars)` : req.url}\n${headers.join('\n')}\n\n${body}\n[${req.label}]`;
}

function isUtf8(b: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

/** Gives the request a compact form in fast-check's failure report. */
export function printable(req: FuzzRequest): FuzzRequest {
  Object.defineProperty(req, fc.toStringMethod, { value: () => describeRequest(req), enumerable: false });
  return req;
}

export class RequestFailed extends Error {}

export async function send(baseUrl: string, req: FuzzRequest, correlationId: string): Promise<Outcome> {
  let res: Response;
  try {
    res = await fetch(baseUrl + req.url, {
      method: req.method,
      headers: { ...req.headers, 'x-correlation-id': correlationId },
      body: req.body ?? undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(60_000),
    });
  } catch (err) {
    throw new RequestFailed(`the request failed: ${(err as Error).message} (${String((err as { cause?: unknown }).cause ?? '')})`);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type'), text, json };
}

/** Whether the URL's path is percent-encoded UTF-8 (else the URL as a whole is refused, naming no field). */
function decodablePath(url: string): boolean {
  try {
    decodeURIComponent(url.split('?')[0]);
    return true;
  } catch {
    return false;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Whether the text has a member named __proto__ or constructor anywhere (a whole-body refusal of the JSON parser). */
function hasPoisonKey(body: Buffer | null): boolean {
  return !!body && /"(__proto__|constructor)"\s*:/.test(body.toString('utf8'));
}

/** Problems with a problem+json body of this status, as sentences; `fields` are the names its errors may give. */
export function problemFaults(problem: unknown, status: number, fields: Set<string>, wholeAllowed: boolean, where: string): string[] {
  const faults: string[] = [];
  if (!isObject(problem)) return [`${where}: the body is not a JSON object`];
  if (problem.status !== status) faults.push(`${where}: problem status ${JSON.stringify(problem.status)} is not the HTTP status ${status}`);
  if (typeof problem.type !== 'string' || typeof problem.title !== 'string') faults.push(`${where}: problem lacks type or title`);
  if (status !== 400) return faults;
  const errors = problem.errors;
  if (!Array.isArray(errors) || errors.length === 0) return [...faults, `${where}: a 400 without an errors array`];
  for (const e of errors) {
    if (!isObject(e) || typeof e.path !== 'string' || typeof e.message !== 'string' || !e.message) {
      faults.push(`${where}: error ${JSON.stringify(e)} is not { path, message }`);
      continue;
    }
    // Paths are dotted: a member whose own name holds a dot is named whole.
    const path = e.path;
    const named = fields.has(path) || [...fields].some((f) => f !== '' && path.startsWith(`${f}.`));
    if (path === '' && !named) {
      if (!wholeAllowed) faults.push(`${where}: error ${JSON.stringify(e)} names no field, though the body is a JSON object`);
    } else if (!named) {
      faults.push(`${where}: error path ${JSON.stringify(path)} names no field of the request (${[...fields].join(', ')})`);
    }
  }
  return faults;
}

/** Every way the answer breaks the properties, as sentences (empty: it holds). */
export function judge(req: FuzzRequest, out: Outcome, before: Counts, after: Counts): string[] {
  const faults: string[] = [];
  const stored = after.others - before.others;
  if (out.status >= 500) return [`answered ${out.status}`];
  const sent = req.method === 'POST' && req.body ? parsedOf(req.body) : undefined;
  if (out.status >= 400) {
    if (stored !== 0 || after.mine !== 0) faults.push(`refused with ${out.status}, yet ${stored} event(s) were stored (${after.mine} with its correlation id)`);
    if (!/^application\/problem\+json/.test(out.contentType ?? '')) faults.push(`a ${out.status} with content-type ${out.contentType}`);
    let fields = new Set(req.fields);
    let wholeAllowed: boolean;
    if (req.method === 'GET') {
      const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
      const names = new Set<string>();
      for (const [k] of new URLSearchParams(query)) names.add(k);
      // A name whose escapes are not UTF-8 is named as it was sent.
      for (const part of query.split('&')) names.add(part.split('=')[0]);
      fields = new Set([...fields, ...names]);
      wholeAllowed = !!req.rawQuery;
    } else {
      if (isObject(sent)) fields = new Set([...fields, ...Object.keys(sent)]);
      wholeAllowed = !isObject(sent) || hasPoisonKey(req.body) || !decodablePath(req.url);
    }
    faults.push(...problemFaults(out.json, out.status, fields, wholeAllowed, `the ${out.status}`));
    return faults;
  }
  if (req.itemFields && out.status === 200) {
    // A batch or an import: one result per item, in order; only the accepted ones stored, one event each.
    const items = isObject(sent) && Array.isArray(sent.ratings) ? sent.ratings : null;
    const results = isObject(out.json) && Array.isArray(out.json.results) ? out.json.results : null;
    if (!items || !results) return [`a 200 whose results cannot be read: ${out.text.slice(0, 300)}`];
    if (results.length !== items.length) faults.push(`${results.length} results for ${items.length} items`);
    let accepted = 0;
    results.forEach((r, i) => {
      if (!isObject(r) || !['accepted', 'duplicate', 'rejected'].includes(r.status as string)) return void faults.push(`result ${i} is ${JSON.stringify(r)}`);
      if (r.status === 'accepted') accepted++;
      if (r.status !== 'rejected') return;
      const p = r.problem as { status?: unknown } | undefined;
      const status = typeof p?.status === 'number' ? p.status : NaN;
      if (!(status >= 400 && status < 500)) return void faults.push(`item ${i} rejected with problem status ${String(p?.status)}`);
      const item = items[i];
      const itemFields = new Set([...req.itemFields!, ...(isObject(item) ? Object.keys(item) : [])]);
      faults.push(...problemFaults(p, status, itemFields, !isObject(item), `item ${i}'s problem`));
    });
    if (stored !== accepted) faults.push(`${accepted} item(s) accepted, yet ${stored} event(s) stored`);
    return faults;
  }
  const status = isObject(out.json) ? out.json.status : undefined;
  if (out.status === 200 && status === 'duplicate' && stored !== 0) faults.push(`answered duplicate, yet ${stored} event(s) were stored`);
  if ((out.status === 201 || out.status === 202) && stored < 1) faults.push(`answered ${out.status}, yet nothing was stored`);
  return faults;
}
