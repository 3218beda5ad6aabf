import { type AppConfig, defaultAppConfig, JidoError } from '@jido-code/core-schema';

/** Largest `limit` a rule may set; each key keeps at most this many timestamps. */
export const maxRuleLimit = 100_000;

/** Longest window a rule may set, in milliseconds (30 days). */
export const maxRuleWindowMs = 30 * 24 * 60 * 60 * 1000;

/**
 * Shape of an operation name (and so of a key in the persisted document): a letter, then letters,
 * digits, `-`, `_`, `.` or `:`. Names such as `__proto__` never reach an object key.
 */
export const operationNamePattern = /^[a-z][a-z0-9_.:-]{0,63}$/i;

/** One sliding window: at most `limit` attempts in any `windowMs` milliseconds. */
export interface WindowRule {
  /** Attempts allowed in one window; at least 1. */
  readonly limit: number;
  /** Window length, in milliseconds; at least 1. */
  readonly windowMs: number;
}

/** The rule of one operation: a window per key, and optionally one shared by all keys. */
export interface OperationRule {
  /** Window applied to each key (for resume: each session) separately. */
  readonly perKey: WindowRule;
  /** Window applied to all keys of the operation together; stops bypassing `perKey` with many keys. */
  readonly global?: WindowRule;
}

/** Operation name → rule. An operation missing here is a programming error when used. */
export type RateLimitRules = Readonly<Record<string, OperationRule>>;

/** The config keys the resume rule is built from. */
export type RateLimitConfig = Pick<
  AppConfig,
  'resume_limit_per_session' | 'resume_limit_global' | 'resume_window_ms'
>;

/**
 * Builds the rules table from a resolved app config: `resume` limited per session and globally,
 * both over `resume_window_ms`.
 */
export function rateLimitRulesFromConfig(config: RateLimitConfig): RateLimitRules {
  return Object.freeze({
    resume: Object.freeze({
      perKey: Object.freeze({ limit: config.resume_limit_per_session, windowMs: config.resume_window_ms }),
      global: Object.freeze({ limit: config.resume_limit_global, windowMs: config.resume_window_ms }),
    }),
  });
}

/** The default rules: `resume` 5 per 60 s per session and 20 per 60 s globally (from `defaultAppConfig`). */
export const defaultRateLimitRules: RateLimitRules = rateLimitRulesFromConfig(defaultAppConfig);

/**
 * Checks a rules table and returns a frozen copy, or throws `JidoError('invalid_config')` naming
 * the first bad field (a limit below 1, a fractional window, a bad operation name).
 */
export function validateRateLimitRules(rules: unknown): RateLimitRules {
  if (!isRecord(rules)) throw invalidRules('', 'not an object');
  const frozen: Record<string, OperationRule> = {};
  for (const operation of Object.keys(rules)) {
    // As zod's record does, a `__proto__` key is dropped rather than refused.
    if (operation === '__proto__') continue;
    if (!operationNamePattern.test(operation)) throw invalidRules(operation, 'not an operation name');
    const rule = rules[operation];
    if (!isRecord(rule)) throw invalidRules(operation, 'not an object');
    const perKey = windowRule(rule.perKey, `${operation}.perKey`);
    const global = rule.global === undefined ? undefined : windowRule(rule.global, `${operation}.global`);
    frozen[operation] = Object.freeze(global === undefined ? { perKey } : { perKey, global });
  }
  return Object.freeze(frozen);
}

/** An object that is not an array, as zod's `object` and `record` take it. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalidRules(path: string, issue: string): JidoError {
  return new JidoError('invalid_config', 'The rate-limit configuration is invalid.', {
    details: { path, issue },
  });
}

/** A whole number from 1 to `max`, or the error naming `path`. */
function wholeNumber(value: unknown, max: number, path: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1 || (value as number) > max) {
    throw invalidRules(path, `must be a whole number from 1 to ${max}`);
  }
  return value as number;
}

function windowRule(value: unknown, path: string): WindowRule {
  if (!isRecord(value)) throw invalidRules(path, 'not an object');
  return Object.freeze({
    limit: wholeNumber(value.limit, maxRuleLimit, `${path}.limit`),
    windowMs: wholeNumber(value.windowMs, maxRuleWindowMs, `${path}.windowMs`),
  });
}
