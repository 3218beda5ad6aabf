import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptKeyringDocument, checkKeyringDocument } from './keyring-document.js';
import { keyringDocumentSchema, parseKeyringDocument } from './keyring-document-schema.js';

// `acceptKeyringDocument` checks the keyring without zod; the schema is the reference.

const secret = () => randomBytes(32).toString('base64url');
const activeKey = (kid: string) => ({ kid, secret: secret(), created_at: '2025-01-01T00:00:00.000Z' });
const retiredKey = (kid: string) => ({
  kid,
  created_at: '2024-01-01T00:00:00Z',
  retired_at: '2025-01-01T00:00:00Z',
});

const keyEdits: readonly ((key: Record<string, unknown>) => void)[] = [
  (key) => delete key.secret,
  (key) => {
    key.secret = `${String(key.secret)}A`;
  },
  (key) => {
    key.secret = 'short';
  },
  (key) => {
    key.retired_at = '2025-06-01T00:00:00Z';
  },
  (key) => {
    key.retired_at = 'yesterday';
  },
  (key) => {
    key.created_at = '2025-02-30T00:00:00Z';
  },
  (key) => {
    key.created_at = '2025-01-01T00:00:00+00:00';
  },
  (key) => {
    key.kid = 'ABCDEF01';
  },
  (key) => {
    key.kid = 'abcdef0';
  },
  (key) => {
    key.extra = 1;
  },
];

const documentEdits: readonly ((document: Record<string, unknown>) => void)[] = [
  (document) => {
    document.format = 'other';
  },
  (document) => {
    document.extra = true;
  },
  (document) => {
    document.keys = [];
  },
  (document) => {
    const keys = document.keys as unknown[];
    keys.push(structuredClone(keys[0]));
  },
  (document) => {
    document.keys = (document.keys as Record<string, unknown>[]).map((key) => retiredKey(String(key.kid)));
  },
  (document) => {
    document.keys = 'keys';
  },
];

const documentArbitrary = fc
  .tuple(
    fc.uniqueArray(fc.stringMatching(/^[0-9a-f]{8}$/), { minLength: 1, maxLength: 4 }),
    fc.array(fc.tuple(fc.nat(), fc.nat(keyEdits.length - 1)), { maxLength: 2 }),
    fc.array(fc.nat(documentEdits.length - 1), { maxLength: 1 }),
  )
  .map(([kids, edits, documentEditIndexes]) => {
    const keys: Record<string, unknown>[] = kids.map((kid, index) =>
      index === kids.length - 1 ? activeKey(kid) : retiredKey(kid),
    );
    for (const [at, edit] of edits) keyEdits[edit]?.(keys[at % keys.length] as Record<string, unknown>);
    const document: Record<string, unknown> = { format: 'jido-keyring', version: 1, keys };
    for (const edit of documentEditIndexes) documentEdits[edit]?.(document);
    return document;
  });

describe('acceptKeyringDocument', () => {
  it('accepts only what keyringDocumentSchema accepts, returning what it returns', () => {
    const stats = { accepted: 0, invalid: 0 };
    fc.assert(
      fc.property(documentArbitrary, (document) => {
        const reference = keyringDocumentSchema.safeParse(structuredClone(document));
        const accepted = acceptKeyringDocument(document);
        expect(accepted !== undefined).toBe(reference.success);
        if (!reference.success) {
          stats.invalid++;
          return;
        }
        stats.accepted++;
        expect(accepted).toStrictEqual(reference.data);
      }),
      { numRuns: 1_500 },
    );
    expect(stats.accepted).toBeGreaterThan(200);
    expect(stats.invalid).toBeGreaterThan(200);
  });
});

describe('checkKeyringDocument', () => {
  it('answers as parseKeyringDocument, for valid and corrupt bytes', async () => {
    const valid = {
      format: 'jido-keyring',
      version: 1,
      keys: [retiredKey('00000001'), activeKey('00000002')],
    };
    const cases = [
      JSON.stringify(valid),
      JSON.stringify({ ...valid, keys: [retiredKey('00000001')] }),
      JSON.stringify({ ...valid, version: 2 }),
      '{not json',
    ].map((text) => new TextEncoder().encode(text));
    cases.push(new Uint8Array([0xff, 0xfe]));
    for (const bytes of cases) {
      expect(await checkKeyringDocument(bytes)).toStrictEqual(parseKeyringDocument(bytes));
    }
  });
});
