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
 * The one `,"signature":"<signature>"` member of `bytes`, or undefined when there is none or more
 * than one. Without `signature`, the member is the one `,"signature":"` of the file, when there is
 * exactly one and its value is a plain one. The bytes are only searched, never parsed: whether the
 * member is the document's top-level one is for the caller to establish (a valid MAC over the rest
 * does, see `verifyDecoded`).
 */
export function storedSignature(bytes: Uint8Array, signature?: string): StoredSignature | undefined {
  const stored = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (signature === undefined) return onlySignature(stored);
  if (!plainSignature.test(signature)) return undefined;
  const member = Buffer.from(`,"signature":"${signature}"`, 'latin1');
  const at = stored.indexOf(member);
  if (at < 0 || stored.indexOf(member, at + 1) >= 0) return undefined;
  return { signature, payload: [stored.subarray(0, at), stored.subarray(at + member.length)] };
}

/**
 * The file's one `,"signature":"…"`, found from the end, where canonical order puts it (only
 * `todos`, `updated_at` and `version` follow), then from the start up to it: one pass in all.
 */
function onlySignature(stored: Buffer): StoredSignature | undefined {
  const at = stored.lastIndexOf(opening);
  if (at < 0 || stored.indexOf(opening) !== at) return undefined;
  const start = at + opening.length;
  const end = stored.indexOf(QUOTE, start);
  if (end < 0) return undefined;
  const signature = stored.toString('latin1', start, end);
  if (!plainSignature.test(signature)) return undefined;
  return { signature, payload: [stored.subarray(0, at), stored.subarray(end + 1)] };
}
