import { AsyncLocalStorage, AsyncResource, executionAsyncId } from 'node:async_hooks';
import { lightenAsyncResourceBind } from './async-resource-bind.js';

/** A fresh prototype carrying the built-in bind, so the test never changes the process's own. */
function builtInProto(): { bind: AsyncResource['bind'] } {
  const proto = Object.create(AsyncResource.prototype) as { bind: AsyncResource['bind'] };
  proto.bind = AsyncResource.prototype.bind;
  return proto;
}

/** bind with the thisArg Node accepts and its typings omit. */
type BindWithThis = (fn: (this: { n: number }, k: number) => number, thisArg: unknown) => (k: number) => number;

function resourceOn(proto: object, type: string): AsyncResource {
  const r = new AsyncResource(type);
  Object.setPrototypeOf(r, proto);
  return r;
}

describe('lightenAsyncResourceBind', () => {
  const major = Number(process.versions.node.split('.')[0]);
  const builtInIsCostly = /\bdeprecate\(/.test(Function.prototype.toString.call(AsyncResource.prototype.bind));

  it('when the built-in bind makes deprecation wrappers per call, then it is replaced; otherwise left alone', () => {
    const proto = builtInProto();
    const before = proto.bind;
    expect(lightenAsyncResourceBind(proto)).toBe(builtInIsCostly);
    expect(proto.bind !== before).toBe(builtInIsCostly);
    if (major === 20) expect(builtInIsCostly).toBe(true); // the version this exists for
  });

  it('when a bound function is called, then it runs in the resource’s async scope with its this, arguments and result', () => {
    const proto = builtInProto();
    lightenAsyncResourceBind(proto);
    const store = new AsyncLocalStorage<string>();
    const resource = store.run('at-bind', () => resourceOn(proto, 'test:bind'));
    const seen: unknown[] = [];
    function target(this: unknown, a: number, b: number) {
      seen.push(this, store.getStore(), executionAsyncId());
      return a + b;
    }
    const bound = resource.bind(target);
    const receiver = { name: 'receiver' };
    const result = store.run('at-call', () => bound.call(receiver, 2, 3));
    expect(result).toBe(5);
    expect(seen[0]).toBe(receiver);
    expect(seen[1]).toBe('at-bind');
    expect(seen[2]).toBe(resource.asyncId());
    expect(bound.length).toBe(2);
  });

  it('when bound with a thisArg, then that this is used', () => {
    const proto = builtInProto();
    lightenAsyncResourceBind(proto);
    const resource = resourceOn(proto, 'test:this');
    const that = { n: 7 };
    const bound = (resource.bind as unknown as BindWithThis).call(
      resource,
      function (this: { n: number }, k: number) {
        return this.n * k;
      },
      that,
    );
    expect(bound(6)).toBe(42);
  });

  it('when the deprecated asyncResource property is read, then it still gives the resource', () => {
    const proto = builtInProto();
    lightenAsyncResourceBind(proto);
    const resource = resourceOn(proto, 'test:property');
    const bound = resource.bind(() => 1) as unknown as { asyncResource: AsyncResource };
    expect(bound.asyncResource).toBe(resource);
  });

  it('when given something that is not a function, then it throws as the built-in does', () => {
    const proto = builtInProto();
    lightenAsyncResourceBind(proto);
    const resource = resourceOn(proto, 'test:invalid');
    expect(() => resource.bind(42 as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
  });
});
