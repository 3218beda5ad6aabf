import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeMac,
  computeSignature,
  decodeCanonicalBase64url,
  decodeSignature,
  encodeSignature,
  macLength,
  macsEqual,
} from './signature.js';

describe('signature encoding', () => {
  it('round-trips a key id and MAC through v1:<kid>:<base64url>', () => {
    const mac = randomBytes(macLength);
    const signature = encodeSignature('0a1b2c3d', mac);
    expect(signature).toMatch(/^v1:0a1b2c3d:[A-Za-z0-9_-]{43}$/);
    const decoded = decodeSignature(signature);
    expect(decoded?.keyId).toBe('0a1b2c3d');
    expect(decoded?.mac.equals(mac)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['version only', 'v1:'],
    ['another version', `v2:0a1b2c3d:${'A'.repeat(43)}`],
    ['upper-case key id', `v1:0A1B2C3D:${'A'.repeat(43)}`],
    ['short key id', `v1:0a1b2c:${'A'.repeat(43)}`],
    ['short MAC', `v1:0a1b2c3d:${'A'.repeat(42)}`],
    ['long MAC', `v1:0a1b2c3d:${'A'.repeat(44)}`],
    ['padded MAC', `v1:0a1b2c3d:${'A'.repeat(43)}=`],
    ['standard base64 alphabet', `v1:0a1b2c3d:${'+'.repeat(43)}`],
    ['trailing newline', `v1:0a1b2c3d:${'A'.repeat(43)}\n`],
    ['leading space', ` v1:0a1b2c3d:${'A'.repeat(43)}`],
    ['extra segment', `v1:0a1b2c3d:${'A'.repeat(43)}:x`],
  ])('refuses a malformed signature (%s)', (_name, signature) => {
    expect(decodeSignature(signature)).toBeUndefined();
  });

  it('refuses non-canonical base64url whose unused bits would decode to the same MAC', () => {
    const canonical = 'A'.repeat(43);
    // 'B' differs from 'A' only in the two bits a 32-byte value does not use.
    const aliased = `${'A'.repeat(42)}B`;
    expect(Buffer.from(aliased, 'base64url').equals(Buffer.from(canonical, 'base64url'))).toBe(true);
    expect(decodeCanonicalBase64url(canonical, macLength)).toBeDefined();
    expect(decodeCanonicalBase64url(aliased, macLength)).toBeUndefined();
    expect(decodeSignature(`v1:0a1b2c3d:${aliased}`)).toBeUndefined();
  });

  it('decodes exactly the text that re-encoding its bytes gives back, for every length', () => {
    // The reference: decode, then accept only if the bytes re-encode to the same text.
    const reference = (text: string, length: number) => {
      if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
      const bytes = Buffer.from(text, 'base64url');
      return bytes.length === length && bytes.toString('base64url') === text ? bytes : undefined;
    };
    const digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const text = fc.oneof(
      fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
      // Canonical text with its last character replaced: aliases, other values, non-canonical.
      fc
        .tuple(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.constantFrom(...digits, '=', '+', '/'))
        .map(([bytes, last]) => `${Buffer.from(bytes).toString('base64url').slice(0, -1)}${last}`),
      fc.string({ unit: fc.constantFrom(...digits, '=', '+', '/', ' ', '\n'), maxLength: 56 }),
    );
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 42 }), (candidate, length) => {
        const expected = reference(candidate, length);
        const decoded = decodeCanonicalBase64url(candidate, length);
        expect(decoded?.toString('hex')).toBe(expected?.toString('hex'));
        // The length the text belongs to, too.
        const own = Buffer.from(candidate, 'base64url').length;
        expect(decodeCanonicalBase64url(candidate, own)?.toString('hex')).toBe(
          reference(candidate, own)?.toString('hex'),
        );
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('computeMac and macsEqual', () => {
  it('gives the same MAC for a string and its UTF-8 bytes', () => {
    const secret = randomBytes(32);
    const text = '{"title":"café ☕"}';
    expect(computeMac(secret, text).equals(computeMac(secret, new TextEncoder().encode(text)))).toBe(true);
  });

  it('matches the RFC 4231 test case 2 for HMAC-SHA256', () => {
    const mac = computeMac(Buffer.from('Jefe'), 'what do ya want for nothing?');
    expect(mac.toString('hex')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('writes with computeSignature exactly encodeSignature of computeMac, for any secret and payload', () => {
    const payload = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.uint8Array({ maxLength: 300 }),
      fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 100 }), payload, (secret, signed) => {
        expect(computeSignature('0a1b2c3d', secret, signed)).toBe(
          encodeSignature('0a1b2c3d', computeMac(secret, signed)),
        );
      }),
      { numRuns: 500 },
    );
    // RFC 4231 test case 2 again, as the signature string.
    expect(computeSignature('0a1b2c3d', Buffer.from('Jefe'), 'what do ya want for nothing?')).toBe(
      `v1:0a1b2c3d:${Buffer.from('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843', 'hex').toString('base64url')}`,
    );
  });

  it('compares equal MACs as equal and refuses a different length without throwing', () => {
    const mac = randomBytes(macLength);
    expect(macsEqual(mac, Buffer.from(mac))).toBe(true);
    expect(macsEqual(mac, mac.subarray(0, 31))).toBe(false);
    const changed = Buffer.from(mac);
    changed[0] = (changed[0] ?? 0) ^ 1;
    expect(macsEqual(mac, changed)).toBe(false);
  });
});
