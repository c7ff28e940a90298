// minyi's logs: JSON lines through pino (level, time, pid, msg, context, and the request's ids when there is a
// request), Nest's Logger routed to it, human-readable lines when stdout is a terminal. Never a token, a body or
// a query string: the access log names the route pattern and the caller, nothing the caller sent. (That is kept
// by what is logged, not by pino's redact: redaction cost ~5 µs a line, as much as the rest of the line.)
import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger, type LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** What every log line written while serving a request carries; set by the HTTP layer's first hook. */
export interface RequestContext {
  /** Made by minyi for every request; never taken from the client. */
  reqId: string;
  /** The client's `x-correlation-id` when it is well-formed, else the request id. Recorded on every event. */
  correlationId: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

/** What a client may send as `x-correlation-id`; anything else is replaced by the request id. */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export function acceptedCorrelationId(header: string | string[] | undefined): string | null {
  return typeof header === 'string' && CORRELATION_ID_PATTERN.test(header) ? header : null;
}

const COLOURS: Record<string, string> = { trace: '90', debug: '36', info: '32', warn: '33', error: '31', fatal: '35' };
const SHOWN_FIRST = new Set(['level', 'time', 'pid', 'msg', 'context']);

/** One JSON line as a terminal reader wants it: `09:30:00.123 INFO  [context] message key=value …`. */
export function prettyLine(line: string, colour = true): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = String(o.level ?? '');
  const time = typeof o.time === 'string' ? o.time.slice(11, 23) : '';
  const tag = level.toUpperCase().padEnd(5);
  const rest = Object.entries(o)
    .filter(([k]) => !SHOWN_FIRST.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const head = colour ? `\x1b[${COLOURS[level] ?? '0'}m${tag}\x1b[0m` : tag;
  const context = o.context ? `[${String(o.context)}] ` : '';
  const stack = typeof (o.err as { stack?: unknown } | undefined)?.stack === 'string' ? `\n${(o.err as { stack: string }).stack}` : '';
  return `${time} ${head} ${context}${String(o.msg ?? '')}${rest && !stack ? `  ${rest}` : ''}${stack}\n`;
}

export interface LogOptions {
  level?: LogLevel;
  /** Where the lines go; default stdout (JSON lines, or pretty lines when stdout is a terminal). */
  destination?: DestinationStream;
}

/** A pino logger writing minyi's line format. */
export function createLog(options: LogOptions = {}): PinoLogger {
  const destination =
    options.destination ??
    (process.stdout.isTTY
      ? { write: (line: string) => void process.stdout.write(prettyLine(line)) }
      : // Asynchronous writes (coalesced while one is in flight), flushed when the process exits.
        pino.destination({ dest: 1, sync: false }));
  return pino(
    {
      level: options.level ?? 'info',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const c = requestContext.getStore();
        return c ? { reqId: c.reqId, correlationId: c.correlationId } : {};
      },
    },
    destination,
  );
}

/** Nest's framework chatter at start-up (every module, every route): debug, so that info stays readable. */
const QUIET_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

/** Nest's LoggerService on pino: `new Logger('x').log(...)` anywhere in minyi writes a JSON line with context "x". */
export class NestPinoLogger implements LoggerService {
  constructor(readonly pino: PinoLogger) {}

  log(message: unknown, ...params: unknown[]): void {
    const { context, rest } = split(params);
    this.write(context && QUIET_CONTEXTS.has(context) ? 'debug' : 'info', message, context, rest);
  }
  error(message: unknown, ...params: unknown[]): void {
    const { context, rest } = split(params);
    this.write('error', message, context, rest);
  }
  warn(message: unknown, ...params: unknown[]): void {
    const { context, rest } = split(params);
    this.write('warn', message, context, rest);
  }
  debug(message: unknown, ...params: unknown[]): void {
    const { context, rest } = split(params);
    this.write('debug', message, context, rest);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    const { context, rest } = split(params);
    this.write('trace', message, context, rest);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    const { context, rest } = split(params);
    this.write('fatal', message, context, rest);
  }
  /** Nest calls this for `logger: [levels]`; minyi's level comes from MINYI_LOG_LEVEL instead. */
  setLogLevels(): void {}

  private write(level: pino.Level, message: unknown, context: string | undefined, rest: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    if (context) fields.context = context;
    let msg: string;
    if (message instanceof Error) {
      fields.err = message;
      msg = message.message;
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(fields, message);
      msg = '';
    } else {
      msg = String(message);
    }
    // Nest's error(message, stack, context): the stack comes as a string of its own.
    const extra: unknown[] = [];
    for (const r of rest) {
      if (r instanceof Error) fields.err = r;
      else if (typeof r === 'string' && /\n\s+at /.test(r)) fields.stack = r;
      else if (r !== undefined) extra.push(r);
    }
    if (extra.length) fields.extra = extra;
    this.pino[level](fields, msg);
  }
}

function split(params: unknown[]): { context: string | undefined; rest: unknown[] } {
  if (params.length && typeof params[params.length - 1] === 'string') {
    const last = params[params.length - 1] as string;
    // A stack trace is not a context, even when it comes last (Logger.error(message, stack) without a context).
    if (!/\n\s+at /.test(last)) return { context: last, rest: params.slice(0, -1) };
  }
  return { context: undefined, rest: params };
}

let processLog: NestPinoLogger | null = null;

/**
 * The process's logger: installed once by main (with MINYI_LOG_LEVEL) and made Nest's logger for everything,
 * including `new Logger(...)` instances created before an app exists. Without installLogging, info to stdout.
 */
export function installLogging(level: LogLevel, destination?: DestinationStream): NestPinoLogger {
  processLog = new NestPinoLogger(createLog({ level, destination }));
  // Nest's static Logger delegates to it from now on (the app gets the same one in createHttpApp).
  Logger.overrideLogger(processLog);
  return processLog;
}

export function processLogger(): NestPinoLogger {
  return (processLog ??= new NestPinoLogger(createLog()));
}
