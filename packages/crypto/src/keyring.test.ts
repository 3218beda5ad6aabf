import { JidoError, type Logger } from '@jido-code/core-schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Keyring } from './keyring.js';
import { serializeKeyringDocument } from './keyring-document.js';
import { parseKeyringDocument } from './keyring-document-schema.js';
import { memoryKeyringPersistence } from './memory-persistence.js';
import type { KeyringPersistence } from './persistence.js';

const payload = '{"id":"6f1c2b8e-3a4d-4e5f-8a9b-0c1d2e3f4a5b","messages":[]}';

function documentOf(bytes: Uint8Array | undefined) {
  if (bytes === undefined) throw new Error('no keyring saved');
  const parsed = parseKeyringDocument(bytes);
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}

function secretsOf(bytes: Uint8Array | undefined): string[] {
  return documentOf(bytes).keys.flatMap((key) => (key.secret === undefined ? [] : [key.secret]));
}

async function rejection(promise: Promise<unknown>): Promise<JidoError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(JidoError);
    return error as JidoError;
  }
  throw new Error('expected a rejection');
}

describe('Keyring.open', () => {
  it('creates a keyring with one random signing key on first use', async () => {
    const persistence = memoryKeyringPersistence();
    const keyring = await Keyring.open(persistence, { now: () => new Date('2024-05-01T12:00:00Z') });
    expect(persistence.saves).toBe(1);
    const document = documentOf(persistence.bytes());
    expect(document.keys).toHaveLength(1);
    expect(keyring.signingKeyId).toMatch(/^[0-9a-f]{8}$/);
    expect(keyring.keys()).toEqual([
      { keyId: keyring.signingKeyId, createdAt: '2024-05-01T12:00:00.000Z', signing: true },
    ]);
    expect(Buffer.from(secretsOf(persistence.bytes())[0] ?? '', 'base64url')).toHaveLength(32);
  });

  it('gives two keyrings different keys and ids', async () => {
    const first = await Keyring.open(memoryKeyringPersistence());
    const second = await Keyring.open(memoryKeyringPersistence());
    expect(first.signingKeyId).not.toBe(second.signingKeyId);
  });

  it('ends racing first uses with one keyring and one key', async () => {
    const persistence = memoryKeyringPersistence();
    const keyrings = await Promise.all(Array.from({ length: 8 }, () => Keyring.open(persistence)));
    const keyIds = new Set(keyrings.map((keyring) => keyring.signingKeyId));
    expect(keyIds.size).toBe(1);
    expect(persistence.saves).toBe(1);
    expect(documentOf(persistence.bytes()).keys).toHaveLength(1);
    const signature = keyrings[0]?.sign(payload);
    for (const keyring of keyrings) expect(keyring.verify(payload, signature).status).toBe('valid');
  });

  it('refuses a corrupt keyring with a typed error and never replaces it', async () => {
    const garbage = new TextEncoder().encode('{"format":"jido-keyring","version":1,"keys":[{"kid":"zz"}]}');
    const persistence = memoryKeyringPersistence(garbage);
    const error = await rejection(Keyring.open(persistence));
    expect(error.code).toBe('keyring_corrupt');
    expect(persistence.saves).toBe(0);
    expect(persistence.bytes()).toEqual(garbage);

    const notJson = memoryKeyringPersistence(new TextEncoder().encode('not json'));
    expect((await rejection(Keyring.open(notJson))).code).toBe('keyring_corrupt');
    expect(notJson.saves).toBe(0);
  });

  it('refuses a keyring that another process corrupted between the first read and the lock', async () => {
    const inner = memoryKeyringPersistence();
    let firstLoad = true;
    const persistence: KeyringPersistence = {
      load: async () => {
        if (firstLoad) {
          firstLoad = false;
          return undefined;
        }
        return new TextEncoder().encode('{}');
      },
      save: (bytes) => inner.save(bytes),
      withLock: (fn) => inner.withLock(fn),
    };
    expect((await rejection(Keyring.open(persistence))).code).toBe('keyring_corrupt');
    expect(inner.saves).toBe(0);
  });

  it('loads the keyring once: signing and verifying never read it again', async () => {
    const setup = memoryKeyringPersistence();
    await Keyring.open(setup);
    const persistence = memoryKeyringPersistence(setup.bytes());
    const keyring = await Keyring.open(persistence);
    expect(persistence.loads).toBe(1);
    for (let index = 0; index < 500; index += 1) {
      const signature = keyring.sign(`${payload}${index}`);
      expect(keyring.verify(`${payload}${index}`, signature).status).toBe('valid');
    }
    keyring.keys();
    void keyring.signingKeyId;
    expect(persistence.loads).toBe(1);
    expect(persistence.saves).toBe(0);
  });

  it('reads twice on first use (once before and once under the lock), then never again', async () => {
    const persistence = memoryKeyringPersistence();
    const keyring = await Keyring.open(persistence);
    expect(persistence.loads).toBe(2);
    keyring.verify(payload, keyring.sign(payload));
    expect(persistence.loads).toBe(2);
  });
});

describe('sign and verify', () => {
  it('refuses to sign what is not a string or bytes with a JidoError, not a TypeError', async () => {
    const keyring = await Keyring.open(memoryKeyringPersistence());
    const notPayload = { ok: true, value: payload } as unknown as string;
    expect(() => keyring.sign(notPayload)).toThrow(JidoError);
    expect(() => keyring.sign(notPayload)).toThrow(expect.objectContaining({ code: 'invalid_value' }));
  });

  it('round-trips strings and bytes, with the key id in the signature', async () => {
    const keyring = await Keyring.open(memoryKeyringPersistence());
    const signature = keyring.sign(payload);
    expect(signature).toMatch(new RegExp(`^v1:${keyring.signingKeyId}:[A-Za-z0-9_-]{43}$`));
    expect(keyring.verify(payload, signature)).toEqual({ status: 'valid', keyId: keyring.signingKeyId });
    const bytes = new TextEncoder().encode(payload);
    expect(keyring.sign(bytes)).toBe(signature);
    expect(keyring.verify(bytes, signature).status).toBe('valid');
    expect(keyring.verify(new Uint8Array(), keyring.sign(new Uint8Array())).status).toBe('valid');
  });

  it('signs and verifies parts as their concatenation, wherever the payload is cut', async () => {
    const keyring = await Keyring.open(memoryKeyringPersistence());
    const bytes = new TextEncoder().encode(payload);
    const signature = keyring.sign(bytes);
    for (let first = 0; first <= bytes.length; first += 7) {
      for (let second = first; second <= bytes.length; second += 11) {
        const parts = [bytes.subarray(0, first), bytes.subarray(first, second), bytes.subarray(second)];
        expect(keyring.sign(parts)).toBe(signature);
        expect(keyring.verify(parts, signature).status).toBe('valid');
      }
    }
    expect(keyring.sign([])).toBe(keyring.sign(new Uint8Array()));
    const changed = [bytes.subarray(0, 5), new TextEncoder().encode('x'), bytes.subarray(6)];
    expect(keyring.verify(changed, signature).status).toBe('bad_signature');
    expect(() => keyring.sign([bytes, 'text'] as unknown as Uint8Array[])).toThrow(
      expect.objectContaining({ code: 'invalid_value' }),
    );
  });

  it('tells unsigned from malformed', async () => {
    const keyring = await Keyring.open(memoryKeyringPersistence());
    expect(keyring.verify(payload, undefined)).toEqual({ status: 'unsigned' });
    expect(keyring.verify(payload, null)).toEqual({ status: 'unsigned' });
    expect(keyring.verify(payload, '')).toEqual({ status: 'malformed' });
    expect(keyring.verify(payload, 'v1:abc')).toEqual({ status: 'malformed' });
    expect(keyring.verify(payload, 42 as unknown as string)).toEqual({ status: 'malformed' });
    expect(keyring.verify(payload, `${keyring.sign(payload)} `)).toEqual({ status: 'malformed' });
  });

  it('refuses a file signed on another machine as an unknown key', async () => {
    const here = await Keyring.open(memoryKeyringPersistence());
    const elsewhere = await Keyring.open(memoryKeyringPersistence());
    expect(here.verify(payload, elsewhere.sign(payload))).toEqual({
      status: 'unknown_key',
      keyId: elsewhere.signingKeyId,
    });
  });

  it('refuses every single-byte change of the payload (property)', async () => {
    const keyring = await Keyring.open(memoryKeyringPersistence());
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 512 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (bytes, position, delta) => {
          const signature = keyring.sign(bytes);
          expect(keyring.verify(bytes, signature).status).toBe('valid');
          const index = position % bytes.length;
          const changed = Uint8Array.from(bytes);
          changed[index] = (changed[index] ?? 0) ^ delta;
          expect(keyring.verify(changed, signature)).toEqual({
            status: 'bad_signature',
            keyId: keyring.signingKeyId,
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses every single-character change of the signature (property)', async () => {
    const keyring = await Keyring.open(memoryKeyringPersistence());
    fc.assert(
      fc.property(
        fc.string({ maxLength: 256 }),
        fc.nat(),
        fc.integer({ min: 1, max: 0xffff }),
        (text, position, delta) => {
          const signature = keyring.sign(text);
          const index = position % signature.length;
          const replaced = String.fromCharCode((signature.charCodeAt(index) + delta) % 0x10000);
          const changed = `${signature.slice(0, index)}${replaced}${signature.slice(index + 1)}`;
          expect(keyring.verify(text, changed).status).not.toBe('valid');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses every single-byte change of a payload and of its signature (exhaustive)', async () => {
    const keyring = await Keyring.open(memoryKeyringPersistence());
    const bytes = new TextEncoder().encode('{"a":[1,2,3],"b":"x"}');
    const signature = keyring.sign(bytes);
    for (let index = 0; index < bytes.length; index += 1) {
      for (let value = 0; value < 256; value += 1) {
        if (value === bytes[index]) continue;
        const changed = Uint8Array.from(bytes);
        changed[index] = value;
        expect(keyring.verify(changed, signature).status).toBe('bad_signature');
      }
    }
    const signatureBytes = Buffer.from(signature, 'latin1');
    const statuses = new Set<string>();
    for (let index = 0; index < signatureBytes.length; index += 1) {
      for (let value = 0; value < 256; value += 1) {
        if (value === signatureBytes[index]) continue;
        const changed = Buffer.from(signatureBytes);
        changed[index] = value;
        const status = keyring.verify(bytes, changed.toString('latin1')).status;
        expect(status).not.toBe('valid');
        statuses.add(status);
      }
    }
    expect([...statuses].sort()).toEqual(['bad_signature', 'malformed', 'unknown_key']);
  });
});

describe('rotation and retirement', () => {
  it('rotates: old signatures still verify, new ones carry the new key id', async () => {
    const persistence = memoryKeyringPersistence();
    const keyring = await Keyring.open(persistence, { now: () => new Date('2024-01-01T00:00:00Z') });
    const oldKeyId = keyring.signingKeyId;
    const oldSignature = keyring.sign(payload);

    const info = await keyring.rotate();
    expect(info.signing).toBe(true);
    expect(info.keyId).not.toBe(oldKeyId);
    expect(info.retiredAt).toBeUndefined();
    expect(keyring.signingKeyId).toBe(info.keyId);

    const newSignature = keyring.sign(payload);
    expect(newSignature.startsWith(`v1:${info.keyId}:`)).toBe(true);
    expect(keyring.verify(payload, oldSignature)).toEqual({ status: 'valid', keyId: oldKeyId });
    expect(keyring.verify(payload, newSignature)).toEqual({ status: 'valid', keyId: info.keyId });
    expect(keyring.keys().map((key) => [key.keyId, key.signing])).toEqual([
      [oldKeyId, false],
      [info.keyId, true],
    ]);

    const reopened = await Keyring.open(memoryKeyringPersistence(persistence.bytes()));
    expect(reopened.signingKeyId).toBe(info.keyId);
    expect(reopened.verify(payload, oldSignature).status).toBe('valid');
  });

  it('sees another process rotate only after reload', async () => {
    const persistence = memoryKeyringPersistence();
    const first = await Keyring.open(persistence);
    const second = await Keyring.open(persistence);
    const info = await first.rotate();
    const signature = first.sign(payload);
    expect(second.verify(payload, signature)).toEqual({ status: 'unknown_key', keyId: info.keyId });
    await second.reload();
    expect(second.verify(payload, signature).status).toBe('valid');
    expect(second.signingKeyId).toBe(info.keyId);
  });

  it('keeps both keys when two processes rotate at once', async () => {
    const persistence = memoryKeyringPersistence();
    const first = await Keyring.open(persistence);
    const second = await Keyring.open(persistence);
    const [a, b] = await Promise.all([first.rotate(), second.rotate()]);
    const keyIds = documentOf(persistence.bytes()).keys.map((key) => key.kid);
    expect(keyIds).toHaveLength(3);
    expect(keyIds).toContain(a.keyId);
    expect(keyIds).toContain(b.keyId);
    expect(new Set(keyIds).size).toBe(3);
  });

  it('retires a key: its secret is dropped and its files fail as unknown key', async () => {
    const persistence = memoryKeyringPersistence();
    const keyring = await Keyring.open(persistence, { now: () => new Date('2024-02-01T00:00:00Z') });
    const oldKeyId = keyring.signingKeyId;
    const oldSecret = secretsOf(persistence.bytes())[0] ?? '';
    const oldSignature = keyring.sign(payload);
    await keyring.rotate();

    await keyring.retire(oldKeyId);
    expect(keyring.verify(payload, oldSignature)).toEqual({ status: 'unknown_key', keyId: oldKeyId });
    expect(new TextDecoder().decode(persistence.bytes())).not.toContain(oldSecret);
    expect(keyring.keys()[0]).toEqual({
      keyId: oldKeyId,
      createdAt: '2024-02-01T00:00:00.000Z',
      retiredAt: '2024-02-01T00:00:00.000Z',
      signing: false,
    });

    const reopened = await Keyring.open(memoryKeyringPersistence(persistence.bytes()));
    expect(reopened.verify(payload, oldSignature).status).toBe('unknown_key');

    // Retiring again changes nothing; a retired id is never handed out again.
    const saves = persistence.saves;
    await keyring.retire(oldKeyId);
    expect(persistence.saves).toBe(saves);
  });

  it('makes a key removed from the document fail as unknown key after reload', async () => {
    const persistence = memoryKeyringPersistence();
    const keyring = await Keyring.open(persistence);
    const oldKeyId = keyring.signingKeyId;
    const oldSignature = keyring.sign(payload);
    await keyring.rotate();
    const document = documentOf(persistence.bytes());
    await persistence.save(
      serializeKeyringDocument({ ...document, keys: document.keys.filter((key) => key.kid !== oldKeyId) }),
    );
    await keyring.reload();
    expect(keyring.verify(payload, oldSignature)).toEqual({ status: 'unknown_key', keyId: oldKeyId });
  });

  it('hands signing to the newest remaining active key when the signing key is retired', async () => {
    const keyring = await Keyring.open(memoryKeyringPersistence());
    const first = keyring.signingKeyId;
    const second = (await keyring.rotate()).keyId;
    await keyring.retire(second);
    expect(keyring.signingKeyId).toBe(first);
    expect(keyring.sign(payload).startsWith(`v1:${first}:`)).toBe(true);
  });

  it('refuses retiring the only active key, and an id it does not hold', async () => {
    const persistence = memoryKeyringPersistence();
    const keyring = await Keyring.open(persistence);
    const only = await rejection(keyring.retire(keyring.signingKeyId));
    expect(only.code).toBe('invalid_value');
    expect(only.message).not.toContain(keyring.signingKeyId);
    expect(keyring.verify(payload, keyring.sign(payload)).status).toBe('valid');

    const unknown = await rejection(keyring.retire('ffffffff'));
    expect(unknown.code).toBe('unknown_key');
    expect(unknown.details).toEqual({ keyId: 'ffffffff' });
    expect(persistence.saves).toBe(1);
  });

  it('keeps the current keys when a reload finds a corrupt or missing document', async () => {
    const persistence = memoryKeyringPersistence();
    const keyring = await Keyring.open(persistence);
    const signature = keyring.sign(payload);
    await persistence.save(new TextEncoder().encode('{"format":"jido-keyring","version":7}'));
    expect((await rejection(keyring.reload())).code).toBe('keyring_corrupt');
    expect((await rejection(keyring.rotate())).code).toBe('keyring_corrupt');
    expect(keyring.verify(payload, signature).status).toBe('valid');
  });

  it('treats a keyring that disappeared after open as corrupt rather than starting afresh', async () => {
    const inner = memoryKeyringPersistence();
    let present = true;
    const persistence: KeyringPersistence = {
      load: async () => (present ? inner.load() : undefined),
      save: (bytes) => inner.save(bytes),
      withLock: (fn) => inner.withLock(fn),
    };
    const keyring = await Keyring.open(persistence);
    const signature = keyring.sign(payload);
    present = false;
    expect((await rejection(keyring.reload())).code).toBe('keyring_corrupt');
    expect((await rejection(keyring.rotate())).code).toBe('keyring_corrupt');
    expect(inner.saves).toBe(1);
    expect(keyring.verify(payload, signature).status).toBe('valid');
  });
});

describe('secrecy', () => {
  it('never exposes a secret through keys(), signatures or the logger', async () => {
    const messages: string[] = [];
    const logger: Logger = {
      debug: (message, details) => messages.push(message, JSON.stringify(details ?? {})),
      warn: (message, details) => messages.push(message, JSON.stringify(details ?? {})),
    };
    const persistence = memoryKeyringPersistence();
    const keyring = await Keyring.open(persistence, { logger });
    await keyring.rotate();
    const secrets = secretsOf(persistence.bytes());
    await keyring.retire(keyring.keys()[0]?.keyId ?? '');
    const visible = [JSON.stringify(keyring.keys()), keyring.sign(payload), ...messages].join('\n');
    expect(messages.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(visible).not.toContain(secret);
  });
});
