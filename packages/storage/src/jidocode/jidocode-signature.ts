import { createHmac, timingSafeEqual } from 'node:crypto';
import { reencodeJason } from './jason-encoding.js';

/** A JidoCode signature: standard base64, with padding, of a 32-byte HMAC-SHA256. */
const jidoCodeSignaturePattern = /^[A-Za-z0-9+/]{43}=$/;

/** True when `signature` has the shape of a JidoCode signature (not this project's `v1:<key>:<mac>`). */
export function isJidoCodeSignature(signature: unknown): signature is string {
  return typeof signature === 'string' && jidoCodeSignaturePattern.test(signature);
}

/**
 * The stored bytes with the signature's own line removed: JidoCode signed the pretty text of the
 * document without `signature`, and since keys are sorted that text is the file minus the line
 * `  "signature": "…",\n` (or, when `signature` is the last key, minus `,\n  "signature": "…"`).
 * A raw newline only occurs between members, so two spaces after it mark a top-level member.
 * Undefined when the line is not there exactly once.
 */
export function withoutSignatureLine(bytes: Uint8Array, signature: string): Uint8Array | undefined {
  const stored = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const member = `\n  "signature": "${signature}"`;
  const at = stored.indexOf(member, 0, 'utf8');
  if (at < 0 || stored.indexOf(member, at + 1, 'utf8') >= 0) return undefined;
  const end = at + Buffer.byteLength(member);
  if (stored.subarray(end, end + 2).toString('latin1') === ',\n') {
    return Buffer.concat([stored.subarray(0, at + 1), stored.subarray(end + 2)]);
  }
  if (stored.subarray(end, end + 2).toString('latin1') === '\n}' && stored[at - 1] === 0x2c) {
    return Buffer.concat([stored.subarray(0, at - 1), stored.subarray(end)]);
  }
  return undefined;
}

function macMatches(key: Uint8Array, payload: Uint8Array | string, signature: string): boolean {
  const expected = createHmac('sha256', key).update(payload).digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Verifies a JidoCode signature over the stored bytes minus the signature line and, if that fails
 * or the line cannot be removed cleanly, over the Jason re-encoding of the document without
 * `signature` (a file reformatted or reordered but unchanged in content still verifies).
 */
export function verifyJidoCodeSignature(
  bytes: Uint8Array,
  text: string,
  signature: string,
  key: Uint8Array,
): boolean {
  const stripped = withoutSignatureLine(bytes, signature);
  if (stripped !== undefined && macMatches(key, stripped, signature)) return true;
  const reencoded = reencodeJason(text, ['signature']);
  return reencoded !== undefined && macMatches(key, reencoded, signature);
}
