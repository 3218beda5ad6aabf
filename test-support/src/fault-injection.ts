import { errnoError } from './errno-error.js';

/** The failures storage code must survive; any other errno code string is accepted too. */
export type FaultCode =
  | 'ENOSPC'
  | 'EIO'
  | 'EACCES'
  | 'EDQUOT'
  | 'EMFILE'
  | 'EROFS'
  | 'EPERM'
  | 'ENOENT'
  | (string & {});

/** One rule of a {@link FaultPlan}: which calls of which method fail, and how. */
export interface FaultRule {
  /** The method name, exactly, or a pattern tested against it (`/^write/`). */
  readonly method: string | RegExp;
  /** The `code` of the injected error. */
  readonly code: FaultCode;
  /** The first call (1-based, counted per method) that fails. Default 1. */
  readonly nth?: number;
  /** How many calls fail, from the `nth` on, consecutively; `'always'` never stops. Default 1. */
  readonly times?: number | 'always';
  /**
   * Instead of failing, call the method with half the data (see {@link injectFaults} for the
   * convention). When the arguments hold no data to halve, the call fails with `code` instead.
   */
  readonly shortWrite?: boolean;
  /** Whether a failure is a rejected promise (true) or a throw (false). Default: see {@link injectFaults}. */
  readonly async?: boolean;
}

/** The rules of an injection, tried in order; the first that applies to a call wins. */
export type FaultPlan = readonly FaultRule[];

/** How a call was disturbed. */
export type FaultKind = 'error' | 'short-write';

/** A call made through the proxy. */
export interface FaultCall {
  /** The method called. */
  readonly method: string;
  /** Its 1-based call number, counted per method. */
  readonly call: number;
  /** What was injected into this call, if anything. */
  readonly injected?: { readonly code: string; readonly kind: FaultKind };
}

/** A call that was failed or shortened. */
export interface InjectedFault {
  /** The method called. */
  readonly method: string;
  /** Its 1-based call number, counted per method. */
  readonly call: number;
  /** The rule's code. */
  readonly code: string;
  /** Whether it threw/rejected or was a short write. */
  readonly kind: FaultKind;
}

/** The record of an injection, and its off switch. Available as `proxy.faults`. */
export interface FaultLog {
  /** Every call of a function property, in order. */
  readonly calls: readonly FaultCall[];
  /** Every injected failure or short write, in order. */
  readonly injected: readonly InjectedFault[];
  /** How many times `method` has been called through the proxy. */
  callCount(method: string): number;
  /** Stops injecting: from now on every call goes straight to the target (calls are still logged). */
  heal(): void;
  /** True after {@link heal}. */
  readonly healed: boolean;
}

/** Options of {@link injectFaults}. */
export interface InjectFaultsOptions {
  /** Fail every method by rejecting (true) or throwing (false), unless a rule says otherwise. */
  readonly async?: boolean | undefined;
}

function checkRule(rule: FaultRule, index: number): void {
  const { nth = 1, times = 1 } = rule;
  if (!Number.isSafeInteger(nth) || nth < 1) {
    throw new RangeError(`injectFaults: rule ${index} has nth ${nth}; it must be an integer >= 1`);
  }
  if (times !== 'always' && (!Number.isSafeInteger(times) || times < 0)) {
    throw new RangeError(
      `injectFaults: rule ${index} has times ${times}; it must be an integer >= 0 or 'always'`,
    );
  }
  if (typeof rule.code !== 'string' || rule.code === '') {
    throw new RangeError(`injectFaults: rule ${index} needs an error code`);
  }
}

const matches = (pattern: string | RegExp, method: string): boolean =>
  typeof pattern === 'string' ? pattern === method : method.search(pattern) >= 0;

const half = (value: number): number => Math.ceil(value / 2);

/** The arguments of a write-like call with half its data, or undefined when there is no data. */
function halveWrite(args: readonly unknown[]): unknown[] | undefined {
  let dataIndex = args.findIndex((arg) => ArrayBuffer.isView(arg));
  if (dataIndex < 0) {
    // No binary data: the text is the last string that is not an encoding name (a path comes first).
    dataIndex = args.findLastIndex((arg) => typeof arg === 'string' && !Buffer.isEncoding(arg));
  }
  if (dataIndex < 0) return undefined;
  const data = args[dataIndex] as string | ArrayBufferView;
  const next = [...args];
  const afterData = args[dataIndex + 1];
  const lengthArgument = args[dataIndex + 2];
  if (typeof data !== 'string') {
    // (…, buffer, offset, length, …) → length halved
    if (typeof afterData === 'number' && typeof lengthArgument === 'number') {
      next[dataIndex + 2] = half(lengthArgument);
      return next;
    }
    // (…, buffer, offset) → an explicit length: half of what is left after offset
    if (typeof afterData === 'number' && args.length === dataIndex + 2) {
      next.push(half(Math.max(0, data.byteLength - afterData)));
      return next;
    }
    // (…, buffer, { length, … }) → length halved
    if (
      typeof afterData === 'object' &&
      afterData !== null &&
      typeof (afterData as { length?: unknown }).length === 'number'
    ) {
      next[dataIndex + 1] = { ...afterData, length: half((afterData as { length: number }).length) };
      return next;
    }
    // anything else (writeFile, write(fd, buffer)) → the first half of the data
    const bytes = half(data.byteLength);
    next[dataIndex] =
      'subarray' in data && typeof data.subarray === 'function'
        ? (data.subarray as (start: number, end: number) => ArrayBufferView)(0, bytes)
        : new Uint8Array(data.buffer, data.byteOffset, bytes);
    return next;
  }
  next[dataIndex] = data.slice(0, half(data.length));
  return next;
}

function isAsyncFunction(fn: (...args: unknown[]) => unknown): boolean {
  return fn.constructor?.name === 'AsyncFunction';
}

/**
 * Wraps `target` (an object of sync or async functions: an fs-like adapter, `fs.promises`, a
 * FileHandle) in a Proxy that fails chosen calls the way a full or broken disk would, and logs
 * every call in `proxy.faults`. Methods run with `this` = `target`; other properties pass through.
 *
 * A call fails when a rule matches its method, its per-method call number is at least `nth`, and
 * the rule has fired fewer than `times` times. A failing call does not reach the target: it
 * throws an {@link errnoError} — or returns a rejected promise, when the rule (or the options)
 * say `async: true`, or else when the method is an `async function`. Methods that return
 * promises without being declared `async` (FileHandle methods, `util.promisify` results) need
 * `async: true`; otherwise their failure is a synchronous throw (which `await` turns into a
 * rejection anyway).
 *
 * With `shortWrite: true` the call instead reaches the target with half its data, rounded up:
 * - `(…, buffer, offset, length, …)` (fs.write, fs.writeSync, FileHandle#write): length becomes ceil(length/2);
 * - `(…, buffer, offset)`: length ceil((buffer.byteLength − offset)/2) is added;
 * - `(…, buffer, { length, … })`: the options' length becomes ceil(length/2);
 * - otherwise (writeFile, appendFile, write(fd, buffer), write(fd, string, …)): the data is cut
 *   to its first half (a torn write).
 *
 * The data is the first Buffer/TypedArray/DataView argument or, when there is none, the last
 * string argument that is not an encoding name (so in `writeFile(path, text, 'utf8')` it is
 * `text`). A string is cut by UTF-16 units.
 *
 * The plan is read live, so rules pushed onto a mutable array later apply too; `faults.heal()`
 * turns all injection off. A target property named `faults` is hidden by the log.
 */
export function injectFaults<T extends object>(
  target: T,
  plan: FaultPlan,
  options: InjectFaultsOptions = {},
): T & { readonly faults: FaultLog } {
  plan.forEach(checkRule);
  const calls: FaultCall[] = [];
  const injected: InjectedFault[] = [];
  const counts = new Map<string, number>();
  const fired = new Map<FaultRule, number>();
  let healed = false;

  const log: FaultLog = {
    calls,
    injected,
    callCount: (method) => counts.get(method) ?? 0,
    heal: () => {
      healed = true;
    },
    get healed() {
      return healed;
    },
  };

  const ruleFor = (method: string, call: number): FaultRule | undefined => {
    if (healed) return undefined;
    for (const [index, rule] of plan.entries()) {
      checkRule(rule, index);
      const { nth = 1, times = 1 } = rule;
      if (!matches(rule.method, method) || call < nth) continue;
      if (times !== 'always' && (fired.get(rule) ?? 0) >= times) continue;
      return rule;
    }
    return undefined;
  };

  const wrap =
    (method: string, original: (...args: unknown[]) => unknown) =>
    (...args: unknown[]): unknown => {
      const call = (counts.get(method) ?? 0) + 1;
      counts.set(method, call);
      const rule = ruleFor(method, call);
      if (!rule) {
        calls.push({ method, call });
        return Reflect.apply(original, target, args);
      }
      fired.set(rule, (fired.get(rule) ?? 0) + 1);
      const shortened = rule.shortWrite ? halveWrite(args) : undefined;
      const kind: FaultKind = shortened ? 'short-write' : 'error';
      calls.push({ method, call, injected: { code: rule.code, kind } });
      injected.push({ method, call, code: rule.code, kind });
      if (shortened) return Reflect.apply(original, target, shortened);
      const error = errnoError(rule.code, method);
      if (rule.async ?? options.async ?? isAsyncFunction(original)) return Promise.reject(error);
      throw error;
    };

  const wrappers = new Map<string, { original: unknown; wrapper: unknown }>();
  return new Proxy(target, {
    get(object, property) {
      if (property === 'faults') return log;
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function' || typeof property === 'symbol') return value;
      // A non-writable, non-configurable property must read back unchanged (a Proxy invariant).
      const own = Object.getOwnPropertyDescriptor(object, property);
      if (own && !own.configurable && !own.writable && 'value' in own) return value;
      const cached = wrappers.get(property);
      if (cached?.original === value) return cached.wrapper;
      const wrapper = wrap(property, value as (...args: unknown[]) => unknown);
      wrappers.set(property, { original: value, wrapper });
      return wrapper;
    },
    has(object, property) {
      return property === 'faults' || Reflect.has(object, property);
    },
  }) as T & { readonly faults: FaultLog };
}
