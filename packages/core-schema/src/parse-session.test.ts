import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fullSession, sessionArbitrary } from '../test/session-arbitrary.js';
import { JidoError } from './errors.js';
import { limits } from './limits.js';
import { parseSession, parseSessionDocument, parseSessionJson, schemaError } from './parse-session.js';
import { err, ok, unwrap } from './result.js';

describe('parse → serialize → parse', () => {
  it('is the identity on generated valid sessions', () => {
    fc.assert(
      fc.property(sessionArbitrary, (session) => {
        const first = unwrap(parseSession(session));
        expect(first).toEqual(session);
        const text = JSON.stringify(first);
        const second = unwrap(parseSessionJson(text));
        expect(second.session).toEqual(first);
        expect(second.fromVersion).toBe(1);
        expect(second.unknownKeys).toEqual([]);
        expect(JSON.stringify(second.session)).toBe(text);
      }),
      { numRuns: 150 },
    );
  });

  it('is the identity on the full session, pretty-printed or not', () => {
    const session = fullSession();
    for (const text of [JSON.stringify(session), JSON.stringify(session, null, 2)]) {
      expect(unwrap(parseSessionJson(text)).session).toEqual(session);
    }
  });
});

describe('parseSessionJson', () => {
  it('refuses text that is not JSON with invalid_json, keeping the cause', () => {
    const result = parseSessionJson('{"id": ');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_json');
    expect(result.error.cause).toBeInstanceOf(SyntaxError);
  });

  it('refuses a leading byte-order mark', () => {
    const result = parseSessionJson(`\uFEFF${JSON.stringify(fullSession())}`);
    expect(!result.ok && result.error.code).toBe('invalid_json');
  });

  it('refuses a JSON document that is not an object', () => {
    for (const text of ['[]', 'null', '"session"', '42']) {
      const result = parseSessionJson(text);
      expect(!result.ok && result.error.code).toBe('invalid_schema');
    }
  });

  it('refuses deep nesting with too_deep before parsing', () => {
    const deep = `{"extra": ${'['.repeat(limits.maxDepth + 1)}${']'.repeat(limits.maxDepth + 1)}}`;
    const result = parseSessionJson(deep);
    expect(!result.ok && result.error.code).toBe('too_deep');
  });

  it('reports unknown top-level keys and drops them', () => {
    const text = JSON.stringify({ ...fullSession(), starred: true, tags: ['a'] });
    const parsed = unwrap(parseSessionJson(text));
    expect(parsed.unknownKeys).toEqual(['starred', 'tags']);
    expect(Object.keys(parsed.session)).not.toContain('starred');
  });
});

describe('parseSessionDocument', () => {
  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const result = parseSessionDocument(value);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error).toBeInstanceOf(JidoError);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on a valid session with one field replaced by anything', () => {
    const keys = Object.keys(fullSession());
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.anything(), (key, value) => {
        const result = parseSessionDocument({ ...fullSession(), [key]: value });
        if (!result.ok) expect(result.error).toBeInstanceOf(JidoError);
      }),
      { numRuns: 200 },
    );
  });
});

describe('schemaError', () => {
  it('names the first bad field and keeps at most ten issues', () => {
    const schema = z.object({ items: z.array(z.number()) });
    const failure = schema.safeParse({ items: Array.from({ length: 20 }, () => 'x') });
    expect(failure.success).toBe(false);
    if (failure.success) return;
    const error = schemaError(failure.error, 'index');
    expect(error.code).toBe('invalid_schema');
    expect(error.message).toBe('The index has an invalid field "items.0".');
    expect(error.details.path).toBe('items.0');
    expect(error.details.issues).toHaveLength(10);
  });

  it('has a generic message when the root itself is wrong', () => {
    const failure = z.object({}).safeParse('text');
    if (failure.success) throw new Error('expected a failure');
    const error = schemaError(failure.error);
    expect(error.message).toBe('The session is not valid.');
    expect(error.details.path).toBe('');
  });
});

describe('unwrap', () => {
  it('returns the value of a success and throws the error of a failure', () => {
    expect(unwrap(ok(3))).toBe(3);
    const error = new JidoError('not_found', 'No such session.');
    expect(() => unwrap(err(error))).toThrow(error);
  });
});

describe('a null signature', () => {
  it('reads as no signature (JidoCode writes unsigned files that way); other nulls are refused', () => {
    const { signature: _signature, ...unsigned } = fullSession();
    const parsed = parseSessionDocument({ ...unsigned, signature: null });
    expect(parsed.ok && Object.hasOwn(parsed.value.session, 'signature')).toBe(false);
    expect(parsed.ok && parsed.value.unknownKeys).toEqual([]);
    expect(parseSessionDocument({ ...unsigned, name: null }).ok).toBe(false);
  });
});
