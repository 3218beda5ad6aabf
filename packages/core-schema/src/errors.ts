/**
 * The project's one error type. Every package reports failures as a `JidoError` whose `code`
 * comes from this catalogue; `message` is always safe to show a user (no path, key or stack);
 * `details` and `cause` are kept for a debug log only.
 */
export const errorCodes = [
  // input and schema
  'invalid_json',
  'invalid_schema',
  'invalid_value',
  'too_deep',
  'too_large',
  'unsupported_version',
  'migration_failed',
  'invalid_config',
  // identity and paths
  'invalid_id',
  'not_found',
  'already_exists',
  'unsafe_home',
  'permission_denied',
  'io_error',
  // integrity
  'signature_invalid',
  'signature_malformed',
  'unknown_key',
  'unsigned',
  'keyring_corrupt',
  // concurrency and limits
  'lock_timeout',
  'session_active',
  'session_count_limit',
  'rate_limited',
  // shared stores (a database backend)
  'lease_lost',
  'store_unavailable',
  // live sessions
  'session_limit_reached',
  'project_already_open',
  'already_open_elsewhere',
  'invalid_project_path',
  'project_changed',
  'journal_corrupt',
  'save_failed',
  // commands
  'usage',
  'ambiguous_target',
  'target_out_of_range',
  'no_active_session',
  'confirmation_required',
  // model providers (@jido-code/agent)
  'provider_key_missing',
  'provider_unknown',
  'provider_auth_failed',
  'provider_rate_limited',
  'provider_unavailable',
  'provider_unreachable',
  'provider_failed',
  'context_too_long',
  // anything else
  'internal',
] as const;

/** A code from the one error catalogue. */
export type ErrorCode = (typeof errorCodes)[number];

/** Options for a {@link JidoError}: structured details for debugging and the underlying cause. */
export interface JidoErrorOptions {
  /** Debug-only facts (paths, key ids, sizes). Never shown to a user. */
  readonly details?: Readonly<Record<string, unknown>> | undefined;
  /** The error this one wraps, for a debug log. */
  readonly cause?: unknown | undefined;
}

/** The base error of every jido-code package. `message` is user-safe; `details` are not. */
export class JidoError extends Error {
  override readonly name = 'JidoError';
  /** Discriminant from {@link errorCodes}. */
  readonly code: ErrorCode;
  /** Debug-only structured facts. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: JidoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** True when `value` is a {@link JidoError}, optionally of one of the given codes. */
export function isJidoError(value: unknown, ...codes: ErrorCode[]): value is JidoError {
  return value instanceof JidoError && (codes.length === 0 || codes.includes(value.code));
}

/**
 * Wraps anything thrown into a {@link JidoError}. An existing JidoError passes through; anything
 * else becomes `fallbackCode` with a generic message and the original kept as `cause`.
 */
export function toJidoError(
  value: unknown,
  fallbackCode: ErrorCode = 'internal',
  message = 'An unexpected error occurred.',
): JidoError {
  if (value instanceof JidoError) return value;
  return new JidoError(fallbackCode, message, { cause: value });
}
