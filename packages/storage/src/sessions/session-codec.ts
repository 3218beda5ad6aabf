import {
  canonicalJson,
  canonicalMembers,
  err,
  JidoError,
  joinCanonicalMembers,
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
  /** Whose key the signature verified with: the keyring's, or JidoCode's (`machine_secret`). */
  readonly signer?: 'keyring' | 'jidocode';
  /** The schema version the file was written in. */
  readonly fromVersion: number;
  /**
   * Recoverable oddities (`unsigned`, `migrated`, `unknown_keys`, `jidocode_key`, `reordered` when
   * a newest-first conversation was turned oldest-first), for the caller to surface.
   */
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
  readonly signature: string | undefined;
  /** The document as parsed, before migration: its canonical JSON minus `signature` is what is signed. */
  readonly document: Readonly<Record<string, unknown>>;
  /**
   * The stored bytes minus their one `,"signature":"…"` member, when the file has exactly one:
   * for a file written by {@link encodeSession} these are the signed payload itself.
   */
  readonly storedPayload: Uint8Array | undefined;
}

/** Checks a signature over a payload (the keyring's `verify`). */
export type VerifyPayload = (payload: Uint8Array | string, signature: string | undefined) => VerifyResult;

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
  // Each field is serialized once: the payload and the signed document share all but `signature`.
  const members = canonicalMembers(clean);
  if (!members.ok) return members;
  const signature = sign(joinCanonicalMembers(members.value));
  const session: Session = { ...clean, signature };
  const text = joinCanonicalMembers(members.value, { signature: JSON.stringify(signature) });
  const bytes = Buffer.from(text, 'utf8');
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
  return ok({
    session,
    fromVersion,
    unknownKeys,
    signature: session.signature,
    document: json.value as Record<string, unknown>,
    storedPayload: withoutSignatureMember(bytes, session.signature),
  });
}

/** A signature written by the keyring: no character JSON would escape. */
const plainSignature = /^[A-Za-z0-9:_-]+$/;

function withoutSignatureMember(bytes: Uint8Array, signature: string | undefined): Uint8Array | undefined {
  if (signature === undefined || !plainSignature.test(signature)) return undefined;
  const stored = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const member = Buffer.from(`,"signature":"${signature}"`, 'utf8');
  const at = stored.indexOf(member);
  if (at < 0 || stored.indexOf(member, at + 1) >= 0) return undefined;
  return Buffer.concat([stored.subarray(0, at), stored.subarray(at + member.length)]);
}

/** Canonical JSON of the document as stored, minus `signature`: what its signature covers. */
export function signedPayload(decoded: DecodedSession): Result<string> {
  const { signature: _signature, ...stored } = decoded.document;
  const payload = canonicalJson(stored);
  if (payload.ok) return payload;
  // Valid JSON syntax that is not well-formed Unicode (a lone surrogate escape) cannot be signed data.
  return err(
    new JidoError('invalid_schema', 'The session file holds text that is not valid Unicode.', {
      cause: payload.error,
      details: payload.error.details,
    }),
  );
}

/**
 * Verifies a decoded session's signature. A file as {@link encodeSession} wrote it is verified
 * over its stored bytes minus the signature member, with no re-serialization: if that MAC is
 * valid, those bytes are a payload this key signed, which is canonical JSON with no top-level
 * `signature`, so the removed member was the top-level one and the parsed document is exactly
 * that payload plus its signature. Anything else (reformatted, reordered, tampered or unsigned)
 * is verified over the canonical JSON of what was parsed, so the outcome never depends on which
 * way was taken.
 */
export function verifyDecoded(decoded: DecodedSession, verify: VerifyPayload): Result<VerifyResult> {
  if (decoded.storedPayload !== undefined) {
    const fast = verify(decoded.storedPayload, decoded.signature);
    if (fast.status === 'valid') return ok(fast);
  }
  const payload = signedPayload(decoded);
  if (!payload.ok) return payload;
  return ok(verify(payload.value, decoded.signature));
}

/**
 * Applies the keyring's verification outcome: a valid signature loads; an unsigned file follows
 * `policy` (accepted with an `unsigned` warning, never re-signed here, or refused), as JidoCode
 * accepted its unsigned version-1 files; anything else is refused with its typed error. The
 * downgrade guard (an unsigned file for an id once seen signed) is the caller's, see
 * `verifySessionFile`.
 */
export function applyVerification(
  decoded: DecodedSession,
  verification: VerifyResult,
  policy: UnsignedPolicy,
): Result<LoadedSession> {
  const warnings: string[] = [];
  if (decoded.fromVersion !== decoded.session.version) warnings.push('migrated');
  if (decoded.unknownKeys.length > 0) warnings.push('unknown_keys');
  const base = { session: decoded.session, fromVersion: decoded.fromVersion };
  if (verification.status === 'valid') return ok({ ...base, signed: true, signer: 'keyring', warnings });
  if (verification.status === 'unsigned' && policy !== 'reject') {
    return ok({ ...base, signed: false, warnings: ['unsigned', ...warnings] });
  }
  const error = verificationError(verification);
  if (verification.status === 'unsigned') {
    return err(
      new JidoError('unsigned', 'The session file is not signed, and unsigned files are refused by policy.', {
        details: { ...error.details, fromVersion: decoded.fromVersion },
      }),
    );
  }
  return err(error);
}
