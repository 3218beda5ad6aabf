import { describe, expect, it } from 'vitest';
import { allowlistRegex, appConfigEnv, appConfigRules, defaultAppConfig } from './app-config.js';
import { appConfigSchema, resolveAppConfig } from './app-config-schema.js';
import { limits } from './limits.js';
import { unwrap } from './result.js';

describe('defaultAppConfig', () => {
  it("has JidoCode's defaults", () => {
    expect(defaultAppConfig).toEqual({
      max_file_size_bytes: limits.maxFileSizeBytes,
      max_sessions: 100,
      session_warn_ratio: 0.8,
      cleanup_max_age_days: 30,
      trash_retention_days: 14,
      unsigned_policy: 'accept-with-warning',
      auto_cleanup_on_limit: false,
      max_open_sessions: 10,
      resume_limit_per_session: 5,
      resume_limit_global: 20,
      resume_window_ms: 60_000,
      lock_stale_ms: 10_000,
      lock_timeout_ms: 30_000,
      redaction: 'redact',
      redaction_allowlist: [],
    });
    expect(defaultAppConfig.max_file_size_bytes).toBe(10 * 1024 * 1024);
  });
});

describe('appConfigEnv', () => {
  it('maps every key to JIDO_<KEY>', () => {
    expect(Object.keys(appConfigEnv).sort()).toEqual(Object.keys(appConfigSchema.shape).sort());
    expect(appConfigEnv.max_sessions).toBe('JIDO_MAX_SESSIONS');
    expect(appConfigEnv.unsigned_policy).toBe('JIDO_UNSIGNED_POLICY');
    for (const [key, variable] of Object.entries(appConfigEnv))
      expect(variable).toBe(`JIDO_${key.toUpperCase()}`);
  });
});

describe('resolveAppConfig', () => {
  it('gives the defaults when there is no file and no environment', () => {
    expect(resolveAppConfig(undefined)).toEqual({ ok: true, value: defaultAppConfig });
    expect(resolveAppConfig({}, {})).toEqual({ ok: true, value: defaultAppConfig });
  });

  it('takes values from the file and defaults for the rest', () => {
    const config = unwrap(
      resolveAppConfig({ max_sessions: 50, unsigned_policy: 'reject', auto_cleanup_on_limit: true }),
    );
    expect(config).toEqual({
      ...defaultAppConfig,
      max_sessions: 50,
      unsigned_policy: 'reject',
      auto_cleanup_on_limit: true,
    });
  });

  it('lets environment variables win over the file', () => {
    const config = unwrap(
      resolveAppConfig(
        { max_sessions: 50, session_warn_ratio: 0.5, unsigned_policy: 'reject' },
        {
          JIDO_MAX_SESSIONS: '200',
          JIDO_SESSION_WARN_RATIO: ' 0.9 ',
          JIDO_UNSIGNED_POLICY: 'accept-with-warning',
          JIDO_AUTO_CLEANUP_ON_LIMIT: 'true',
          JIDO_LOCK_TIMEOUT_MS: '5000',
        },
      ),
    );
    expect(config.max_sessions).toBe(200);
    expect(config.session_warn_ratio).toBe(0.9);
    expect(config.unsigned_policy).toBe('accept-with-warning');
    expect(config.auto_cleanup_on_limit).toBe(true);
    expect(config.lock_timeout_ms).toBe(5000);
  });

  it('ignores empty and unrelated environment variables', () => {
    const config = unwrap(
      resolveAppConfig({ max_sessions: 50 }, { JIDO_MAX_SESSIONS: '  ', HOME: '/root', JIDO_OTHER: 'x' }),
    );
    expect(config).toEqual({ ...defaultAppConfig, max_sessions: 50 });
  });

  it('drops unknown keys of the file', () => {
    const config = unwrap(resolveAppConfig({ max_sessions: 3, colour: 'blue' }));
    expect(Object.hasOwn(config, 'colour')).toBe(false);
  });

  it.each<[string, unknown, Record<string, string>, string]>([
    ['a string for a number', { max_sessions: '50' }, {}, 'max_sessions'],
    ['zero', { max_open_sessions: 0 }, {}, 'max_open_sessions'],
    ['a fraction for an integer', { resume_limit_global: 2.5 }, {}, 'resume_limit_global'],
    ['a negative age', { cleanup_max_age_days: -1 }, {}, 'cleanup_max_age_days'],
    ['a ratio above 1', { session_warn_ratio: 1.5 }, {}, 'session_warn_ratio'],
    ['an unknown policy', { unsigned_policy: 'ignore' }, {}, 'unsigned_policy'],
    ['a string for a boolean', { auto_cleanup_on_limit: 'yes' }, {}, 'auto_cleanup_on_limit'],
    ['a file size over 1 GiB', { max_file_size_bytes: 2 * 1024 ** 3 }, {}, 'max_file_size_bytes'],
    ['a non-numeric env value', {}, { JIDO_MAX_SESSIONS: 'many' }, 'max_sessions'],
    ['a negative env value', {}, { JIDO_LOCK_STALE_MS: '-5' }, 'lock_stale_ms'],
    ['an env value for a boolean', {}, { JIDO_AUTO_CLEANUP_ON_LIMIT: 'yes' }, 'auto_cleanup_on_limit'],
    ['an env policy', {}, { JIDO_UNSIGNED_POLICY: 'sometimes' }, 'unsigned_policy'],
  ])('refuses %s with invalid_config naming the key', (_label, file, environment, key) => {
    const result = resolveAppConfig(file, environment);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_config');
    expect(result.error.message).toContain(`"${key}"`);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['an array', [{ max_sessions: 3 }]],
    ['a string', 'max_sessions=3'],
    ['a number', 3],
    ['a boolean', true],
  ])('refuses a file that is %s', (_label, file) => {
    const result = resolveAppConfig(file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_config');
    expect(result.error.message).toBe('The configuration file must be a JSON object.');
  });
});

describe('appConfigRules', () => {
  it('says in words exactly what the schema accepts, at both ends', () => {
    for (const [key, rule] of Object.entries(appConfigRules)) {
      const field = appConfigSchema.shape[key as keyof typeof appConfigRules];
      const accepts = (value: unknown) => field.safeParse(value).success;
      const whole = /^a whole number from (\d+) to (\d+)$/.exec(rule);
      const ranged = /^a number greater than (\d+) and at most (\d+)$/.exec(rule);
      if (whole) {
        const [low, high] = [Number(whole[1]), Number(whole[2])];
        expect([
          accepts(low),
          accepts(high),
          accepts(low - 1),
          accepts(high + 1),
          accepts(low + 0.5),
        ]).toEqual([true, true, false, false, false]);
      } else if (ranged) {
        const [low, high] = [Number(ranged[1]), Number(ranged[2])];
        expect([accepts(low), accepts(high), accepts(low + 0.001), accepts(high + 0.001)]).toEqual([
          false,
          true,
          true,
          false,
        ]);
      } else if (rule.startsWith('a text of 1 to 4096')) {
        expect([accepts('postgres://db/jido'), accepts('x'.repeat(4096)), accepts(''), accepts(3)]).toEqual([
          true,
          true,
          false,
          false,
        ]);
      } else if (rule.startsWith('a list of')) {
        expect([accepts([]), accepts('something else')]).toEqual([true, false]);
      } else {
        const words = rule.split(' or ');
        for (const word of words)
          expect(accepts(word === 'true' ? true : word === 'false' ? false : word)).toBe(true);
        expect(accepts('something else')).toBe(false);
      }
    }
  });

  it('names the environment variable and the rule when an override breaks it', () => {
    const resolved = resolveAppConfig(undefined, { JIDO_MAX_SESSIONS: '-3' });
    expect(resolved.ok ? undefined : resolved.error.details).toMatchObject({
      setting: 'max_sessions',
      variable: 'JIDO_MAX_SESSIONS',
      rule: 'a whole number from 1 to 1000000',
    });
    const fromFile = resolveAppConfig({ max_sessions: 0 }, {});
    expect(fromFile.ok ? undefined : fromFile.error.details).not.toHaveProperty('variable');
  });
});

describe('redaction settings', () => {
  it('redacts by default and takes warn or off from the file or JIDO_REDACTION', () => {
    expect(defaultAppConfig.redaction).toBe('redact');
    expect(unwrap(resolveAppConfig({ redaction: 'warn' })).redaction).toBe('warn');
    expect(unwrap(resolveAppConfig({ redaction: 'warn' }, { JIDO_REDACTION: 'off' })).redaction).toBe('off');
    const bad = resolveAppConfig({}, { JIDO_REDACTION: 'sometimes' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toContain('"redaction"');
  });

  it('takes an allowlist of literals and /regex/flags, from the file or a JSON list in the environment', () => {
    const fromFile = unwrap(
      resolveAppConfig({ redaction_allowlist: ['AKIAIOSFODNN7EXAMPLE', '/^ghp_0+$/i'] }),
    );
    expect(fromFile.redaction_allowlist).toEqual(['AKIAIOSFODNN7EXAMPLE', '/^ghp_0+$/i']);
    const fromEnvironment = unwrap(resolveAppConfig({}, { JIDO_REDACTION_ALLOWLIST: '["/x+/"]' }));
    expect(fromEnvironment.redaction_allowlist).toEqual(['/x+/']);
    expect(allowlistRegex('/^ghp_0+$/i')?.test('GHP_000')).toBe(true);
    expect(allowlistRegex('AKIAIOSFODNN7EXAMPLE')).toBeUndefined();
  });

  it('refuses a regular expression that does not compile, naming the setting', () => {
    const bad = resolveAppConfig({ redaction_allowlist: ['/(unclosed/'] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('invalid_config');
      expect(bad.error.message).toContain('redaction_allowlist.0');
    }
  });
});
