import { randomBytes } from 'node:crypto';
import { JidoError } from '@jido-code/core-schema';
import { describe, expect, it } from 'vitest';
import { type KeyringDocument, serializeKeyringDocument } from './keyring-document.js';
import { parseKeyringDocument } from './keyring-document-schema.js';

const secretA = randomBytes(32).toString('base64url');
const secretB = randomBytes(32).toString('base64url');

function validDocument(): KeyringDocument {
  return {
    format: 'jido-keyring',
    version: 1,
    keys: [
      { kid: '0a1b2c3d', created_at: '2024-01-01T00:00:00.000Z', retired_at: '2024-06-01T00:00:00.000Z' },
      { kid: '1a2b3c4d', secret: secretA, created_at: '2024-03-01T00:00:00.000Z' },
      { kid: '2a3b4c5d', secret: secretB, created_at: '2024-06-01T00:00:00.000Z' },
    ],
  };
}

function encode(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

function expectCorrupt(bytes: Uint8Array): JidoError {
  const result = parseKeyringDocument(bytes);
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('expected a failure');
  expect(result.error).toBeInstanceOf(JidoError);
  expect(result.error.code).toBe('keyring_corrupt');
  // Nothing from the document, least of all a secret, reaches the message or the details.
  const shown = `${result.error.message} ${JSON.stringify(result.error.details)}`;
  expect(shown).not.toContain(secretA);
  expect(shown).not.toContain(secretB);
  expect(result.error.cause).toBeUndefined();
  return result.error;
}

function withKeys(keys: unknown[]): Uint8Array {
  return encode({ ...validDocument(), keys });
}

describe('keyring document', () => {
  it('serializes and parses back to the same document', () => {
    const document = validDocument();
    const parsed = parseKeyringDocument(serializeKeyringDocument(document));
    expect(parsed).toEqual({ ok: true, value: document });
  });

  it('refuses bytes that are not UTF-8 or not JSON', () => {
    expect(expectCorrupt(new Uint8Array([0xff, 0xfe, 0x00])).details).toMatchObject({
      reason: 'invalid_utf8',
    });
    expect(expectCorrupt(new TextEncoder().encode(`{"secret":"${secretA}"`)).details).toMatchObject({
      reason: 'invalid_json',
    });
    expectCorrupt(new Uint8Array());
    expectCorrupt(encode(null));
    expectCorrupt(encode([]));
  });

  it('refuses another format and an unknown version', () => {
    expectCorrupt(encode({ ...validDocument(), format: 'something-else' }));
    expect(expectCorrupt(encode({ ...validDocument(), version: 2 })).details).toMatchObject({
      reason: 'unsupported_version',
      version: 2,
    });
    expectCorrupt(encode({ ...validDocument(), version: '1' }));
    const { version: _version, ...withoutVersion } = validDocument();
    expectCorrupt(encode(withoutVersion));
  });

  it('refuses a secret that is not exactly 32 bytes of canonical base64url', () => {
    const active = (secret: string) =>
      withKeys([{ kid: '1a2b3c4d', secret, created_at: '2024-03-01T00:00:00Z' }]);
    expectCorrupt(active(randomBytes(31).toString('base64url')));
    expectCorrupt(active(randomBytes(33).toString('base64url')));
    expectCorrupt(active(randomBytes(32).toString('base64')));
    expectCorrupt(active(`${secretA}=`));
    expectCorrupt(active(''));
    // The last character of a 32-byte value has two unused bits; setting one aliases the same bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const aliased = `${secretA.slice(0, -1)}${alphabet[alphabet.indexOf(secretA.slice(-1)) + 1]}`;
    expect(Buffer.from(aliased, 'base64url').equals(Buffer.from(secretA, 'base64url'))).toBe(true);
    expectCorrupt(active(aliased));
  });

  it('refuses an active key without a secret and a retired key that keeps one', () => {
    expectCorrupt(withKeys([{ kid: '1a2b3c4d', created_at: '2024-03-01T00:00:00Z' }]));
    expectCorrupt(
      withKeys([
        {
          kid: '0a1b2c3d',
          secret: secretA,
          created_at: '2024-01-01T00:00:00Z',
          retired_at: '2024-02-01T00:00:00Z',
        },
        { kid: '1a2b3c4d', secret: secretB, created_at: '2024-03-01T00:00:00Z' },
      ]),
    );
  });

  it('refuses duplicate key ids, malformed key ids and bad dates', () => {
    const error = expectCorrupt(
      withKeys([
        { kid: '1a2b3c4d', secret: secretA, created_at: '2024-03-01T00:00:00Z' },
        { kid: '1a2b3c4d', secret: secretB, created_at: '2024-04-01T00:00:00Z' },
      ]),
    );
    expect(JSON.stringify(error.details)).toContain('duplicate key id');
    expectCorrupt(withKeys([{ kid: '1A2B3C4D', secret: secretA, created_at: '2024-03-01T00:00:00Z' }]));
    expectCorrupt(withKeys([{ kid: '1a2b3c', secret: secretA, created_at: '2024-03-01T00:00:00Z' }]));
    expectCorrupt(withKeys([{ kid: '1a2b3c4d', secret: secretA, created_at: 'yesterday' }]));
  });

  it('refuses a ring with no key or no active key', () => {
    expectCorrupt(withKeys([]));
    const error = expectCorrupt(
      withKeys([{ kid: '0a1b2c3d', created_at: '2024-01-01T00:00:00Z', retired_at: '2024-02-01T00:00:00Z' }]),
    );
    expect(JSON.stringify(error.details)).toContain('no active key');
  });

  it('refuses unknown fields, so a misspelt retired_at cannot leave a key active', () => {
    expectCorrupt(
      withKeys([
        {
          kid: '0a1b2c3d',
          secret: secretA,
          created_at: '2024-01-01T00:00:00Z',
          retiredAt: '2024-02-01T00:00:00Z',
        },
        { kid: '1a2b3c4d', secret: secretB, created_at: '2024-03-01T00:00:00Z' },
      ]),
    );
    expectCorrupt(encode({ ...validDocument(), extra: true }));
  });
});
