import { isAscii, isUtf8 } from 'node:buffer';
import {
  acceptSession,
  canonicalJson,
  canonicalMembers,
  checkSession,
  checkSessionDocument,
  err,
  JidoError,
  limits,
  ok,
  parseJson,
  type Result,
  type Session,
  type UnsignedPolicy,
  type UnsignedSession,
} from '@jido-code/core-schema';
import { type SignedPayload, type VerifyResult, verificationError } from '@jido-code/crypto';
import { type SessionEncodingCache, sharedEncodingCache } from './session-encoding-cache.js';
import { type StoredSignature, storedSignature } from './stored-signature.js';

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
   * The stored bytes minus their top-level `,"signature":"…"` member (in two parts): the one a MAC
   * verified before parsing showed to be it, or else the file's only copy of the parsed signature's
   * member. For a file written by {@link encodeSession} these are the signed payload itself.
   */
  readonly storedPayload: readonly Uint8Array[] | undefined;
  /** The valid verification of {@link DecodedSession.storedPayload}, when it was made before parsing. */
  readonly verified?: VerifyResult | undefined;
}

/** Checks a signature over a payload (the keyring's `verify`). */
export type VerifyPayload = (payload: SignedPayload, signature: string | undefined) => VerifyResult;

function withoutUndefined(value: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined));
}

/**
 * One member's canonical JSON (`"key":value`): a string, or pieces of text and UTF-8 bytes (the
 * conversation, whose messages' bytes come from the cache) that are its concatenation.
 */
type MemberText = string | readonly (string | Uint8Array)[];

/** A session validated, with each member's canonical JSON, ready to sign. */
interface PreparedSession {
  readonly clean: UnsignedSession;
  readonly members: ReadonlyMap<string, MemberText>;
}

/** Validates and serializes every field: the reference every save must agree with byte for byte. */
async function prepareFromScratch(unsigned: Record<string, unknown>): Promise<Result<PreparedSession>> {
  const parsed = await checkSession(unsigned);
  if (!parsed.ok) return parsed;
  const clean = withoutUndefined(parsed.value) as UnsignedSession;
  const members = canonicalMembers(clean);
  if (!members.ok) return members;
  return ok({ clean, members: members.value });
}

/**
 * Validates and serializes only what `cache` has not seen: the conversation comes from the cache
 * (its bytes, for the messages it has seen), the other (small) fields are validated and serialized
 * as usual. Undefined when anything is not valid, so that {@link prepareFromScratch} reports it
 * exactly as a full validation would.
 */
function prepareIncrementally(
  unsigned: Record<string, unknown>,
  cache: SessionEncodingCache,
): PreparedSession | undefined {
  const { conversation, ...rest } = unsigned;
  if (!Array.isArray(conversation) || conversation.length > limits.maxMessages) return undefined;
  const encoded = cache.conversation(conversation);
  if (encoded === undefined) return undefined;
  const parsed = acceptSession({ ...rest, conversation: [] });
  if (parsed === undefined) return undefined;
  const { conversation: _empty, ...others } = withoutUndefined(parsed);
  const members = canonicalMembers(others);
  if (!members.ok) return undefined;
  const all = new Map<string, MemberText>(members.value);
  all.set('conversation', ['"conversation":[', encoded.bytes, ']']);
  return {
    clean: { ...(others as Omit<UnsignedSession, 'conversation'>), conversation: [...encoded.messages] },
    members: all,
  };
}

/** The members' pieces in order, commas between members, adjacent text merged, as UTF-8 parts. */
function partsOf(texts: readonly MemberText[], open: string, close: string): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let text = open;
  texts.forEach((member, index) => {
    if (index > 0) text += ',';
    for (const piece of typeof member === 'string' ? [member] : member) {
      if (typeof piece === 'string') text += piece;
      else {
        parts.push(Buffer.from(text, 'utf8'), piece);
        text = '';
      }
    }
  });
  parts.push(Buffer.from(text + close, 'utf8'));
  return parts;
}

/**
 * Signs the canonical JSON of `members` and writes the signed document in one pass: the members
 * sorting before `signature` and those after it are encoded once, the payload is the two in parts
 * (signed part by part, never copied into one buffer), and the document is the same parts around
 * the signature member, copied once.
 */
function signMembers(
  members: ReadonlyMap<string, MemberText>,
  sign: (payload: readonly Uint8Array[]) => string,
): { signature: string; bytes: Buffer } {
  const keys = [...members.keys()].sort();
  const textOf = (key: string) => members.get(key) as MemberText;
  const before = keys.filter((key) => key < 'signature').map(textOf);
  const after = keys.filter((key) => key > 'signature').map(textOf);
  const head = partsOf(before, '{', '');
  const tail = partsOf(after, '', '}');
  const between = before.length > 0 && after.length > 0 ? [Buffer.from(',')] : [];
  const signature = sign([...head, ...between, ...tail]);
  const member = `${before.length > 0 ? ',' : ''}"signature":${JSON.stringify(signature)}${after.length > 0 ? ',' : ''}`;
  return { signature, bytes: Buffer.concat([...head, Buffer.from(member, 'utf8'), ...tail]) };
}

/**
 * Validates `input` with the session schema, signs the canonical JSON of every field but the
 * signature, and returns the canonical JSON of the signed document. A document larger than
 * `maxBytes` is refused with `too_large`. Messages already seen by `cache` (messages are immutable
 * once appended) are neither validated nor serialized again; the bytes are the same either way.
 */
export async function encodeSession(
  input: Session | UnsignedSession,
  sign: (payload: readonly Uint8Array[]) => string,
  maxBytes: number,
  cache: SessionEncodingCache = sharedEncodingCache,
): Promise<Result<EncodedSession>> {
  if (typeof input !== 'object' || input === null) {
    return err(new JidoError('invalid_schema', 'The session is not valid.'));
  }
  const { signature: _ignored, ...unsigned } = withoutUndefined(input);
  const incremental = prepareIncrementally(unsigned, cache);
  const prepared = incremental === undefined ? await prepareFromScratch(unsigned) : ok(incremental);
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
 * Strict UTF-8 text of `bytes`, a leading byte-order mark (EF BB BF) stripped, as a fatal `TextDecoder` gives
 * it; undefined for bytes that are not UTF-8. `isUtf8` and `toString` are much faster than the
 * fatal decoder on large files. ASCII bytes (the usual file) are UTF-8 whose Latin-1 reading is
 * the same text, which Node makes without decoding: a 1.3 MB file's text costs a fifth as much.
 */
function utf8Text(bytes: Uint8Array): string | undefined {
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isAscii(buffer)) return buffer.toString('latin1');
  if (!isUtf8(buffer)) return undefined;
  const marked = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
  return buffer.toString('utf8', marked ? 3 : 0);
}

/**
 * A valid MAC over the stored bytes minus their last `,"signature":"…"` member, checked before
 * anything is parsed; undefined when there is none (unsigned, tampered, reformatted, another key).
 */
function verifyBeforeParsing(
  bytes: Uint8Array,
  verify: VerifyPayload,
): { stored: StoredSignature; verification: VerifyResult } | undefined {
  const stored = storedSignature(bytes);
  if (stored === undefined) return undefined;
  const verification = verify(stored.payload, stored.signature);
  return verification.status === 'valid' ? { stored, verification } : undefined;
}

/**
 * Parses the text of a file. The depth pre-scan (which protects `JSON.parse` and every recursive
 * walker from absurdly nested input) is skipped only for bytes whose MAC verified before parsing:
 * those bytes minus the signature member are a payload the keyring signed, and the keyring signs
 * only canonical JSON that its encoder has depth-checked (sessions, journal lines, trash records,
 * all through `canonicalJson` or `canonicalMembers` of a schema-valid session), so the payload is
 * within the depth limit; the member adds no nesting (its brackets-free text leaves every bracket
 * where it was, inside or outside strings), so the pre-scan would have passed. Every other file,
 * unsigned or tampered included, is pre-scanned.
 */
function parseText(text: string, depthChecked: boolean): Result<unknown> {
  if (!depthChecked) return parseJson(text);
  try {
    return ok(JSON.parse(text));
  } catch (cause) {
    return err(new JidoError('invalid_json', 'The document is not valid JSON.', { cause }));
  }
}

/**
 * Decodes session file bytes: strict UTF-8, depth-checked JSON, version detection and migration,
 * schema validation, and a check that the document's id is the one its file name promised. With
 * `verify`, a file as {@link encodeSession} wrote it is verified first (see {@link parseText}),
 * and the verification is kept for {@link verifyDecoded}.
 */
export async function decodeSession(
  bytes: Uint8Array,
  expectedId: string,
  verify?: VerifyPayload,
): Promise<Result<DecodedSession>> {
  // The MAC first, while the bytes just read are still in the processor's cache: after decoding
  // them to text, hashing 130 KB cost about a third more.
  const early = verify === undefined ? undefined : verifyBeforeParsing(bytes, verify);
  const text = utf8Text(bytes);
  if (text === undefined) {
    return err(new JidoError('invalid_json', 'The session file is not valid UTF-8 text.'));
  }
  const json = parseText(text, early !== undefined);
  if (!json.ok) return json;
  const parsed = await checkSessionDocument(json.value);
  if (!parsed.ok) return parsed;
  const { session, fromVersion, unknownKeys } = parsed.value;
  if (session.id !== expectedId) {
    return err(
      new JidoError('invalid_schema', 'The session file holds a different session than its name says.', {
        details: { expectedId, foundId: session.id },
      }),
    );
  }
  // The early MAC covers the document only if the member it left out is the top-level signature.
  const verified = early !== undefined && early.stored.signature === session.signature ? early : undefined;
  return ok({
    session,
    fromVersion,
    unknownKeys,
    signature: session.signature,
    document: json.value as Record<string, unknown>,
    storedPayload:
      verified?.stored.payload ??
      (session.signature === undefined ? undefined : storedSignature(bytes, session.signature)?.payload),
    verified: verified?.verification,
  });
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
 * way was taken. A verification {@link decodeSession} made before parsing, over the same bytes
 * minus the same (top-level) member, is that first way, already taken.
 */
export function verifyDecoded(decoded: DecodedSession, verify: VerifyPayload): Result<VerifyResult> {
  if (decoded.verified !== undefined) return ok(decoded.verified);
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
  const { session, fromVersion } = decoded;
  // Object literals, not a spread of a shared base: every load passes here, and the spread cost
  // about a microsecond.
  if (verification.status === 'valid') {
    return ok({ session, fromVersion, signed: true, signer: 'keyring', warnings });
  }
  if (verification.status === 'unsigned' && policy !== 'reject') {
    return ok({ session, fromVersion, signed: false, warnings: ['unsigned', ...warnings] });
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
