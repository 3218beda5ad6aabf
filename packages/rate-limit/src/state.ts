import { err, JidoError, limits, ok, type Result } from '@jido-code/core-schema';
import { z } from 'zod';
import { maxRuleLimit, operationNamePattern } from './rules.js';

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

const hitsSchema = z.array(z.number()).max(maxRuleLimit);

/** Schema of the persisted document, version 1. Decoding also sorts hits and keys. */
export const rateLimitStateSchema = z.object({
  /** Document format version. */
  version: z.literal(rateLimitStateVersion),
  /** Operation name → recorded attempts. */
  operations: z.record(
    z.string().regex(operationNamePattern),
    z.object({
      /** Timestamps across all keys. */
      global: hitsSchema,
      /** Per-key logs; a key appears once. */
      keys: z
        .array(z.object({ key: z.string().min(1).max(maxRateLimitKeyLength), hits: hitsSchema }))
        .refine((keys) => new Set(keys.map((entry) => entry.key)).size === keys.length, {
          message: 'duplicate key',
        }),
    }),
  ),
});

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
  const parsed = rateLimitStateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return err(
      new JidoError('invalid_schema', 'The rate-limit state is malformed.', {
        details: { path: issue?.path.join('.') ?? '', issue: issue?.message ?? '' },
        cause: parsed.error,
      }),
    );
  }
  const operations: Record<string, OperationState> = {};
  for (const [operation, recorded] of Object.entries(parsed.data.operations)) {
    const keys = recorded.keys
      .map((entry) => ({ key: entry.key, hits: entry.hits.slice().sort(ascending) }))
      .filter((entry) => entry.hits.length > 0)
      .sort((left, right) => ascending(left.hits.at(-1) as number, right.hits.at(-1) as number));
    const global = recorded.global.slice().sort(ascending);
    if (keys.length > 0 || global.length > 0) operations[operation] = { global, keys };
  }
  return ok({ version: rateLimitStateVersion, operations });
}
