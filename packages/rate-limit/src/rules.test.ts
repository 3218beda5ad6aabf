import { defaultAppConfig, isJidoError } from '@jido-code/core-schema';
import { describe, expect, it } from 'vitest';
import { defaultRateLimitRules, rateLimitRulesFromConfig, validateRateLimitRules } from './rules.js';

describe('rules', () => {
  it('defaults resume to 5 per 60 s per session and 20 per 60 s globally, from the app config', () => {
    expect(defaultRateLimitRules).toEqual({
      resume: { perKey: { limit: 5, windowMs: 60_000 }, global: { limit: 20, windowMs: 60_000 } },
    });
    expect(rateLimitRulesFromConfig(defaultAppConfig)).toEqual(defaultRateLimitRules);
  });

  it('follows a configured limit', () => {
    const rules = rateLimitRulesFromConfig({
      resume_limit_per_session: 2,
      resume_limit_global: 7,
      resume_window_ms: 1000,
    });
    expect(rules.resume).toEqual({
      perKey: { limit: 2, windowMs: 1000 },
      global: { limit: 7, windowMs: 1000 },
    });
  });

  it('validates and freezes a rules table', () => {
    const rules = validateRateLimitRules({ login: { perKey: { limit: 3, windowMs: 10 } } });
    expect(rules).toEqual({ login: { perKey: { limit: 3, windowMs: 10 } } });
    expect(
      Object.isFrozen(rules) && Object.isFrozen(rules.login) && Object.isFrozen(rules.login?.perKey),
    ).toBe(true);
  });

  it('refuses a limit below 1 with invalid_config naming the field', () => {
    try {
      validateRateLimitRules({ resume: { perKey: { limit: 0, windowMs: 10 } } });
      expect.unreachable();
    } catch (error) {
      expect(isJidoError(error, 'invalid_config')).toBe(true);
      expect(isJidoError(error) && error.details.path).toBe('resume.perKey.limit');
    }
  });
});
