import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fullSession } from '../test/session-arbitrary.js';
import { detectVersion, type Migration, migrate, sessionMigrations } from './migrations.js';
import { parseSessionDocument, parseSessionJson } from './parse-session.js';
import { unwrap } from './result.js';
import { sessionSchema } from './session.js';

const v0Text = readFileSync(new URL('./fixtures/session-v0.json', import.meta.url), 'utf8');
const v0 = (): Record<string, unknown> => JSON.parse(v0Text);

describe('the v0 fixture', () => {
  it('really is v0: no version, no closed_at', () => {
    expect(Object.hasOwn(v0(), 'version')).toBe(false);
    expect(Object.hasOwn(v0(), 'closed_at')).toBe(false);
  });

  it('loads as a valid v1 session with closed_at = updated_at', () => {
    const parsed = unwrap(parseSessionJson(v0Text));
    expect(parsed.fromVersion).toBe(0);
    expect(parsed.unknownKeys).toEqual([]);
    expect(parsed.session.version).toBe(1);
    expect(parsed.session.closed_at).toBe('2024-03-01T10:42:17.250Z');
    expect(parsed.session.closed_at).toBe(parsed.session.updated_at);
    expect(sessionSchema.safeParse(parsed.session).success).toBe(true);
    expect(parsed.session).toEqual({ ...v0(), version: 1, closed_at: v0().updated_at });
  });

  it('keeps messages, todos and config intact', () => {
    const { session } = unwrap(parseSessionJson(v0Text));
    const original = v0();
    expect(session.conversation).toEqual(original.conversation);
    expect(session.todos).toEqual(original.todos);
    expect(session.config).toEqual(original.config);
  });

  it('does not mutate the document it migrates', () => {
    const document = v0();
    const before = structuredClone(document);
    unwrap(migrate(document, 0));
    expect(document).toEqual(before);
  });

  it('gives closed_at null when a v0 document has no usable updated_at (and the schema then refuses it)', () => {
    const { updated_at: _updated, ...document } = v0();
    const migrated = unwrap(migrate(document, 0));
    expect(migrated.closed_at).toBeNull();
    const parsed = parseSessionDocument(document);
    expect(!parsed.ok && parsed.error.details.path).toBe('updated_at');
  });
});

describe('detectVersion', () => {
  it('reads a missing version as 0 and an integer version as itself', () => {
    expect(detectVersion({})).toEqual({ ok: true, value: 0 });
    expect(detectVersion({ version: 0 })).toEqual({ ok: true, value: 0 });
    expect(detectVersion({ version: 1 })).toEqual({ ok: true, value: 1 });
    expect(detectVersion({ version: 7 })).toEqual({ ok: true, value: 7 });
  });

  it('reads only an own version, not one on the prototype', () => {
    expect(detectVersion(Object.create({ version: 5 }))).toEqual({ ok: true, value: 0 });
  });

  it.each<[string, unknown]>([
    ['a string', '1'],
    ['a fraction', 1.5],
    ['negative', -1],
    ['null', null],
    ['a boolean', true],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['beyond safe integers', 2 ** 53],
    ['an object', { major: 1 }],
  ])('refuses a version that is %s with invalid_schema at "version"', (_label, version) => {
    const result = detectVersion({ version });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_schema');
    expect(result.error.details.path).toBe('version');
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['an array', []],
    ['a string', 'session'],
    ['a number', 1],
    ['undefined', undefined],
  ])('refuses a document that is %s', (_label, document) => {
    const result = detectVersion(document);
    expect(!result.ok && result.error.code).toBe('invalid_schema');
  });
});

describe('migrate', () => {
  it('passes a current document through untouched', () => {
    const document = { ...fullSession() };
    const result = migrate(document, 1);
    expect(result.ok && result.value).toBe(document);
  });

  it('refuses a newer version (2) with unsupported_version and a user-safe message', () => {
    const result = parseSessionDocument({ ...fullSession(), version: 2 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('unsupported_version');
    expect(result.error.message).toMatch(/newer version/);
    expect(result.error.details).toEqual({ found: 2, supported: 1 });
  });

  it('gives migration_failed when a step is missing', () => {
    const result = migrate(v0(), 0, new Map());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('migration_failed');
    expect(result.error.details).toEqual({ from: 0 });
  });

  it('gives migration_failed when a step in the middle is missing', () => {
    const bump =
      (to: number): Migration =>
      (document) => ({ ...document, version: to });
    const result = migrate({}, 0, new Map([[0, bump(1)]]), 3);
    expect(!result.ok && result.error.details).toEqual({ from: 1 });
  });

  it('gives migration_failed, keeping the cause, when a step throws', () => {
    const boom = new Error('boom');
    const throwing: Migration = () => {
      throw boom;
    };
    const result = migrate({}, 0, new Map([[0, throwing]]));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('migration_failed');
    expect(result.error.cause).toBe(boom);
    expect(result.error.message).not.toContain('boom');
  });

  it('runs every step in order towards a later target', () => {
    const seen: number[] = [];
    const step =
      (from: number): Migration =>
      (document) => {
        seen.push(from);
        return { ...document, version: from + 1 };
      };
    const result = migrate({}, 0, new Map([0, 1, 2].map((from) => [from, step(from)])), 3);
    expect(result.ok && result.value).toEqual({ version: 3 });
    expect(seen).toEqual([0, 1, 2]);
  });

  it('registers a migration from every version below the current one', () => {
    expect([...sessionMigrations.keys()]).toEqual([0]);
  });
});
