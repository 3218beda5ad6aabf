import { createHmac, type Hmac, timingSafeEqual } from 'node:crypto';

/** The signature envelope version written by {@link encodeSignature}. */
export const signatureVersion = 'v1';

/** Length of an HMAC-SHA256 tag in bytes. */
export const macLength = 32;

/** Length of a secret key in bytes (256 bits). */
export const secretLength = 32;

/** A key id: 8 lowercase hex characters (4 random bytes). */
export const keyIdPattern = /^[0-9a-f]{8}$/;

/**
 * `v1:<kid>:<mac>`, the MAC being exactly 43 unpadded base64url characters (32 bytes). Anything
 * else, including padding or surrounding whitespace, is malformed.
 */
const signaturePattern = /^v1:([0-9a-f]{8}):([A-Za-z0-9_-]{43})$/;

/** The parts of a well-formed signature. */
export interface DecodedSignature {
  /** Id of the key that produced the MAC. */
  readonly keyId: string;
  /** The 32-byte HMAC-SHA256 tag. */
  readonly mac: Buffer;
}

const base64urlText = /^[A-Za-z0-9_-]*$/;
const base64urlDigits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Decodes base64url that must be canonical: Node's decoder ignores the unused low bits of the last
 * character, so two different strings can decode to the same bytes. The canonical text of
 * `expectedLength` bytes has exactly ⌈4n/3⌉ characters and zeros in those unused bits (two for a
 * length of 3k+2, four for 3k+1), so every change of the text is a change of the value (or a
 * refusal). Checked on the text rather than by re-encoding the bytes: every load verifies a MAC.
 */
export function decodeCanonicalBase64url(text: string, expectedLength: number): Buffer | undefined {
  if (text.length !== Math.ceil((expectedLength * 4) / 3) || !base64urlText.test(text)) return undefined;
  const unusedBits = [0, 4, 2][expectedLength % 3] ?? 0;
  const last = base64urlDigits.indexOf(text.charAt(text.length - 1));
  if (last % (1 << unusedBits) !== 0) return undefined;
  return Buffer.from(text, 'base64url');
}

/** Formats a signature as `v1:<kid>:<base64url of the MAC>`. */
export function encodeSignature(keyId: string, mac: Uint8Array): string {
  return `${signatureVersion}:${keyId}:${Buffer.from(mac).toString('base64url')}`;
}

/** Parses a signature string; `undefined` when it is not exactly a well-formed `v1` signature. */
export function decodeSignature(signature: string): DecodedSignature | undefined {
  const match = signaturePattern.exec(signature);
  if (match === null) return undefined;
  const [, keyId, encodedMac] = match;
  if (keyId === undefined || encodedMac === undefined) return undefined;
  const mac = decodeCanonicalBase64url(encodedMac, macLength);
  return mac === undefined ? undefined : { keyId, mac };
}

/**
 * What is signed: a string (its UTF-8 bytes), bytes, or bytes in parts, the MAC being that of the
 * parts concatenated (a large document is signed without copying it into one buffer).
 */
export type SignedPayload = Uint8Array | string | readonly Uint8Array[];

/** True for a {@link SignedPayload}; anything else (say a `Result` passed by mistake) is not one. */
export function isSignedPayload(payload: unknown): payload is SignedPayload {
  if (typeof payload === 'string' || payload instanceof Uint8Array) return true;
  return Array.isArray(payload) && payload.every((part) => part instanceof Uint8Array);
}

function hmacOf(secret: Uint8Array, payload: SignedPayload): Hmac {
  const hmac = createHmac('sha256', secret);
  if (typeof payload === 'string') hmac.update(payload, 'utf8');
  else if (payload instanceof Uint8Array) hmac.update(payload);
  else for (const part of payload) hmac.update(part);
  return hmac;
}

/** HMAC-SHA256 of `payload` (a string is taken as its UTF-8 bytes, parts as their concatenation) under `secret`. */
export function computeMac(secret: Uint8Array, payload: SignedPayload): Buffer {
  return hmacOf(secret, payload).digest();
}

/**
 * `encodeSignature(keyId, computeMac(secret, payload))`, the digest written as base64url directly:
 * the signing path, run for every journal line, makes neither the digest's Buffer nor its copy.
 */
export function computeSignature(keyId: string, secret: Uint8Array, payload: SignedPayload): string {
  return `${signatureVersion}:${keyId}:${hmacOf(secret, payload).digest('base64url')}`;
}

/** Compares two MACs in constant time; a length mismatch is refused first, as `timingSafeEqual` requires. */
export function macsEqual(expected: Uint8Array, actual: Uint8Array): boolean {
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
