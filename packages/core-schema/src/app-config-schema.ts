import { z } from 'zod';
import { appConfigEnv, appConfigRules, compilesIfRegex, environmentOverrides } from './app-config.js';
import { JidoError } from './errors.js';
import { limits } from './limits.js';
import { err, ok, type Result } from './result.js';

/**
 * What to do with a session file that carries no signature (JidoCode's legacy files, or a
 * hand-written one): load it with a visible warning (`accept-with-warning`, or its short form
 * `accept`), or refuse it.
 */
export const unsignedPolicySchema = z.enum(['accept-with-warning', 'accept', 'reject']);
/** See {@link unsignedPolicySchema}. */
export type UnsignedPolicy = z.infer<typeof unsignedPolicySchema>;

/** What to do with a credential found in a message or todo before it is saved. */
export const redactionModeSchema = z.enum(['redact', 'warn', 'off']);
/** See {@link redactionModeSchema}. */
export type RedactionMode = z.infer<typeof redactionModeSchema>;

/** A literal value, or a `/pattern/flags` regular expression, that is never redacted. */
const allowlistEntrySchema = z
  .string()
  .min(1)
  .max(1_000)
  .refine((entry) => compilesIfRegex(entry), {
    message: 'not a valid regular expression (write it as /pattern/flags)',
  });

const positiveInt = z.number().int().positive();

/**
 * `<home>/config.json`: every limit, with JidoCode's defaults (docs/architecture.md). All keys are optional in the
 * file; {@link resolveAppConfig} fills in defaults and applies environment overrides.
 */
export const appConfigSchema = z.object({
  /** Largest session file read or written, in bytes. */
  max_file_size_bytes: positiveInt.max(1024 * 1024 * 1024).default(limits.maxFileSizeBytes),
  /** Most saved sessions; new sessions past this are refused (or trigger auto-cleanup). */
  max_sessions: positiveInt.max(1_000_000).default(100),
  /** Fraction of `max_sessions` at which a warning is given. */
  session_warn_ratio: z.number().gt(0).lte(1).default(0.8),
  /** Age in days of last activity past which cleanup moves a session to the trash. */
  cleanup_max_age_days: z.number().positive().max(36_500).default(30),
  /** Days a removed session stays in the trash before cleanup or a shell start removes it for good. */
  trash_retention_days: z.number().positive().max(36_500).default(14),
  /** Policy for unsigned legacy files. */
  unsigned_policy: unsignedPolicySchema.default('accept-with-warning'),
  /** When the session count limit is reached, move the least recently used session to the trash instead of refusing. */
  auto_cleanup_on_limit: z.boolean().default(false),
  /** Most sessions open at once in one process. */
  max_open_sessions: positiveInt.max(1_000).default(10),
  /** Resume attempts allowed per session in one window. */
  resume_limit_per_session: positiveInt.max(10_000).default(5),
  /** Resume attempts allowed across all sessions in one window. */
  resume_limit_global: positiveInt.max(100_000).default(20),
  /** Length of the resume rate-limit window, in milliseconds. */
  resume_window_ms: positiveInt.max(24 * 60 * 60 * 1000).default(60_000),
  /** A lock older than this whose holder cannot be confirmed alive is taken over, in milliseconds. */
  lock_stale_ms: positiveInt.max(10 * 60 * 1000).default(10_000),
  /** How long a save waits for another process's lock before failing, in milliseconds. */
  lock_timeout_ms: positiveInt.max(10 * 60 * 1000).default(30_000),
  /** Credentials in messages and todos: `redact` before saving, only `warn`, or `off`. */
  redaction: redactionModeSchema.default('redact'),
  /** Values never redacted (false positives): literals, or `/pattern/flags` regular expressions. */
  redaction_allowlist: z.array(allowlistEntrySchema).max(1_000).default([]),
  /**
   * Where the sessions are kept when neither `--store` nor `JIDO_STORE_URL` says: a `postgres://`
   * or `postgresql://` URL, or a folder (a file home). Unset: this home itself.
   */
  store_url: z.string().min(1).max(4_096).optional(),
});

/** The fully resolved app configuration (every field present). */
export type AppConfig = z.infer<typeof appConfigSchema>;
/** The config file as written by a person: every field optional. */
export type AppConfigInput = z.input<typeof appConfigSchema>;

/**
 * Resolves the app config from the parsed config file (or `undefined` when there is none) and the
 * environment; environment variables win over the file. Pure: the caller reads both.
 */
export function resolveAppConfig(
  file: unknown,
  environment: Readonly<Record<string, string | undefined>> = {},
): Result<AppConfig> {
  const base = file === undefined ? {} : file;
  if (typeof base !== 'object' || base === null || Array.isArray(base)) {
    return err(new JidoError('invalid_config', 'The configuration file must be a JSON object.'));
  }
  const overrides = environmentOverrides(environment);
  const merged = { ...(base as Record<string, unknown>), ...overrides };
  const parsed = appConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? first.path.join('.') : '';
    const variable = where in overrides ? appConfigEnv[where as keyof AppConfig] : undefined;
    return err(
      new JidoError(
        'invalid_config',
        `The configuration setting "${where}" is invalid: ${first?.message ?? 'bad value'}.`,
        {
          details: {
            issues: parsed.error.issues,
            setting: where,
            ...(variable === undefined ? {} : { variable }),
            ...(where in appConfigRules ? { rule: appConfigRules[where as keyof AppConfig] } : {}),
          },
        },
      ),
    );
  }
  return ok(parsed.data);
}
