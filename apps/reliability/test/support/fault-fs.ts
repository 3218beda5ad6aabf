import { relative } from 'node:path';
import { type FileSystem, nodeFileSystem } from '@jido-code/storage';
import { errnoCode } from '@jido-code/storage/internal';
import { type FaultLog, type FaultRule, injectFaults } from '@jido-code/test-support';

/** One FileSystem call seen while recording. */
export interface RecordedCall {
  /** 0-based position in the recorded operation. */
  readonly index: number;
  /** FileSystem method. */
  readonly method: keyof FileSystem;
  /** 1-based number of this method's call inside the recorded operation. */
  readonly methodCall: number;
  /** A stable description: method and the role of its path or descriptor (`write(sessions/<tmp>)`). */
  readonly site: string;
  /** The descriptor, for descriptor-level calls. */
  readonly fd?: number;
  /** `ok`, or the errno code it failed with. */
  outcome: string;
}

const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** The role of a path under a home: ids and random suffixes replaced, so two runs give the same labels. */
function pathRole(home: string, path: string): string {
  const rel = relative(home, path) || '.';
  return rel
    .replace(/\.[^/]*\.[0-9a-f]{16}\.tmp$/, '<tmp>')
    .replace(/\.stale\.[0-9a-f]+$/, '.stale.<rand>')
    .replace(uuidPattern, '<id>');
}

const fdMethods = new Set(['close', 'read', 'write', 'fsync', 'fdatasync', 'fstat', 'ftruncate']);

/** How a fault is applied: on the chosen call only, or on it and every later call of the method. */
export type FaultMode = 'once' | 'persistent';

/**
 * The real file system behind two layers: test-support's `injectFaults` (fails the Nth call of a
 * method; its plan is read live) and a recorder that labels every call with the role of its path
 * or descriptor and its outcome. The SQLite way: record an operation once, then re-run it with
 * call N failing, for every N.
 */
export class FaultHarness {
  /** The FileSystem to hand to storage. */
  readonly fs: FileSystem;
  /** The recorded calls since {@link start}. */
  readonly calls: RecordedCall[] = [];
  readonly #plan: FaultRule[] = [];
  readonly #injected: FileSystem & { readonly faults: FaultLog };
  readonly #fdPaths = new Map<number, string>();
  readonly #home: string;
  #recording = false;

  constructor(home: string, target: FileSystem = nodeFileSystem) {
    this.#home = home;
    this.#injected = injectFaults(target, this.#plan, { async: true });
    this.fs = this.#recorder();
  }

  /** The injection log of test-support's proxy. */
  get faults(): FaultLog {
    return this.#injected.faults;
  }

  /** Starts recording a fresh sequence. */
  start(): void {
    this.calls.length = 0;
    this.#recording = true;
  }

  /** Stops recording and returns the sequence. */
  stop(): RecordedCall[] {
    this.#recording = false;
    return [...this.calls];
  }

  /**
   * Fails the `methodCall`-th call of `method` counted from now (1-based), with `code`; `persistent`
   * keeps failing every later call of that method. `shortWrite` makes a `write` write half instead.
   */
  arm(method: string, methodCall: number, code: string, mode: FaultMode, shortWrite = false): void {
    const nth = this.#injected.faults.callCount(method) + methodCall;
    this.#plan.push({ method, nth, code, times: mode === 'once' ? 1 : 'always', shortWrite });
  }

  /** Stops every injection (the disk is healthy again). */
  heal(): void {
    this.#plan.length = 0;
  }

  #recorder(): FileSystem {
    const injected = this.#injected;
    const wrapped: Record<string, unknown> = {};
    for (const method of Object.keys(nodeFileSystem) as (keyof FileSystem)[]) {
      wrapped[method] = async (...args: unknown[]) => {
        let entry: RecordedCall | undefined;
        if (this.#recording) {
          const fd = fdMethods.has(method) ? (args[0] as number) : undefined;
          const path = fd === undefined ? String(args[0]) : (this.#fdPaths.get(fd) ?? `fd?`);
          const role = pathRole(this.#home, path);
          const methodCall = this.calls.filter((call) => call.method === method).length + 1;
          entry = {
            index: this.calls.length,
            method,
            methodCall,
            site: `${method}(${role}${method === 'rename' ? ` -> ${pathRole(this.#home, String(args[1]))}` : ''})`,
            ...(fd === undefined ? {} : { fd }),
            outcome: 'pending',
          };
          this.calls.push(entry);
        }
        try {
          const result = await (injected[method] as (...a: unknown[]) => Promise<unknown>)(...args);
          if (method === 'open') this.#fdPaths.set(result as number, String(args[0]));
          if (entry) entry.outcome = 'ok';
          return result;
        } catch (error) {
          if (entry) entry.outcome = errnoCode(error) ?? 'error';
          throw error;
        }
      };
    }
    return wrapped as unknown as FileSystem;
  }
}

/** Errors injected at every call site, and the code storage must map each one to. */
export const faultCodes = {
  ENOSPC: 'io_error',
  EIO: 'io_error',
  EACCES: 'permission_denied',
  EDQUOT: 'io_error',
  EMFILE: 'io_error',
  EROFS: 'io_error',
} as const;

/**
 * Finds fsync/fdatasync calls made again, in the same operation, on a descriptor or a file (same
 * path role) after one failed there: a failed fsync must never be retried (the kernel may have
 * dropped the dirty pages, so a second fsync can report success for lost data).
 */
export function fsyncRetries(calls: readonly RecordedCall[]): RecordedCall[] {
  const failedSites = new Set<string>();
  const retries: RecordedCall[] = [];
  for (const call of calls) {
    if (call.method !== 'fsync' && call.method !== 'fdatasync') continue;
    if (failedSites.has(call.site)) retries.push(call);
    if (call.outcome !== 'ok') failedSites.add(call.site);
  }
  return retries;
}
