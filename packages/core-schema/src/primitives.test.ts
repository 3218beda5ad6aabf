import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  safeKeySchema,
  sessionIdSchema,
  shortStringSchema,
  timestampSchema,
  uuidV4Pattern,
} from './primitives.js';

describe('sessionIdSchema', () => {
  it('accepts canonical lowercase UUID v4 of every variant', () => {
    for (const variant of ['8', '9', 'a', 'b']) {
      expect(sessionIdSchema.safeParse(`6f1c2a4e-8b3d-4c5e-${variant}f60-7a8b9c0d1e2f`).success).toBe(true);
    }
    fc.assert(
      fc.property(fc.uuid({ version: 4 }), (id) => {
        expect(sessionIdSchema.safeParse(id).success).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it.each([
    ['upper case', '6F1C2A4E-8B3D-4C5E-9F60-7A8B9C0D1E2F'],
    ['version 1', '6f1c2a4e-8b3d-1c5e-9f60-7a8b9c0d1e2f'],
    ['version 7', '0190a6f3-8b3d-7c5e-9f60-7a8b9c0d1e2f'],
    ['nil uuid', '00000000-0000-0000-0000-000000000000'],
    ['braces', '{6f1c2a4e-8b3d-4c5e-9f60-7a8b9c0d1e2f}'],
    ['urn prefix', 'urn:uuid:6f1c2a4e-8b3d-4c5e-9f60-7a8b9c0d1e2f'],
    ['trailing newline', '6f1c2a4e-8b3d-4c5e-9f60-7a8b9c0d1e2f\n'],
    ['trailing .json', '6f1c2a4e-8b3d-4c5e-9f60-7a8b9c0d1e2f.json'],
    ['a traversal', '../../etc/passwd'],
    ['empty', ''],
  ])('refuses %s', (_label, id) => {
    expect(sessionIdSchema.safeParse(id).success).toBe(false);
    expect(uuidV4Pattern.test(id)).toBe(false);
  });
});

describe('timestampSchema', () => {
  it.each(['2025-01-01T00:00:00Z', '2025-01-01T00:00:00.000Z', '2024-02-29T23:59:59.999Z'])(
    'accepts %s',
    (text) => {
      expect(timestampSchema.safeParse(text).success).toBe(true);
    },
  );

  it.each([
    '2025-01-01T00:00:00+00:00',
    '2025-01-01T02:00:00+02:00',
    '2025-01-01T00:00:00',
    '2025-01-01',
    '2025-01-01 00:00:00Z',
    '1735689600000',
    'Wed, 01 Jan 2025 00:00:00 GMT',
  ])('refuses %s', (text) => {
    expect(timestampSchema.safeParse(text).success).toBe(false);
  });
});

describe('safeKeySchema', () => {
  it('refuses keys that could reach a prototype', () => {
    for (const key of ['__proto__', 'constructor', 'prototype', '']) {
      expect(safeKeySchema.safeParse(key).success).toBe(false);
    }
    expect(safeKeySchema.safeParse('input_tokens').success).toBe(true);
  });
});

describe('shortStringSchema', () => {
  it('is 1 to 256 characters', () => {
    expect(shortStringSchema.safeParse('').success).toBe(false);
    expect(shortStringSchema.safeParse('x'.repeat(256)).success).toBe(true);
    expect(shortStringSchema.safeParse('x'.repeat(257)).success).toBe(false);
  });
});
