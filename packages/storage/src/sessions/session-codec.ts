import {
  canonicalJson,
  err,
  JidoError,
  ok,
  parseJson,
  parseSessionDocument,
  type Result,
  type Session,
  schemaError,
  sessionSchema,
  type UnsignedPolicy,
  type UnsignedSession,
} from '@jido-code/core-schema';
import { type VerifyResult, verificationError } from '@jido-code/crypto';

/** A session read from disk, validated and verified. */
export interface LoadedSession {
  /** The session at the current schema version, signature included as stored. */
  readonly session: Session;
  /** True when the file carried a signature that verified; false for an accepted unsigned file. */
  readonly signed: boolean;
  /** The schema version the file was written in. */
  readonly fromVersion: number;
  /** Recoverable oddities (`unsigned`, `migrated`, `unknown_keys`), for the caller to surface. */
  readonly warnings: readonly string[];
}

/** A session encoded for disk: signed, canonical JSON. */
export interface EncodedSession {
  readonly session: Session;
  readonly bytes: Uint8Array;
}

/** Parsed but not yet verified. */
export interface DecodedSession {
  readonly session: Session;
  readonly fromVersion: number;
  readonly unknownKeys: readonly string[];
  /** Canonical JSON of the document as stored, minus `signature`: what its signature covers. */
  readonly payload: string;
  readonly signature: string | undefined;
}

function withoutUndefined(value: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined));
}

/**
 * Validates `input` with the session schema, signs the canonical JSON of every field but the
 * signature, and returns the canonical JSON of the signed document. A document larger than
 * `maxBytes` is refused with `too_large`.
 */
export function encodeSession(
  input: Session | UnsignedSession,
  sign: (payload: string) => string,
  maxBytes: number,
): Result<EncodedSession> {
  if (typeof input !== 'object' || input === null) {
    return err(new JidoError('invalid_schema', 'The session is not valid.'));
  }
  const { signature: _ignored, ...unsigned } = withoutUndefined(input);
  const parsed = sessionSchema.safeParse(unsigned);
  if (!parsed.success) return err(schemaError(parsed.error));
  const clean = withoutUndefined(parsed.data) as UnsignedSession;
  const payload = canonicalJson(clean);
  if (!payload.ok) return payload;
  const session: Session = { ...clean, signature: sign(payload.value) };
  const text = canonicalJson(session);
  if (!text.ok) return text;
  const bytes = new TextEncoder().encode(text.value);
  if (bytes.length > maxBytes) {
    return err(
      new JidoError(
        'too_large',
        'The session is larger than the configured file size limit and was not saved.',
        {
          details: { size: bytes.length, max: maxBytes },
        },
      ),
    );
  }
  return ok({ session, bytes });
}

/**
 * Decodes session file bytes: strict UTF-8, depth-checked JSON, version detection and migration,
 * schema validation, and a check that the document's id is the one its file name promised.
 */
export function decodeSession(bytes: Uint8Array, expectedId: string): Result<DecodedSession> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch (cause) {
    return err(new JidoError('invalid_json', 'The session file is not valid UTF-8 text.', { cause }));
  }
  const json = parseJson(text);
  if (!json.ok) return json;
  const parsed = parseSessionDocument(json.value);
  if (!parsed.ok) return parsed;
  const { session, fromVersion, unknownKeys } = parsed.value;
  if (session.id !== expectedId) {
    return err(
      new JidoError('invalid_schema', 'The session file holds a different session than its name says.', {
        details: { expectedId, foundId: session.id },
      }),
    );
  }
  const { signature: _signature, ...stored } = json.value as Record<string, unknown>;
  const payload = canonicalJson(stored);
  if (!payload.ok) {
    // Valid JSON syntax that is not well-formed Unicode (a lone surrogate escape) cannot be signed data.
    return err(
      new JidoError('invalid_schema', 'The session file holds text that is not valid Unicode.', {
        cause: payload.error,
        details: payload.error.details,
      }),
    );
  }
  return ok({ session, fromVersion, unknownKeys, payload: payload.value, signature: session.signature });
}

/**
 * Applies the verification outcome: a valid signature loads; an unsigned file follows `policy`
 * (accepted with an `unsigned` warning, never re-signed here, or refused); anything else is refused
 * with its typed error.
 */
export function applyVerification(
  decoded: DecodedSession,
  verification: VerifyResult,
  policy: UnsignedPolicy,
): Result<LoadedSession> {
  const warnings: string[] = [];
  if (decoded.fromVersion !== decoded.session.version) warnings.push('migrated');
  if (decoded.unknownKeys.length > 0) warnings.push('unknown_keys');
  if (verification.status === 'valid') {
    return ok({ session: decoded.session, signed: true, fromVersion: decoded.fromVersion, warnings });
  }
  if (verification.status === 'unsigned' && policy === 'accept-with-warning') {
    return ok({
      session: decoded.session,
      signed: false,
      fromVersion: decoded.fromVersion,
      warnings: ['unsigned', ...warnings],
    });
  }
  const error = verificationError(verification);
  if (verification.status === 'unsigned') {
    return err(
      new JidoError('unsigned', 'The session file is not signed, and unsigned files are refused by policy.', {
        details: error.details,
      }),
    );
  }
  return err(error);
}
