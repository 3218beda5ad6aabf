import { type AppConfig, defaultAppConfig, JidoError } from '@jido-code/core-schema';
import { z } from 'zod';

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
export const windowRuleSchema = z.object({
  /** Attempts allowed in one window; at least 1. */
  limit: z.number().int().min(1).max(maxRuleLimit),
  /** Window length, in milliseconds; at least 1. */
  windowMs: z.number().int().min(1).max(maxRuleWindowMs),
});

/** See {@link windowRuleSchema}. */
export interface WindowRule {
  /** Attempts allowed in one window; at least 1. */
  readonly limit: number;
  /** Window length, in milliseconds; at least 1. */
  readonly windowMs: number;
}

/** The rule of one operation: a window per key, and optionally one shared by all keys. */
export const operationRuleSchema = z.object({
  /** Window applied to each key (for resume: each session) separately. */
  perKey: windowRuleSchema,
  /** Window applied to all keys of the operation together; stops bypassing `perKey` with many keys. */
  global: windowRuleSchema.optional(),
});

/** See {@link operationRuleSchema}. */
export interface OperationRule {
  /** Window applied to each key (for resume: each session) separately. */
  readonly perKey: WindowRule;
  /** Window applied to all keys of the operation together; stops bypassing `perKey` with many keys. */
  readonly global?: WindowRule;
}

/** Operation name → rule. An operation missing here is a programming error when used. */
export type RateLimitRules = Readonly<Record<string, OperationRule>>;

/** Validates a rules table: operation names match {@link operationNamePattern}, every limit and window ≥ 1. */
export const rateLimitRulesSchema = z.record(z.string().regex(operationNamePattern), operationRuleSchema);

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
  const parsed = rateLimitRulesSchema.safeParse(rules);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new JidoError('invalid_config', 'The rate-limit configuration is invalid.', {
      details: { path: issue?.path.join('.') ?? '', issue: issue?.message ?? '' },
      cause: parsed.error,
    });
  }
  const frozen: Record<string, OperationRule> = {};
  for (const [operation, rule] of Object.entries(parsed.data)) {
    frozen[operation] = Object.freeze({
      perKey: Object.freeze({ ...rule.perKey }),
      ...(rule.global === undefined ? {} : { global: Object.freeze({ ...rule.global }) }),
    });
  }
  return Object.freeze(frozen);
}
