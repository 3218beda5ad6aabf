/** A file's `,"signature":"…"` member found in its bytes, and the bytes around it. */
export interface StoredSignature {
  /** The member's value. */
  readonly signature: string;
  /**
   * The bytes before the member and those after it: for a file as `encodeSession` writes it,
   * the signed payload in two parts.
   */
  readonly payload: readonly Uint8Array[];
}

/** A signature written by the keyring: no character JSON would escape. */
const plainSignature = /^[A-Za-z0-9:_-]+$/;
const opening = Buffer.from(',"signature":"');
const QUOTE = 0x22;

/**
 * With `signature`, the one `,"signature":"<signature>"` member of `bytes`, or undefined when there
 * is none or more than one. Without it, the last `,"signature":"…"` member of the file, when its
 * value is a plain one. The bytes are only searched, never parsed: whether the member is the
 * document's top-level one is for the caller to establish (a valid MAC over the rest and a parsed
 * top-level signature equal to it do, see `decodeSession` and `verifyDecoded`).
 */
export function storedSignature(bytes: Uint8Array, signature?: string): StoredSignature | undefined {
  const stored = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (signature === undefined) return lastSignature(stored);
  if (!plainSignature.test(signature)) return undefined;
  const member = Buffer.from(`,"signature":"${signature}"`, 'latin1');
  const at = stored.indexOf(member);
  if (at < 0 || stored.indexOf(member, at + 1) >= 0) return undefined;
  return { signature, payload: [stored.subarray(0, at), stored.subarray(at + member.length)] };
}

/**
 * The file's last `,"signature":"…"`, found from the end, where canonical order puts the top-level
 * one (only `todos`, `updated_at` and `version` follow it, and no string can hold the opening: a
 * quote inside a string is escaped). Found without a scan of the rest: another copy elsewhere
 * cannot make a changed document pass. If the MAC over the bytes around this member is valid,
 * those bytes are a payload the keyring signed (canonical JSON, no top-level `signature`); the
 * member, put back into it, cannot sit inside a string (its first quote would end the string and
 * `signature` would follow it bare), so it is a member of some object, and the parsed top-level
 * signature equals it only when that object is the top level: the document is then exactly the
 * signed payload plus its signature, copies elsewhere included.
 */
function lastSignature(stored: Buffer): StoredSignature | undefined {
  const at = stored.lastIndexOf(opening);
  if (at < 0) return undefined;
  const start = at + opening.length;
  const end = stored.indexOf(QUOTE, start);
  if (end < 0) return undefined;
  const signature = stored.toString('latin1', start, end);
  if (!plainSignature.test(signature)) return undefined;
  return { signature, payload: [stored.subarray(0, at), stored.subarray(end + 1)] };
}
