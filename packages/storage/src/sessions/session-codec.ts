import {
  type CanonicalMembers,
  canonicalJson,
  canonicalMembers,
  err,
  JidoError,
  limits,
  type Message,
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
import { type SessionEncodingCache, sharedEncodingCache } from './session-encoding-cache.js';

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

/** A session validated, with each member's canonical JSON (`"key":value`), ready to sign. */
interface PreparedSession {
  readonly clean: UnsignedSession;
  readonly members: CanonicalMembers;
}

/** Validates and serializes every field: the reference every save must agree with byte for byte. */
function prepareFromScratch(unsigned: Record<string, unknown>): Result<PreparedSession> {
  const parsed = sessionSchema.safeParse(unsigned);
  if (!parsed.success) return err(schemaError(parsed.error));
  const clean = withoutUndefined(parsed.data) as UnsignedSession;
  const members = canonicalMembers(clean);
  if (!members.ok) return members;
  return ok({ clean, members: members.value });
}

/**
 * Validates and serializes only what `cache` has not seen: the messages come from the cache, the
 * other (small) fields are validated and serialized as usual. Undefined when anything is not valid,
 * so that {@link prepareFromScratch} reports it exactly as a full validation would.
 */
function prepareIncrementally(
  unsigned: Record<string, unknown>,
  cache: SessionEncodingCache,
): PreparedSession | undefined {
  const { conversation, ...rest } = unsigned;
  if (!Array.isArray(conversation) || conversation.length > limits.maxMessages) return undefined;
  const messages: Message[] = new Array(conversation.length);
  const texts: string[] = new Array(conversation.length);
  for (let index = 0; index < conversation.length; index++) {
    const encoded = cache.message(conversation[index]);
    if (encoded === undefined) return undefined;
    messages[index] = encoded.message;
    texts[index] = encoded.canonical;
  }
  const parsed = sessionSchema.safeParse({ ...rest, conversation: [] });
  if (!parsed.success) return undefined;
  const { conversation: _empty, ...others } = withoutUndefined(parsed.data);
  const members = canonicalMembers(others);
  if (!members.ok) return undefined;
  const all = new Map(members.value);
  all.set('conversation', `"conversation":[${texts.join(',')}]`);
  return {
    clean: { ...(others as Omit<UnsignedSession, 'conversation'>), conversation: messages },
    members: all,
  };
}

/**
 * Signs the canonical JSON of `members` and writes the signed document in one pass: the members
 * sorting before `signature` and those after it are encoded once, the payload is the two joined,
 * and the document is the same two around the signature member.
 */
function signMembers(
  members: CanonicalMembers,
  sign: (payload: Uint8Array) => string,
): { signature: string; bytes: Buffer } {
  const keys = [...members.keys()].sort();
  const before = keys.filter((key) => key < 'signature').map((key) => members.get(key));
  const after = keys.filter((key) => key > 'signature').map((key) => members.get(key));
  const head = Buffer.from(`{${before.join(',')}`, 'utf8');
  const tail = Buffer.from(`${after.join(',')}}`, 'utf8');
  const between = before.length > 0 && after.length > 0 ? ',' : '';
  const signature = sign(Buffer.concat([head, Buffer.from(between), tail]));
  const member = `${before.length > 0 ? ',' : ''}"signature":${JSON.stringify(signature)}${after.length > 0 ? ',' : ''}`;
  return { signature, bytes: Buffer.concat([head, Buffer.from(member, 'utf8'), tail]) };
}

/**
 * Validates `input` with the session schema, signs the canonical JSON of every field but the
 * signature, and returns the canonical JSON of the signed document. A document larger than
 * `maxBytes` is refused with `too_large`. Messages already seen by `cache` (messages are immutable
 * once appended) are neither validated nor serialized again; the bytes are the same either way.
 */
export function encodeSession(
  input: Session | UnsignedSession,
  sign: (payload: Uint8Array) => string,
  maxBytes: number,
  cache: SessionEncodingCache = sharedEncodingCache,
): Result<EncodedSession> {
  if (typeof input !== 'object' || input === null) {
    return err(new JidoError('invalid_schema', 'The session is not valid.'));
  }
  const { signature: _ignored, ...unsigned } = withoutUndefined(input);
  const incremental = prepareIncrementally(unsigned, cache);
  const prepared = incremental === undefined ? prepareFromScratch(unsigned) : ok(incremental);
  if (!prepared.ok) return prepared;
  const { signature, bytes } = signMembers(prepared.value.members, sign);
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
  return ok({ session: { ...prepared.value.clean, signature }, bytes });
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
        details: { ...error.details, fromVersion: decoded.fromVersion, policy },
      }),
    );
  }
  return err(error);
}
