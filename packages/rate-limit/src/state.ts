import { err, JidoError, limits, ok, type Result } from '@jido-code/core-schema';
import { isRecord, maxRuleLimit, operationNamePattern } from './rules.js';

/** Version of the persisted rate-limit document this package reads and writes. */
export const rateLimitStateVersion = 1;

/** Longest key (for resume: a session id) the limiter accepts, in characters. */
export const maxRateLimitKeyLength = limits.maxShortStringLength;

/** The attempts recorded for one key of one operation. */
export interface KeyLog {
  /** The key, e.g. a session id. */
  readonly key: string;
  /** Timestamps (ms) of recorded attempts, ascending, at most the rule's `limit`. */
  readonly hits: readonly number[];
}

/** Everything recorded for one operation. */
export interface OperationState {
  /** Timestamps of attempts across all keys, ascending, at most the global `limit` (empty without one). */
  readonly global: readonly number[];
  /**
   * One log per key that has a hit in its window, ordered by last hit, oldest first, so idle keys
   * form a prefix and expire without looking at the others.
   */
  readonly keys: readonly KeyLog[];
}

/**
 * The whole limiter state: plain JSON, small and bounded (at most `limit` timestamps per key,
 * only keys active in their window). Stores keep it; the pure functions in `decide.ts` change it.
 */
export interface RateLimitState {
  /** Document format version, {@link rateLimitStateVersion}. */
  readonly version: typeof rateLimitStateVersion;
  /** Operation name → what is recorded for it. Idle operations are absent. */
  readonly operations: Readonly<Record<string, OperationState>>;
}

/** A state with nothing recorded. */
export function emptyRateLimitState(): RateLimitState {
  return { version: rateLimitStateVersion, operations: {} };
}

/** What is recorded for `operation`, or undefined (own properties only, so `constructor` is safe). */
export function operationStateOf(state: RateLimitState, operation: string): OperationState | undefined {
  return Object.hasOwn(state.operations, operation) ? state.operations[operation] : undefined;
}

/** `state` with `operation` replaced by `next`, or removed when `next` records nothing. */
export function withOperationState(
  state: RateLimitState,
  operation: string,
  next: OperationState | undefined,
): RateLimitState {
  if (next !== undefined && (next.keys.length > 0 || next.global.length > 0)) {
    return { version: state.version, operations: { ...state.operations, [operation]: next } };
  }
  if (!Object.hasOwn(state.operations, operation)) return state;
  const operations: Record<string, OperationState> = {};
  for (const [name, recorded] of Object.entries(state.operations)) {
    if (name !== operation) operations[name] = recorded;
  }
  return { version: state.version, operations };
}

/** The state as the UTF-8 JSON bytes of the versioned document. */
export function encodeRateLimitState(state: RateLimitState): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(state));
}

const ascending = (left: number, right: number): number => left - right;

/**
 * Reads the versioned document. Never throws: bad UTF-8 or JSON is `invalid_json`, a wrong shape
 * `invalid_schema`, another version `unsupported_version`. Hits are sorted, empty logs dropped and
 * keys ordered by last hit, so a hand-edited document still satisfies the state's invariants.
 */
export function decodeRateLimitState(bytes: Uint8Array): Result<RateLimitState> {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    return err(new JidoError('invalid_json', 'The rate-limit state is not valid JSON.', { cause }));
  }
  if (typeof raw === 'object' && raw !== null && 'version' in raw && raw.version !== rateLimitStateVersion) {
    return err(
      new JidoError('unsupported_version', 'The rate-limit state has an unsupported version.', {
        details: { version: raw.version },
      }),
    );
  }
  const problem = stateProblem(raw);
  if (problem !== undefined) {
    return err(
      new JidoError('invalid_schema', 'The rate-limit state is malformed.', {
        details: { path: problem.path, issue: problem.issue },
      }),
    );
  }
  const document = raw as { operations: Record<string, { global: number[]; keys: KeyLog[] }> };
  const operations: Record<string, OperationState> = {};
  for (const [operation, recorded] of Object.entries(document.operations)) {
    if (operation === '__proto__') continue;
    const keys = recorded.keys
      .map((entry) => ({ key: entry.key, hits: entry.hits.slice().sort(ascending) }))
      .filter((entry) => entry.hits.length > 0)
      .sort((left, right) => ascending(left.hits.at(-1) as number, right.hits.at(-1) as number));
    const global = recorded.global.slice().sort(ascending);
    if (keys.length > 0 || global.length > 0) operations[operation] = { global, keys };
  }
  return ok({ version: rateLimitStateVersion, operations });
}

interface Problem {
  readonly path: string;
  readonly issue: string;
}

function hitsProblem(value: unknown, path: string): Problem | undefined {
  if (!Array.isArray(value) || value.length > maxRuleLimit) return { path, issue: 'not a list of hits' };
  return value.every((hit) => typeof hit === 'number' && Number.isFinite(hit))
    ? undefined
    : { path, issue: 'a hit is not a number' };
}

function keysProblem(value: unknown, path: string): Problem | undefined {
  if (!Array.isArray(value)) return { path, issue: 'not a list' };
  const seen = new Set<string>();
  for (const [index, entry] of value.entries()) {
    const at = `${path}.${index}`;
    if (!isRecord(entry)) return { path: at, issue: 'not an object' };
    const { key } = entry;
    if (typeof key !== 'string' || key.length < 1 || key.length > maxRateLimitKeyLength) {
      return { path: `${at}.key`, issue: 'not a key' };
    }
    const hits = hitsProblem(entry.hits, `${at}.hits`);
    if (hits !== undefined) return hits;
    if (seen.has(key)) return { path, issue: 'duplicate key' };
    seen.add(key);
  }
  return undefined;
}

/**
 * What `rateLimitStateSchema` would refuse first in `raw`, or undefined when it accepts it. Checked
 * by hand: every resume reads this document, and zod is not loaded for it (a property test holds
 * the two to the same answers).
 */
function stateProblem(raw: unknown): Problem | undefined {
  if (!isRecord(raw)) return { path: '', issue: 'not an object' };
  if (raw.version !== rateLimitStateVersion) return { path: 'version', issue: 'unsupported version' };
  if (!isRecord(raw.operations)) return { path: 'operations', issue: 'not an object' };
  for (const [operation, recorded] of Object.entries(raw.operations)) {
    // As zod's record does, a `__proto__` key is dropped rather than refused.
    if (operation === '__proto__') continue;
    const path = `operations.${operation}`;
    if (!operationNamePattern.test(operation)) return { path, issue: 'not an operation name' };
    if (!isRecord(recorded)) return { path, issue: 'not an object' };
    const problem =
      hitsProblem(recorded.global, `${path}.global`) ?? keysProblem(recorded.keys, `${path}.keys`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
