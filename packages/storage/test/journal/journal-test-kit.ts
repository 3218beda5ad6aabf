import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { JournalSigner } from '../../src/journal/index.js';

// Kept free of vitest and test-support imports: the kill -9 worker process loads this file too.

/** A fixed key so that files written by a child process verify in the parent. */
const testKey = Buffer.from('jido-code journal test key, never used for real data');

/** An HMAC-SHA256 signer over a fixed (or given) key, standing in for the keyring. */
export function hmacSigner(key: Uint8Array = testKey): JournalSigner {
  const mac = (payload: string) => createHmac('sha256', key).update(payload, 'utf8').digest();
  return {
    sign: (payload) => mac(payload).toString('base64url'),
    verify: (payload, signature) => {
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(payload);
      return (
        given.length === expected.length &&
        given.toString('base64url') === signature &&
        timingSafeEqual(given, expected)
      );
    },
  };
}

/** A fresh session id (lowercase UUID v4). */
export function newSessionId(): string {
  return randomUUID();
}
