import { describe, expect, it } from 'vitest';
import { errorCodes, isJidoError, JidoError, toJidoError } from './errors.js';
import { err, ok } from './result.js';

describe('JidoError', () => {
  it('carries a code, a user-safe message, details and a cause', () => {
    const cause = new Error('EACCES: permission denied, open /home/ada/.jido_code/sessions/x.json');
    const error = new JidoError('permission_denied', 'The session file cannot be read.', {
      details: { path: '/home/ada/.jido_code/sessions/x.json' },
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(JidoError);
    expect(error.name).toBe('JidoError');
    expect(error.code).toBe('permission_denied');
    expect(error.message).toBe('The session file cannot be read.');
    expect(error.message).not.toContain('/home');
    expect(error.details).toEqual({ path: '/home/ada/.jido_code/sessions/x.json' });
    expect(error.cause).toBe(cause);
    expect(error.stack).toContain('JidoError');
  });

  it('defaults details to an empty object and has no cause unless given one', () => {
    const error = new JidoError('not_found', 'No such session.');
    expect(error.details).toEqual({});
    expect(Object.hasOwn(error, 'cause')).toBe(false);
  });

  it('has one catalogue of unique snake_case codes', () => {
    expect(new Set(errorCodes).size).toBe(errorCodes.length);
    for (const code of errorCodes) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
    for (const code of [
      'invalid_schema',
      'invalid_value',
      'too_deep',
      'unsupported_version',
      'internal',
    ] as const) {
      expect(errorCodes).toContain(code);
    }
  });
});

describe('isJidoError', () => {
  it('recognises a JidoError of any code, or of one of the given codes', () => {
    const error = new JidoError('too_deep', 'Too deep.');
    expect(isJidoError(error)).toBe(true);
    expect(isJidoError(error, 'too_deep')).toBe(true);
    expect(isJidoError(error, 'invalid_json', 'too_deep')).toBe(true);
    expect(isJidoError(error, 'invalid_json')).toBe(false);
  });

  it('refuses lookalikes', () => {
    expect(isJidoError(new Error('x'))).toBe(false);
    expect(isJidoError({ name: 'JidoError', code: 'too_deep', message: 'x' })).toBe(false);
    expect(isJidoError(null)).toBe(false);
    expect(isJidoError(undefined)).toBe(false);
  });
});

describe('toJidoError', () => {
  it('passes a JidoError through unchanged', () => {
    const error = new JidoError('rate_limited', 'Slow down.');
    expect(toJidoError(error, 'io_error')).toBe(error);
  });

  it('wraps anything else with a generic message, keeping it as the cause', () => {
    const cause = new Error('secret /home/ada path');
    const wrapped = toJidoError(cause);
    expect(wrapped.code).toBe('internal');
    expect(wrapped.message).toBe('An unexpected error occurred.');
    expect(wrapped.cause).toBe(cause);
    expect(wrapped.message).not.toContain('/home');
  });

  it('uses the fallback code and message when given', () => {
    const wrapped = toJidoError('a string', 'io_error', 'The file could not be written.');
    expect(wrapped.code).toBe('io_error');
    expect(wrapped.message).toBe('The file could not be written.');
    expect(wrapped.cause).toBe('a string');
  });
});

describe('Result', () => {
  it('is shaped like safeParse', () => {
    expect(ok(1)).toEqual({ ok: true, value: 1 });
    const error = new JidoError('internal', 'x');
    expect(err(error)).toEqual({ ok: false, error });
  });
});
