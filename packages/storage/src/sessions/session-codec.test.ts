import { canonicalJson, type Session } from '@jido-code/core-schema';
import { Keyring, memoryKeyringPersistence, type SignedPayload, type VerifyResult } from '@jido-code/crypto';
import { SessionFactory } from '@jido-code/test-support';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type DecodedSession,
  decodeSession,
  encodeSession,
  signedPayload,
  type VerifyPayload,
  verifyDecoded,
} from './session-codec.js';

const factory = new SessionFactory({ seed: 7 });
const session = factory.session({ messageCount: 6, todoCount: 2 }) as Session;
const maxBytes = 10 * 1024 * 1024;
let keyring: Keyring;
let file: Uint8Array;

beforeAll(async () => {
  keyring = await Keyring.open(memoryKeyringPersistence());
  const encoded = await encodeSession(session, (payload) => keyring.sign(payload), maxBytes);
  if (!encoded.ok) throw encoded.error;
  file = encoded.value.bytes;
});

async function decode(bytes: Uint8Array): Promise<DecodedSession> {
  const decoded = await decodeSession(bytes, session.id);
  if (!decoded.ok) throw decoded.error;
  return decoded.value;
}

/** The keyring's verify, recording which payloads it was asked about. */
function recordingVerify(): { verify: VerifyPayload; payloads: SignedPayload[] } {
  const payloads: SignedPayload[] = [];
  return {
    payloads,
    verify: (payload, signature) => {
      payloads.push(payload);
      return keyring.verify(payload, signature);
    },
  };
}

/** Verification the slow, obviously right way: over the canonical JSON of what was parsed. */
function verifyCanonically(decoded: DecodedSession): VerifyResult | string {
  const payload = signedPayload(decoded);
  return payload.ok ? keyring.verify(payload.value, decoded.signature) : payload.error.code;
}

const keyringVerify: VerifyPayload = (payload, signature) => keyring.verify(payload, signature);

function outcome(decoded: DecodedSession): VerifyResult | string {
  const result = verifyDecoded(decoded, (payload, signature) => keyring.verify(payload, signature));
  return result.ok ? result.value : result.error.code;
}

const text = () => Buffer.from(file).toString('utf8');

describe('encodeSession', () => {
  it('writes the canonical JSON of the signed session, signing the canonical JSON of the rest', async () => {
    const decoded = await decode(file);
    expect(text()).toBe((canonicalJson(decoded.session) as { value: string }).value);
    const payload = signedPayload(decoded);
    expect(payload.ok && keyring.verify(payload.value, decoded.signature).status).toBe('valid');
  });
});

describe('verifyDecoded', () => {
  it('verifies a file as written over its stored bytes, without re-serializing', async () => {
    const { verify, payloads } = recordingVerify();
    const result = verifyDecoded(await decode(file), verify);
    expect(result.ok && result.value.status).toBe('valid');
    expect(payloads).toHaveLength(1);
    const { signature: _signature, ...unsigned } = session;
    expect(Buffer.concat(payloads[0] as Uint8Array[]).toString('utf8')).toBe(
      (canonicalJson(unsigned) as { value: string }).value,
    );
  });

  it('verifies a reformatted file over the canonical JSON of its content', async () => {
    const pretty = Buffer.from(JSON.stringify(JSON.parse(text()), null, 2));
    const { verify, payloads } = recordingVerify();
    const result = verifyDecoded(await decode(pretty), verify);
    expect(result.ok && result.value.status).toBe('valid');
    expect(payloads.at(-1)).toBeTypeOf('string');
  });

  it('verifies a file whose signature member moved to the front', async () => {
    const { signature, ...rest } = JSON.parse(text()) as Record<string, unknown>;
    const moved = Buffer.from(JSON.stringify({ signature, ...rest }));
    expect((await decode(moved)).storedPayload).toBeUndefined();
    expect(outcome(await decode(moved))).toMatchObject({ status: 'valid' });
  });

  it('refuses a changed field although the signature member is intact', async () => {
    const changed = Buffer.from(text().replace(session.name, `${session.name}!`));
    expect((await decode(changed)).storedPayload).toBeDefined();
    expect(outcome(await decode(changed))).toMatchObject({ status: 'bad_signature' });
  });

  it('does not strip a second copy of the signature member, wherever it is', async () => {
    const signature = JSON.stringify(session.signature ?? (await decode(file)).signature);
    const twice = Buffer.from(
      text().replace('"version":1', `"version":1,"extra":{"a":1,"signature":${signature}}`),
    );
    const decoded = await decode(twice);
    expect(decoded.storedPayload).toBeUndefined();
    expect(outcome(decoded)).toMatchObject({ status: 'bad_signature' });
  });

  it('refuses an unsigned file with a lone surrogate escape as invalid_schema', async () => {
    const { signature: _signature, ...rest } = JSON.parse(text()) as Record<string, unknown>;
    const lone = Buffer.from(JSON.stringify(rest).replace(`"name":"${session.name}"`, '"name":"\\ud800x"'));
    expect(outcome(await decode(lone))).toBe('invalid_schema');
  });

  // The property that makes the stored-bytes way safe: whatever is done to a file, it gives the
  // same outcome as verification over the canonical JSON of the parsed document.
  it('gives the outcome of canonical verification for any edit of a signed file', async () => {
    const signature = (await decode(file)).signature as string;
    const original = text();
    const member = `,"signature":"${signature}"`;
    const edits = fc.oneof(
      // Insert a copy of the signature member, or of any text of the file, anywhere.
      fc
        .tuple(fc.nat(original.length), fc.constantFrom(member, `"signature":"${signature}",`, ' ', '\n'))
        .map(
          ([at, inserted]) =>
            (value: string) =>
              value.slice(0, at) + inserted + value.slice(at),
        ),
      // Delete a span.
      fc.tuple(fc.nat(original.length), fc.integer({ min: 1, max: 40 })).map(
        ([at, length]) =>
          (value: string) =>
            value.slice(0, at) + value.slice(at + length),
      ),
      // Replace one character.
      fc.tuple(fc.nat(original.length), fc.constantFrom('a', '0', '"', ',', '}', ' ', 'é')).map(
        ([at, character]) =>
          (value: string) =>
            value.slice(0, at) + character + value.slice(at + 1),
      ),
      // Move the signature member elsewhere.
      fc.nat(original.length).map((at) => (value: string) => {
        const without = value.replace(member, '');
        return without.slice(0, at) + member + without.slice(at);
      }),
    );
    let decodedCases = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(edits, { minLength: 1, maxLength: 3 }), async (steps) => {
        const edited = steps.reduce((value, step) => step(value), original);
        const decoded = await decodeSession(Buffer.from(edited), session.id);
        // Verified before parsing (the depth pre-scan skipped when that succeeds): the same answers.
        const early = await decodeSession(Buffer.from(edited), session.id, keyringVerify);
        expect(early.ok ? 'ok' : early.error.code).toBe(decoded.ok ? 'ok' : decoded.error.code);
        if (!decoded.ok || !early.ok) return;
        decodedCases += 1;
        expect(outcome(decoded.value)).toEqual(verifyCanonically(decoded.value));
        expect(outcome(early.value)).toEqual(verifyCanonically(decoded.value));
        expect(early.value.session).toStrictEqual(decoded.value.session);
      }),
      { numRuns: 3_000, seed: 4_242 },
    );
    expect(decodedCases).toBeGreaterThan(100);
  });

  it('verifies a file as written before parsing it, once', async () => {
    const { verify, payloads } = recordingVerify();
    const decoded = await decodeSession(file, session.id, verify);
    expect(decoded.ok && decoded.value.verified).toMatchObject({ status: 'valid' });
    expect(decoded.ok && verifyDecoded(decoded.value, verify)).toMatchObject({
      ok: true,
      value: { status: 'valid' },
    });
    expect(payloads).toHaveLength(1);
  });

  it('verifies before parsing a file as written that holds other copies of the member', async () => {
    const signatureShaped = `v1:0123abcd:${'A'.repeat(43)}`;
    const withCopy = {
      ...session,
      config: { ...session.config, extra: { a: 1, signature: signatureShaped } },
    };
    const encoded = await encodeSession(withCopy, (payload) => keyring.sign(payload), maxBytes);
    if (!encoded.ok) throw encoded.error;
    expect(Buffer.from(encoded.value.bytes).toString('utf8').split(',"signature":"')).toHaveLength(3);
    const { verify, payloads } = recordingVerify();
    const decoded = await decodeSession(encoded.value.bytes, session.id, verify);
    expect(decoded.ok && decoded.value.verified).toMatchObject({ status: 'valid' });
    expect(payloads).toHaveLength(1);
  });

  it('refuses before and after parsing a copy of the member put anywhere but the top level', async () => {
    const signature = (await decode(file)).signature as string;
    const member = `,"signature":"${signature}"`;
    const original = text();
    const nestedAfter = original.replace('"version":1', `"version":1,"zz":{"a":1${member}}`);
    const nestedBefore = original.replace('"config":{', `"config":{"extra":{"a":1${member}},`);
    // The signed bytes with the member moved into a todo: the MAC over the rest is valid.
    const movedInside = original
      .replace(member, '')
      .replace(/("status":"(?:pending|in_progress|completed)")}/, `$1${member}}`);
    expect(movedInside.length).toBe(original.length);
    const cases: [string, VerifyResult['status']][] = [
      [nestedAfter, 'bad_signature'],
      [nestedBefore, 'bad_signature'],
      [movedInside, 'unsigned'],
    ];
    for (const [edited, status] of cases) {
      const decoded = await decodeSession(Buffer.from(edited), session.id, keyringVerify);
      if (!decoded.ok) throw decoded.error;
      expect(decoded.value.verified).toBeUndefined();
      expect(outcome(decoded.value)).toMatchObject({ status });
      expect(verifyCanonically(decoded.value)).toMatchObject({ status });
    }
  });

  it('pre-scans the depth of any file whose MAC does not verify, signed or not', async () => {
    const deep = `${'['.repeat(40)}${']'.repeat(40)}`;
    const tampered = Buffer.from(text().replace('"version":1', `"version":1,"deep":${deep}`));
    const unsigned = Buffer.from(text().replace(/,"signature":"[^"]*"/, `,"deep":${deep}`));
    for (const bytes of [tampered, unsigned]) {
      const decoded = await decodeSession(bytes, session.id, keyringVerify);
      expect(decoded.ok || decoded.error.code).toBe('too_deep');
    }
  });
});

describe('decodeSession text', () => {
  it('refuses exactly the bytes a fatal UTF-8 decoder refuses, and strips a byte-order mark as it does', async () => {
    const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
    const original = Buffer.from(file);
    await fc.assert(
      fc.asyncProperty(
        fc.nat(original.length),
        fc.uint8Array({ minLength: 1, maxLength: 4 }),
        async (at, inserted) => {
          const bytes = Buffer.concat([original.subarray(0, at), inserted, original.subarray(at)]);
          let valid = true;
          try {
            strict.decode(bytes);
          } catch {
            valid = false;
          }
          const decoded = await decodeSession(bytes, session.id);
          const refusedAsText = !decoded.ok && decoded.error.message.includes('UTF-8');
          expect(refusedAsText).toBe(!valid);
        },
      ),
      { numRuns: 2_000 },
    );
    const withMark = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), original]);
    expect((await decodeSession(withMark, session.id)).ok).toBe(true);
  });

  it('reads ASCII and non-ASCII files as the fatal UTF-8 decoder does', async () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    const [first, ...rest] = session.conversation;
    if (first === undefined) throw new Error('the fixture has messages');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)) }),
          fc.string({ unit: 'binary' }),
          fc.string({ unit: 'grapheme' }),
        ),
        async (content) => {
          const edited = { ...session, conversation: [{ ...first, content }, ...rest] };
          const encoded = await encodeSession(edited, (payload) => keyring.sign(payload), maxBytes);
          if (!encoded.ok) return;
          const decoded = await decodeSession(encoded.value.bytes, session.id, keyringVerify);
          if (!decoded.ok) throw decoded.error;
          expect(decoded.value.verified?.status).toBe('valid');
          expect(decoded.value.document).toStrictEqual(JSON.parse(strict.decode(encoded.value.bytes)));
          expect(decoded.value.session.conversation[0]?.content).toBe(content);
        },
      ),
      { numRuns: 500 },
    );
  });
});
