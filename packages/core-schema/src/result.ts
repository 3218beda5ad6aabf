import type { JidoError } from './errors.js';

/** A success or a typed failure, shaped like zod's `safeParse`, for callers that should not need try/catch. */
export type Result<T, E = JidoError> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

/** A successful {@link Result}. */
export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

/** A failed {@link Result}. */
export function err<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}

/** Throws the error of a failed {@link Result}; for callers that prefer exceptions. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}
