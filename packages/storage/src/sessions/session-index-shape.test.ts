import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { indexEntriesOf } from './session-index-shape.js';
import { sessionMetadataSchema } from './session-metadata-schema.js';

// The oracle: the zod schema the index was checked with before the hand-written check replaced it.
const oracle = z.object({
  format: z.literal('jido-session-index'),
  version: z.literal(1),
  entries: z.record(
    z.string(),
    z.object({ size: z.number(), mtimeMs: z.number(), ino: z.number(), metadata: sessionMetadataSchema }),
  ),
});

const metadata = {
  id: '0d9c6b1e-3f4a-4b8c-9d2e-1f0a2b3c4d5e',
  name: 'Two',
  project_path: '/work/project',
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-02T00:00:00.000Z',
  closed_at: null,
  last_resumed_at: '2026-01-02T00:00:00.000Z',
  recovered_at: null,
  message_count: 20,
  todo_count: 2,
  signed: true,
  signed_by: 'keyring',
  size_bytes: 13_875,
  imported_at: null,
  parent_id: null,
  pinned: false,
  cumulative_usage: { input_tokens: 10, output_tokens: 5, total_cost: 0.25 },
};

function documentWith(entries: Record<string, unknown>): Record<string, unknown> {
  return { format: 'jido-session-index', version: 1, entries };
}

const entry = { size: 13_875, mtimeMs: 1_764_547_200_000.25, ino: 42, metadata };

/** Values of every JSON kind, odd ones included, to put where a field was. */
const jsonValue = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53, '', 'keyring', 'jidocode', 'x', [], {}),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A path into the document (top level, an entry, its metadata, the usage record) and a key there. */
const place = fc.constantFrom('document', 'entry', 'metadata', 'usage');
const fieldName = fc.oneof(
  fc.constantFrom(
    'format',
    'version',
    'entries',
    'size',
    'mtimeMs',
    'ino',
    'metadata',
    ...Object.keys(metadata),
    'input_tokens',
    '__proto__',
    'constructor',
  ),
  fc.string({ maxLength: 8 }),
);

type Edit = { readonly at: string; readonly key: string; readonly value: unknown; readonly remove: boolean };

function edited(edits: readonly Edit[]): unknown {
  const document = JSON.parse(JSON.stringify(documentWith({ 'a.json': entry, 'b.json': entry })));
  const targets: Record<string, Record<string, unknown>> = {
    document,
    entry: document.entries['a.json'],
    metadata: document.entries['a.json'].metadata,
    usage: document.entries['a.json'].metadata.cumulative_usage,
  };
  for (const edit of edits) {
    const target = targets[edit.at];
    if (target === undefined || typeof target !== 'object' || target === null) continue;
    if (edit.remove) delete target[edit.key];
    else
      Object.defineProperty(target, edit.key, {
        value: edit.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  // Through text and back, as the index is read: JSON.parse makes `__proto__` an own key.
  return JSON.parse(JSON.stringify(document));
}

/** A `__proto__` key in the usage record: zod skipped it; the hand check refuses the index. */
function hasProtoKey(document: unknown): boolean {
  const usage = (document as { entries?: { 'a.json'?: { metadata?: { cumulative_usage?: unknown } } } })
    .entries?.['a.json']?.metadata?.cumulative_usage;
  return typeof usage === 'object' && usage !== null && Object.hasOwn(usage, '__proto__');
}

describe('indexEntriesOf', () => {
  it('accepts a well-formed index and returns its entries unchanged', () => {
    const entries = indexEntriesOf(documentWith({ 'a.json': entry }));
    expect(entries && [...entries]).toEqual([['a.json', entry]]);
  });

  it('accepts and rejects exactly what the zod schema did, with the same entries', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: place, key: fieldName, value: jsonValue, remove: fc.boolean() }), {
          minLength: 1,
          maxLength: 4,
        }),
        (edits) => {
          const document = edited(edits);
          const expected = oracle.safeParse(document);
          const actual = indexEntriesOf(document);
          if (!expected.success || hasProtoKey(document)) {
            expect(actual).toBeUndefined();
            return;
          }
          expect(actual && Object.fromEntries(actual)).toEqual(expected.data.entries);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rejects documents that are not an index at all', () => {
    for (const document of [
      null,
      [],
      'index',
      1,
      documentWith([] as never),
      { ...documentWith({}), version: 2 },
    ]) {
      expect(indexEntriesOf(document)).toBeUndefined();
    }
    expect(indexEntriesOf(documentWith({ 'a.json': { ...entry, metadata: [] } }))).toBeUndefined();
    expect(
      indexEntriesOf(
        JSON.parse(
          `{"format":"jido-session-index","version":1,"entries":{"__proto__":${JSON.stringify(entry)}}}`,
        ),
      ),
    ).toBeUndefined();
    expect(
      indexEntriesOf(documentWith({ 'a.json': { ...entry, metadata: { ...metadata, message_count: -1 } } })),
    ).toBeUndefined();
    expect(
      indexEntriesOf(documentWith({ 'a.json': { ...entry, metadata: { ...metadata, size_bytes: 1.5 } } })),
    ).toBeUndefined();
  });

  it('drops unknown keys, as zod did, so they are not written back', () => {
    const extra = JSON.parse(
      JSON.stringify(documentWith({ 'a.json': { ...entry, stray: 1, metadata: { ...metadata, stray: 2 } } })),
    );
    const entries = indexEntriesOf(extra);
    expect(entries?.get('a.json')).toEqual(entry);
    expect(Object.keys(entries?.get('a.json')?.metadata ?? {})).not.toContain('stray');
  });
});
