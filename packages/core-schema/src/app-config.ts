import type { AppConfig, AppConfigInput } from './app-config-schema.js';
import { JidoError } from './errors.js';
import { limits } from './limits.js';
import { err, ok, type Result } from './result.js';

// Every command reads the config. This module checks it without zod (a property test holds
// `acceptAppConfig` to `appConfigSchema`), so that a command that meets a valid config never loads
// zod; an invalid one is reported by the schema, imported then.

export type { AppConfig, AppConfigInput };

/** Entries of the form `/pattern/flags` are regular expressions; anything else is a literal. */
export function allowlistRegex(entry: string): RegExp | undefined {
  const match = /^\/(.+)\/([dgimsuy]*)$/s.exec(entry);
  if (!match) return undefined;
  return new RegExp(match[1] as string, (match[2] as string).replace('g', ''));
}

/** False when `entry` looks like `/pattern/flags` but does not compile. */
export function compilesIfRegex(entry: string): boolean {
  try {
    allowlistRegex(entry);
    return true;
  } catch {
    return false;
  }
}

/** The defaults, as a resolved config (a test holds it equal to `appConfigSchema.parse({})`). */
export const defaultAppConfig: AppConfig = {
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
};

type Check = (value: unknown) => boolean;

const wholeNumber =
  (max: number): Check =>
  (value) =>
    Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= max;
const positiveUpTo =
  (max: number): Check =>
  (value) =>
    typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= max;
const oneOf =
  (...choices: string[]): Check =>
  (value) =>
    typeof value === 'string' && choices.includes(value);
const allowlist: Check = (value) =>
  Array.isArray(value) &&
  value.length <= 1_000 &&
  value.every(
    (entry) =>
      typeof entry === 'string' && entry.length >= 1 && entry.length <= 1_000 && compilesIfRegex(entry),
  );

/** Each setting's check, in the schema's order. */
const appConfigChecks: Readonly<Record<keyof AppConfig, Check>> = {
  max_file_size_bytes: wholeNumber(1024 * 1024 * 1024),
  max_sessions: wholeNumber(1_000_000),
  session_warn_ratio: positiveUpTo(1),
  cleanup_max_age_days: positiveUpTo(36_500),
  trash_retention_days: positiveUpTo(36_500),
  unsigned_policy: oneOf('accept-with-warning', 'accept', 'reject'),
  auto_cleanup_on_limit: (value) => typeof value === 'boolean',
  max_open_sessions: wholeNumber(1_000),
  resume_limit_per_session: wholeNumber(10_000),
  resume_limit_global: wholeNumber(100_000),
  resume_window_ms: wholeNumber(24 * 60 * 60 * 1000),
  lock_stale_ms: wholeNumber(10 * 60 * 1000),
  lock_timeout_ms: wholeNumber(10 * 60 * 1000),
  redaction: oneOf('redact', 'warn', 'off'),
  redaction_allowlist: allowlist,
  store_url: (value) => typeof value === 'string' && value.length >= 1 && value.length <= 4_096,
};

const appConfigKeys = Object.keys(appConfigChecks) as (keyof AppConfig)[];

/** Environment variable for each config key (`JIDO_` + upper-case key). */
export const appConfigEnv: Readonly<Record<keyof AppConfig, string>> = Object.fromEntries(
  appConfigKeys.map((key) => [key, `JIDO_${key.toUpperCase()}`]),
) as Record<keyof AppConfig, string>;

/**
 * Each setting's rule in plain words, for the message when a value breaks it. A `Record` over the
 * keys, so a new setting cannot be added without its rule (a test checks each against the schema).
 */
export const appConfigRules: Readonly<Record<keyof AppConfig, string>> = {
  max_file_size_bytes: 'a whole number from 1 to 1073741824',
  max_sessions: 'a whole number from 1 to 1000000',
  session_warn_ratio: 'a number greater than 0 and at most 1',
  cleanup_max_age_days: 'a number greater than 0 and at most 36500',
  trash_retention_days: 'a number greater than 0 and at most 36500',
  unsigned_policy: 'accept-with-warning or reject',
  auto_cleanup_on_limit: 'true or false',
  max_open_sessions: 'a whole number from 1 to 1000',
  resume_limit_per_session: 'a whole number from 1 to 10000',
  resume_limit_global: 'a whole number from 1 to 100000',
  resume_window_ms: 'a whole number from 1 to 86400000',
  lock_stale_ms: 'a whole number from 1 to 600000',
  lock_timeout_ms: 'a whole number from 1 to 600000',
  redaction: 'redact or warn or off',
  redaction_allowlist: 'a list of up to 1000 literals or /pattern/flags regular expressions',
  store_url: 'a text of 1 to 4096 characters: a postgres:// URL, or a folder',
};

/** A JSON list in a variable (`JIDO_REDACTION_ALLOWLIST='["AKIA…"]'`); not JSON stays text and fails validation. */
function parseJsonList(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The `JIDO_*` variables set in `environment`, as config values. */
export function environmentOverrides(
  environment: Readonly<Record<string, string | undefined>>,
): Record<string, unknown> {
  const overrides: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(appConfigEnv)) {
    const raw = environment[variable];
    if (raw === undefined || raw.trim() === '') continue;
    const text = raw.trim();
    if (text === 'true' || text === 'false') overrides[key] = text === 'true';
    else if (text.startsWith('[')) overrides[key] = parseJsonList(text);
    else if (/^-?\d+(\.\d+)?$/.test(text)) overrides[key] = Number(text);
    else overrides[key] = text;
  }
  return overrides;
}

/**
 * The config `appConfigSchema` would return for `input` (defaults filled in, unknown keys dropped),
 * or undefined when a setting is not valid.
 */
export function acceptAppConfig(input: unknown): AppConfig | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const record = input as Record<string, unknown>;
  const config: Record<string, unknown> = {};
  for (const key of appConfigKeys) {
    const value = Object.hasOwn(record, key) ? record[key] : undefined;
    if (value === undefined) {
      const fallback = defaultAppConfig[key];
      if (fallback !== undefined) config[key] = Array.isArray(fallback) ? [] : fallback;
      continue;
    }
    if (!appConfigChecks[key](value)) return undefined;
    config[key] = Array.isArray(value) ? [...value] : value;
  }
  return config as AppConfig;
}

/**
 * Resolves the app config from the parsed config file (or `undefined` when there is none) and the
 * environment, exactly as `resolveAppConfig` does; zod is imported only to report an invalid
 * setting. Never throws.
 */
export async function checkAppConfig(
  file: unknown,
  environment: Readonly<Record<string, string | undefined>> = {},
): Promise<Result<AppConfig>> {
  const base = file === undefined ? {} : file;
  if (typeof base !== 'object' || base === null || Array.isArray(base)) {
    return err(new JidoError('invalid_config', 'The configuration file must be a JSON object.'));
  }
  const accepted = acceptAppConfig({
    ...(base as Record<string, unknown>),
    ...environmentOverrides(environment),
  });
  if (accepted !== undefined) return ok(accepted);
  const { resolveAppConfig } = await import('./app-config-schema.js');
  return resolveAppConfig(file, environment);
}
