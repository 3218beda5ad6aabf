import { JidoError } from '@jido-code/core-schema';
import { APICallError, RetryError } from 'ai';
import type { ProviderName } from './model-spec.js';

/** What a provider error is about, as far as a user can act on it. */
interface Failing {
  readonly provider: ProviderName;
  readonly modelId: string;
}

/**
 * Phrases with which providers and local servers say the prompt exceeds the context: OpenAI's
 * `context_length_exceeded`, Anthropic's "prompt is too long", vLLM's and llama.cpp's wordings.
 */
const contextTooLongPattern =
  /context_length_exceeded|prompt is too long|maximum context length|context length|exceed_context_size|too many tokens|context window/i;

/**
 * Maps anything the AI SDK threw or streamed into one typed error with one clear line
 * (docs/architecture.md, errors): 401/403 `provider_auth_failed`, 429 `provider_rate_limited`
 * with `retryAfterSeconds` from `retry-after-ms`/`retry-after`, 5xx (and Anthropic's 529)
 * `provider_unavailable`, no response at all `provider_unreachable`, a prompt over the context
 * `context_too_long`, any other refusal `provider_failed`. The provider's own message and body are
 * not kept, not even as `cause`: some providers echo part of the key in them.
 */
export function providerError(error: unknown, failing: Failing): JidoError {
  const cause = RetryError.isInstance(error) ? error.lastError : error;
  const base = { provider: failing.provider, model: failing.modelId };
  if (!APICallError.isInstance(cause)) {
    if (cause instanceof JidoError) return cause;
    return new JidoError('provider_failed', `${failing.provider} failed to answer.`, {
      details: { ...base, reason: errorName(cause) },
    });
  }
  const status = cause.statusCode;
  if (status === undefined) {
    return new JidoError('provider_unreachable', `${failing.provider} could not be reached.`, {
      details: { ...base, reason: networkCode(cause.cause) },
    });
  }
  const details = { ...base, status };
  if (status === 401 || status === 403) {
    return new JidoError('provider_auth_failed', `${failing.provider} refused the key (${status}).`, {
      details,
    });
  }
  if (status === 429) {
    const retryAfterSeconds = retryAfter(cause.responseHeaders);
    return new JidoError('provider_rate_limited', `${failing.provider} is rate limiting (429).`, {
      details: retryAfterSeconds === undefined ? details : { ...details, retryAfterSeconds },
    });
  }
  if (status >= 500) {
    return new JidoError('provider_unavailable', `${failing.provider} had a server error (${status}).`, {
      details,
    });
  }
  if ((status === 400 || status === 413) && contextTooLongPattern.test(cause.responseBody ?? cause.message)) {
    return new JidoError('context_too_long', `The prompt is over ${failing.modelId}'s context.`, { details });
  }
  return new JidoError('provider_failed', `${failing.provider} refused the request (${status}).`, {
    details,
  });
}

/** Seconds to wait from `retry-after-ms`, `retry-after` (seconds or an HTTP date), or undefined. */
export function retryAfter(
  headers: Readonly<Record<string, string>> | undefined,
  now: () => number = Date.now,
): number | undefined {
  if (headers === undefined) return undefined;
  const lower = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const milliseconds = Number(lower['retry-after-ms']);
  if (lower['retry-after-ms'] !== undefined && Number.isFinite(milliseconds) && milliseconds >= 0) {
    return Math.ceil(milliseconds / 1000);
  }
  const value = lower['retry-after'];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now()) / 1000));
}

function errorName(value: unknown): string {
  return value instanceof Error ? value.name : typeof value;
}

/** `ECONNREFUSED`, `ENOTFOUND`, …: the errno code of a failed connection, for the debug log. */
function networkCode(value: unknown): string {
  let current: unknown = value;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code)) return code;
    current = current.cause;
  }
  return 'no_response';
}
