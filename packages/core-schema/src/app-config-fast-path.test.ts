import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptAppConfig, checkAppConfig, defaultAppConfig } from './app-config.js';
import { appConfigSchema, resolveAppConfig } from './app-config-schema.js';

// `acceptAppConfig` checks the config without zod; the schema is the reference it is held to.

const long = (length: number) => 'x'.repeat(length);

/** For each setting, values on both sides of its rule and of other types. */
const edges: Record<string, readonly unknown[]> = {
  max_file_size_bytes: [1, 0, 1024 * 1024 * 1024, 1024 * 1024 * 1024 + 1, 1.5, '5', null],
  max_sessions: [1, 0, -1, 1_000_000, 1_000_001, 2 ** 53, 100.0],
  session_warn_ratio: [1, 0, 0.5, 1.0001, -0.1, true],
  cleanup_max_age_days: [0.5, 0, 36_500, 36_500.5, '30'],
  trash_retention_days: [1, 0, 36_500, 36_501],
  unsigned_policy: ['accept-with-warning', 'accept', 'reject', 'refuse', ''],
  auto_cleanup_on_limit: [true, false, 'true', 0],
  max_open_sessions: [1, 1_000, 1_001, 0],
  resume_limit_per_session: [1, 10_000, 10_001],
  resume_limit_global: [1, 100_000, 100_001],
  resume_window_ms: [1, 86_400_000, 86_400_001],
  lock_stale_ms: [1, 600_000, 600_001],
  lock_timeout_ms: [1, 600_000, 600_001, Number.NaN],
  redaction: ['redact', 'warn', 'off', 'on'],
  redaction_allowlist: [[], ['AKIA'], [''], [long(1_000)], [long(1_001)], ['/a+/i'], ['/(/'], 'AKIA', [1]],
  store_url: ['postgres://db/x', '', long(4_096), long(4_097), 1],
  unknown_setting: [1, 'x'],
};

const configArbitrary = fc
  .array(
    fc
      .constantFrom(...Object.entries(edges))
      .chain(([key, values]) => fc.tuple(fc.constant(key), fc.constantFrom(...values))),
    { maxLength: 4 },
  )
  .map((entries) => Object.fromEntries(entries));

describe('acceptAppConfig', () => {
  it('accepts only what appConfigSchema accepts, returning what it returns', () => {
    const stats = { accepted: 0, invalid: 0 };
    fc.assert(
      fc.property(configArbitrary, (input) => {
        const reference = appConfigSchema.safeParse(structuredClone(input));
        const accepted = acceptAppConfig(input);
        expect(accepted !== undefined).toBe(reference.success);
        if (!reference.success) {
          stats.invalid++;
          return;
        }
        stats.accepted++;
        expect(accepted).toStrictEqual(reference.data);
        expect(JSON.stringify(accepted)).toBe(JSON.stringify(reference.data));
      }),
      { numRuns: 2_000 },
    );
    expect(stats.accepted).toBeGreaterThan(300);
    expect(stats.invalid).toBeGreaterThan(300);
  });

  it('gives the defaults for an empty file, equal to the schema’s', () => {
    expect(acceptAppConfig({})).toStrictEqual(appConfigSchema.parse({}));
    expect(defaultAppConfig).toStrictEqual(appConfigSchema.parse({}));
  });

  it('returns a list the caller may change without changing the defaults', () => {
    const config = acceptAppConfig({});
    config?.redaction_allowlist.push('x');
    expect(defaultAppConfig.redaction_allowlist).toStrictEqual([]);
  });
});

describe('checkAppConfig', () => {
  it('answers as resolveAppConfig, for valid and invalid files and environments', async () => {
    const cases: [unknown, Record<string, string>][] = [
      [undefined, {}],
      [{ max_sessions: 5 }, { JIDO_REDACTION: 'warn' }],
      [{ max_sessions: 0 }, {}],
      [{}, { JIDO_MAX_SESSIONS: 'many' }],
      [[], {}],
      ['text', {}],
      [{ redaction_allowlist: ['/(/'] }, {}],
    ];
    for (const [file, environment] of cases) {
      expect(await checkAppConfig(file, environment)).toStrictEqual(resolveAppConfig(file, environment));
    }
  });
});
