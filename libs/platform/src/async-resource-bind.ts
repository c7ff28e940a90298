// A cheaper AsyncResource.prototype.bind for Node versions whose built-in one wraps two fresh util.deprecate
// functions around every bound function (Node 20): Fastify binds once per request that has a body, and on
// the rating route that cost ~16 µs of the ~230 µs of CPU a rating takes (3 µs after; bench/results/analysis.md).
import { AsyncResource } from 'node:async_hooks';

const DEP0172 = 'The asyncResource property on bound functions is deprecated';
let warned = false;

function warnOnce(): void {
  if (warned) return;
  warned = true;
  process.emitWarning(DEP0172, 'DeprecationWarning', 'DEP0172');
}

/**
 * Replaces AsyncResource.prototype.bind with an equivalent that builds no deprecation wrappers per call
 * (the deprecated `asyncResource` property stays, and still warns once when used). Does nothing where the
 * built-in bind is already cheap. Returns whether it replaced it.
 */
type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;
/** bind as Node implements it (its typings omit the optional thisArg). */
type Bind = (this: AsyncResource, fn: AnyFunction, thisArg?: unknown) => AnyFunction;

export function lightenAsyncResourceBind(proto: object = AsyncResource.prototype): boolean {
  const target = proto as { bind: Bind };
  const builtIn = target.bind;
  if (!/\bdeprecate\(/.test(Function.prototype.toString.call(builtIn))) return false;
  target.bind = function bind(this: AsyncResource, fn: AnyFunction, thisArg?: unknown): AnyFunction {
    // A non-function gets the built-in's own error.
    if (typeof fn !== 'function') return builtIn.call(this, fn, thisArg);
    return boundTo(this, fn, thisArg);
  };
  return true;
}

function boundTo(resource: AsyncResource, fn: AnyFunction, thisArg: unknown): AnyFunction {
  let current = resource;
  const bound: AnyFunction =
    thisArg === undefined
      ? function (this: unknown, ...args: unknown[]) {
          return resource.runInAsyncScope(fn, this, ...args);
        }
      : resource.runInAsyncScope.bind(resource, fn, thisArg);
  Object.defineProperties(bound, {
    length: { configurable: true, enumerable: false, value: fn.length, writable: false },
    asyncResource: {
      configurable: true,
      enumerable: true,
      get() {
        warnOnce();
        return current;
      },
      set(value: AsyncResource) {
        warnOnce();
        current = value;
      },
    },
  });
  return bound;
}
