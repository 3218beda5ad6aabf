import { err, JidoError, ok, type Result, toJidoError } from '@jido-code/core-schema';
import { decideCheck, decideConsume, recordAttempt, resetAttempts } from './decide.js';
import type { Decision } from './decision.js';
import { rateLimitedError } from './errors.js';
import {
  defaultRateLimitRules,
  type OperationRule,
  type RateLimitRules,
  validateRateLimitRules,
} from './rules.js';
import { maxRateLimitKeyLength } from './state.js';
import type { RateLimitStore } from './store.js';

/** Options of a {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Where the state lives: {@link memoryRateLimitStore}, {@link documentRateLimitStore}, or your own. */
  readonly store: RateLimitStore;
  /** Operation name → rule; defaults to {@link defaultRateLimitRules}. Validated on construction. */
  readonly rules?: RateLimitRules | undefined;
  /** The clock, in milliseconds; defaults to `Date.now`. Read under the store's lock. */
  readonly now?: (() => number) | undefined;
}

/**
 * Sliding-window rate limiting of named operations, per key and globally, over any
 * {@link RateLimitStore}. Every method is one store transaction, so `consume` is atomic: two
 * callers, in one process or (with a locked-document store) in two, cannot both take the last slot.
 * An operation missing from the rules, or a key that is empty or longer than 256 characters, is a
 * programming error: the method rejects with `JidoError('invalid_value')`.
 */
export class RateLimiter {
  /** The validated rules in force. */
  readonly rules: RateLimitRules;
  readonly #store: RateLimitStore;
  readonly #now: () => number;

  /** Throws `JidoError('invalid_config')` when a rule has a limit or window below 1 (or is malformed). */
  constructor(options: RateLimiterOptions) {
    this.rules = validateRateLimitRules(options.rules ?? defaultRateLimitRules);
    this.#store = options.store;
    this.#now = options.now ?? Date.now;
  }

  /** The decision `consume` would make now, without recording anything. */
  async check(operation: string, key: string): Promise<Decision> {
    const rule = this.#ruleFor(operation, key);
    return this.#store.transact((state) => ({
      next: state,
      result: decideCheck(state, operation, key, rule, this.#time()),
    }));
  }

  /** Records an attempt whether or not it fits (e.g. to count failures); the logs stay bounded. */
  async record(operation: string, key: string): Promise<void> {
    const rule = this.#ruleFor(operation, key);
    await this.#store.transact((state) => ({
      next: recordAttempt(state, operation, key, rule, this.#time()),
      result: undefined,
    }));
  }

  /** Checks and, when allowed, records the attempt in one atomic step. */
  async consume(operation: string, key: string): Promise<Decision> {
    const rule = this.#ruleFor(operation, key);
    return this.#store.transact((state) => {
      const { decision, next } = decideConsume(state, operation, key, rule, this.#time());
      return { next, result: decision };
    });
  }

  /**
   * Like {@link RateLimiter.consume}, but never rejects: a refusal is `JidoError('rate_limited')`
   * with `details` `{ retryAfterMs, scope, operation }`, and any other failure (store, usage) is
   * returned as its `JidoError`.
   */
  async attempt(operation: string, key: string): Promise<Result<Decision>> {
    try {
      const decision = await this.consume(operation, key);
      return decision.allowed ? ok(decision) : err(rateLimitedError(decision, operation));
    } catch (cause) {
      return err(toJidoError(cause));
    }
  }

  /**
   * Forgets the attempts of `key`, or of the whole operation (global window included) when `key`
   * is omitted. Resetting one key leaves the global window as it is.
   */
  async reset(operation: string, key?: string): Promise<void> {
    if (key === undefined) this.#ruleFor(operation);
    else this.#ruleFor(operation, key);
    await this.#store.transact((state) => ({
      next: resetAttempts(state, operation, key),
      result: undefined,
    }));
  }

  #ruleFor(operation: string, key?: string): OperationRule {
    const rule = Object.hasOwn(this.rules, operation) ? this.rules[operation] : undefined;
    if (rule === undefined) {
      throw new JidoError('invalid_value', 'Unknown rate-limited operation.', { details: { operation } });
    }
    if (key !== undefined && (key.length === 0 || key.length > maxRateLimitKeyLength)) {
      throw new JidoError('invalid_value', 'Invalid rate-limit key.', {
        details: { operation, keyLength: key.length },
      });
    }
    return rule;
  }

  #time(): number {
    const now = this.#now();
    if (!Number.isFinite(now)) {
      throw new JidoError('internal', 'The rate limiter clock returned an invalid time.', {
        details: { now },
      });
    }
    return now;
  }
}
