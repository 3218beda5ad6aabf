import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullSession, sessionArbitrary } from '../test/session-arbitrary.js';
import { canonicalJson } from './canonical-json.js';
import { unwrap } from './result.js';
import { signingPayload, withoutSignature } from './signing-payload.js';

describe('withoutSignature', () => {
  it('drops only the signature, without touching the session', () => {
    const session = fullSession();
    const unsigned = withoutSignature(session);
    expect(Object.hasOwn(unsigned, 'signature')).toBe(false);
    expect({ ...unsigned, signature: session.signature }).toEqual(session);
    expect(session.signature).toBe('v1:key-1:0123456789abcdef');
  });
});

describe('signingPayload', () => {
  it('is the canonical JSON of every field but the signature', () => {
    const session = fullSession();
    const payload = unwrap(signingPayload(session));
    expect(payload).not.toContain('signature');
    expect(payload).toBe(unwrap(canonicalJson(withoutSignature(session))));
    expect(JSON.parse(payload)).toEqual(withoutSignature(session));
  });

  it('is the same signed or unsigned, and whatever the key order', () => {
    fc.assert(
      fc.property(sessionArbitrary, (session) => {
        const reversed = Object.fromEntries(Object.entries(session).reverse());
        const payload = unwrap(signingPayload(session));
        expect(unwrap(signingPayload(withoutSignature(session)))).toBe(payload);
        expect(unwrap(signingPayload(reversed as typeof session))).toBe(payload);
      }),
      { numRuns: 100 },
    );
  });

  it('changes when any content changes', () => {
    const session = fullSession();
    const before = unwrap(signingPayload(session));
    const edited = { ...session, todos: [...session.todos.slice(0, 2)] };
    expect(unwrap(signingPayload(edited))).not.toBe(before);
  });
});
