import { canonicalJson, type Session, signingPayload } from '@jido-code/core-schema';
import { sessionSchema } from '@jido-code/core-schema/schemas';
import fc from 'fast-check';

const encoder = new TextEncoder();

/** Raw bytes: anything at all, mostly short, sometimes up to 64 KiB. */
export const rawBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 8, arbitrary: fc.uint8Array({ maxLength: 512 }) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 512, maxLength: 64 * 1024 }) },
);

/** One edit of a valid file's bytes. */
export type Mutation =
  | { kind: 'flip'; at: number; mask: number }
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate'; at: number; count: number }
  | { kind: 'splice-text'; at: number; text: string };

/** Mutations of a file of some length (positions are fractions, scaled when applied). */
export const mutations: fc.Arbitrary<{ at: number; mutation: Mutation }[]> = fc.array(
  fc.record({
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    mutation: fc.oneof(
      fc.record({
        kind: fc.constant('flip' as const),
        at: fc.constant(0),
        mask: fc.integer({ min: 1, max: 255 }),
      }),
      fc.record({
        kind: fc.constant('set' as const),
        at: fc.constant(0),
        byte: fc.integer({ min: 0, max: 255 }),
      }),
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.constant(0),
        bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
      }),
      fc.record({
        kind: fc.constant('delete' as const),
        at: fc.constant(0),
        count: fc.integer({ min: 1, max: 64 }),
      }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.constant(0) }),
      fc.record({
        kind: fc.constant('duplicate' as const),
        at: fc.constant(0),
        count: fc.integer({ min: 1, max: 128 }),
      }),
      fc.record({
        kind: fc.constant('splice-text' as const),
        at: fc.constant(0),
        text: fc.constantFrom(
          ' ',
          '\ufeff',
          '\\u0000',
          '"__proto__":{"polluted":1},',
          '"constructor":{"prototype":{"polluted":1}},',
          '"name":"evil",',
          '[[[[[[[[[[',
          '1e999',
          '-0',
          '\\ud800',
          '\u2028',
        ),
      }),
    ),
  }),
  { minLength: 1, maxLength: 4 },
);

/** Applies mutations to a copy of `bytes`. */
export function mutate(bytes: Uint8Array, edits: readonly { at: number; mutation: Mutation }[]): Uint8Array {
  let current: Uint8Array = Uint8Array.from(bytes);
  for (const { at, mutation } of edits) {
    const position = Math.min(current.length, Math.floor(at * current.length));
    const before = current.subarray(0, position);
    const after = current.subarray(position);
    switch (mutation.kind) {
      case 'flip':
        if (position < current.length) current[position] = (current[position] as number) ^ mutation.mask;
        break;
      case 'set':
        if (position < current.length) current[position] = mutation.byte;
        break;
      case 'insert':
        current = concat(before, mutation.bytes, after);
        break;
      case 'delete':
        current = concat(before, after.subarray(mutation.count));
        break;
      case 'truncate':
        current = current.slice(0, position);
        break;
      case 'duplicate':
        current = concat(before, after.subarray(0, mutation.count), after);
        break;
      case 'splice-text':
        current = concat(before, encoder.encode(mutation.text), after);
        break;
    }
  }
  return current;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Nests `inner` `depth` levels deep in arrays or objects. */
function nest(depth: number, inner: unknown, asObject: boolean): unknown {
  let value = inner;
  for (let level = 0; level < depth; level++) value = asObject ? { d: value } : [value];
  return value;
}

const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, true, 0, -1, 1.5, 1e308, -1e308, 2 ** 53, '', '1', [], {}, 'NaN'),
  fc.string({ unit: 'binary', maxLength: 64 }),
);

/** Every field of the schema but the signature: the fields a structural change hits. */
const sessionFields = Object.keys(sessionSchema.shape).filter((field) => field !== 'signature');

/** A structural change of a (valid) session document. */
export type Structural = (document: Record<string, unknown>) => Record<string, unknown>;

/** Structural changes: wrong types, versions, huge strings, deep nesting, dangerous keys, … */
export const structural: fc.Arbitrary<Structural> = fc.oneof(
  fc
    .record({ field: fc.constantFrom(...sessionFields), value: wrongValue })
    .map(({ field, value }) => (document: Record<string, unknown>) => ({ ...document, [field]: value })),
  fc.constantFrom(...sessionFields).map((field) => (document: Record<string, unknown>) => {
    const { [field]: _removed, ...rest } = document;
    return rest;
  }),
  fc
    .constantFrom<unknown>(0, 1, 2, 3, -1, '1', 1.5, 999, null, 2 ** 31, Number.MAX_SAFE_INTEGER)
    .map((version) => (document: Record<string, unknown>) => ({ ...document, version })),
  fc
    .record({
      field: fc.constantFrom('name', 'project_path', 'content', 'language', 'model'),
      size: fc.oneof(fc.integer({ min: 40, max: 4096 }), fc.integer({ min: 4096, max: 48 * 1024 })),
      char: fc.constantFrom('a', 'é', '😀', '\u0000', '"', '\\'),
    })
    .map(({ field, size, char }) => (document: Record<string, unknown>) => {
      const huge = char.repeat(Math.ceil(size / char.length));
      if (field === 'content') {
        const conversation = Array.isArray(document.conversation) ? [...document.conversation] : [];
        const first = (conversation[0] ?? {}) as Record<string, unknown>;
        conversation[0] = { ...first, content: huge };
        return { ...document, conversation };
      }
      if (field === 'model') {
        return { ...document, config: { ...(document.config as object), model: huge } };
      }
      return { ...document, [field]: huge };
    }),
  fc
    .record({
      depth: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 40, max: 3000 })),
      asObject: fc.boolean(),
      where: fc.constantFrom('config', 'conversation', 'extra', 'cumulative_usage', 'todos'),
    })
    .map(({ depth, asObject, where }) => (document: Record<string, unknown>) => ({
      ...document,
      [where]: nest(depth, 1, asObject),
    })),
  fc
    .constantFrom(
      '{"__proto__":{"polluted":"yes"}}',
      '{"constructor":{"prototype":{"polluted":"yes"}}}',
      '{"prototype":{"polluted":"yes"}}',
      '{"__proto__":[]}',
    )
    .chain((text) =>
      fc.constantFrom(
        (document: Record<string, unknown>) => ({ ...document, ...(JSON.parse(text) as object) }),
        (document: Record<string, unknown>) => ({
          ...document,
          config: { ...(document.config as object), ...(JSON.parse(text) as object) },
        }),
        (document: Record<string, unknown>) => ({
          ...document,
          conversation: [
            JSON.parse(text),
            ...(Array.isArray(document.conversation) ? document.conversation : []),
          ],
        }),
        (document: Record<string, unknown>) => ({ ...document, todos: [JSON.parse(text)] }),
      ),
    ),
  fc
    .record({ count: fc.integer({ min: 0, max: 3000 }), item: wrongValue })
    .map(({ count, item }) => (document: Record<string, unknown>) => ({
      ...document,
      conversation: Array.from({ length: count }, () => item),
    })),
  fc
    .record({ key: fc.string({ maxLength: 20 }), value: wrongValue })
    .map(({ key, value }) => (document: Record<string, unknown>) => ({ ...document, [key]: value })),
  fc
    .constantFrom('created_at', 'updated_at', 'closed_at', 'last_resumed_at')
    .chain((field) =>
      fc
        .constantFrom(
          '2025-13-01T00:00:00.000Z',
          '2025-01-01',
          '0000-00-00T00:00:00Z',
          '+275760-09-13T00:00:00.000Z',
          'yesterday',
          '2025-01-01T00:00:00.000+99:00',
        )
        .map((value) => (document: Record<string, unknown>) => ({ ...document, [field]: value })),
    ),
);

/** How a structurally changed document is written: signed like a real file, or not. */
export type Encoding =
  | 'signed-canonical'
  | 'signed-pretty'
  | 'unsigned'
  | 'foreign-signature'
  | 'empty-signature';

export const encodings: fc.Arbitrary<Encoding> = fc.constantFrom(
  'signed-canonical',
  'signed-canonical',
  'signed-canonical',
  'signed-pretty',
  'unsigned',
  'foreign-signature',
  'empty-signature',
);

/**
 * Serializes a document, signing the canonical JSON of everything but `signature` with `sign`, so
 * that the input gets past the signature check into schema and migration code.
 */
export function encodeDocument(
  document: Record<string, unknown>,
  encoding: Encoding,
  sign: (payload: string) => string,
): Uint8Array {
  const { signature: _old, ...unsigned } = document;
  let signed: Record<string, unknown> = unsigned;
  if (encoding === 'signed-canonical' || encoding === 'signed-pretty') {
    const payload = signingPayload(unsigned as unknown as Session);
    // Not canonicalizable (too deep for the canonicalizer, a lone surrogate, …): JSON.stringify it unsigned.
    if (payload.ok) signed = { ...unsigned, signature: sign(payload.value) };
  } else if (encoding === 'foreign-signature') {
    signed = { ...unsigned, signature: 'v1:0123456789abcdef:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' };
  } else if (encoding === 'empty-signature') {
    signed = { ...unsigned, signature: '' };
  }
  if (encoding === 'signed-canonical') {
    const text = canonicalJson(signed);
    if (text.ok) return encoder.encode(text.value);
  }
  return encoder.encode(JSON.stringify(signed, null, encoding === 'signed-pretty' ? 2 : undefined));
}
