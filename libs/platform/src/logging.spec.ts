// The log line format: JSON with level, time, pid, msg, context; Nest's logger calls mapped onto it.
import { createLog, NestPinoLogger, prettyLine, requestContext } from './logging';

function capture(level: 'debug' | 'info' | 'warn' | 'error' = 'debug') {
  const lines: Record<string, unknown>[] = [];
  const logger = new NestPinoLogger(createLog({ level, destination: { write: (l: string) => void lines.push(JSON.parse(l)) } }));
  return { logger, lines };
}

it("when Nest's logger methods are called as Nest calls them, then each is one JSON line with its level and context", () => {
  const { logger, lines } = capture();
  logger.log('hello', 'ctx');
  logger.warn('careful', 'ctx');
  const err = new Error('boom');
  logger.error('it failed', err.stack, 'ctx');
  logger.debug('detail');
  logger.log('Mapped {/v1/ratings, POST} route', 'RouterExplorer');
  expect(lines.map((l) => [l.level, l.msg, l.context])).toEqual([
    ['info', 'hello', 'ctx'],
    ['warn', 'careful', 'ctx'],
    ['error', 'it failed', 'ctx'],
    ['debug', 'detail', undefined],
    ['debug', 'Mapped {/v1/ratings, POST} route', 'RouterExplorer'],
  ]);
  expect(lines[2].stack).toMatch(/boom\n\s+at /);
  expect(typeof lines[0].time).toBe('string');
  expect(lines[0].pid).toBe(process.pid);
});

it('when the level is warn, then info and debug lines are not written', () => {
  const { logger, lines } = capture('warn');
  logger.log('no', 'ctx');
  logger.debug('no');
  logger.warn('yes');
  expect(lines.map((l) => l.msg)).toEqual(['yes']);
});

it("when a line is written inside a request's context, then it carries the request's ids", () => {
  const { logger, lines } = capture();
  requestContext.run({ reqId: 'r-1', correlationId: 'c-1' }, () => logger.log('inside', 'ctx'));
  logger.log('outside', 'ctx');
  expect(lines[0]).toMatchObject({ reqId: 'r-1', correlationId: 'c-1' });
  expect(lines[1].correlationId).toBeUndefined();
});

it('when a JSON line is shown on a terminal, then it reads as time, level, context, message and the other fields', () => {
  const line = JSON.stringify({ level: 'info', time: '2026-12-01T09:30:00.123Z', pid: 1, context: 'http', msg: 'request', status: 202, route: '/v1/ratings' });
  expect(prettyLine(line, false)).toBe('09:30:00.123 INFO  [http] request  status=202 route=/v1/ratings\n');
  expect(prettyLine('not json', false)).toBe('not json');
});
