import { describe, expect, it } from 'vitest';
import { rateLimitedError } from './errors.js';

describe('rateLimitedError', () => {
  it('rounds the wait up to whole seconds in a user-safe message', () => {
    const message = (retryAfterMs: number) =>
      rateLimitedError({ allowed: false, retryAfterMs, remaining: 0, scope: 'key' }, 'resume').message;
    expect(message(1)).toBe('Too many attempts. Try again in 1 second.');
    expect(message(1000)).toBe('Too many attempts. Try again in 1 second.');
    expect(message(1001)).toBe('Too many attempts. Try again in 2 seconds.');
    expect(message(60_000)).toBe('Too many attempts. Try again in 60 seconds.');
  });

  it('carries code, retry-after, scope and operation', () => {
    const error = rateLimitedError(
      { allowed: false, retryAfterMs: 1234, remaining: 0, scope: 'global' },
      'resume',
    );
    expect(error.code).toBe('rate_limited');
    expect(error.details).toEqual({ retryAfterMs: 1234, scope: 'global', operation: 'resume' });
  });
});
