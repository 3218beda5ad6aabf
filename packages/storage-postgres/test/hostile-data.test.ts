/**
 * Hostile data through the PostgreSQL backend: SQL metacharacters in every string field round-trip
 * byte for byte and verify; a session just under the 10 MiB cap saves, loads and lists; raw and
 * mutated bytes stored directly in the table load as a documented typed error (never a throw), and
 * a mutated signed document never loads with changed content.
 */
import type { SessionStore } from '@jido-code/storage';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PostgresBackend } from '../src/index.js';
import { openConformanceStore } from './support/conformance-store.js';
import { dropSchema, testDatabase } from './support/database.js';
import { testSession } from './support/sessions.js';

const database = testDatabase();
const options = { url: database.url, schema: database.newSchema() };
let store: SessionStore<PostgresBackend>;

const documentedLoadCodes = new Set([
  'not_found',
  'too_large',
  'invalid_json',
  'invalid_schema',
  'unsupported_version',
  'signature_invalid',
  'signature_malformed',
  'unknown_key',
  'unsigned',
  'too_deep',
  'migration_failed',
]);

const metacharacters = [
  "'; DROP TABLE sessions; --",
  "\"); DELETE FROM jido.sessions WHERE ('1'='1",
  "$1 $$ $tag$ body $tag$ \\x00 \\\\ %s %% _ E'\\n'",
  'O\'Brien\\\'s "quoted" `tick` ; -- /* comment */ \u2028\u2029',
  'nul\u0000inside and emoji 🧪 and RTL \u202e',
];

beforeAll(async () => {
  store = await openConformanceStore(options, {});
});

afterAll(async () => {
  await store?.backend.close();
  await dropSchema(database.url, options.schema);
});

it('SQL metacharacters in every string field round-trip exactly and verify', async () => {
  for (const [index, text] of metacharacters.entries()) {
    const session = testSession({
      name: `n${index} ${text}`.slice(0, 50).trim(),
      project_path: `/tmp/${text.replaceAll('\u0000', '')}`,
      config: { provider: text, model: text, extra: { [text]: text } },
      conversation: [{ id: text, role: 'assistant', content: text, timestamp: new Date().toISOString() }],
      todos: [{ content: text, status: 'pending', active_form: text }],
      language: text.slice(0, 35),
    });
    const saved = await store.save(session);
    expect(saved.ok || saved.error).toBe(true);
    const stored = await store.backend.read(session.id);
    const loaded = await store.load(session.id);
    if (!loaded.ok) throw loaded.error;
    expect(loaded.value.signed).toBe(true);
    expect(loaded.value.session).toMatchObject({
      name: session.name,
      project_path: session.project_path,
      config: session.config,
      conversation: session.conversation,
    });
    // Signatures verify byte for byte: the stored bytes are what was signed, read back unchanged.
    expect(JSON.parse(Buffer.from(stored.bytes).toString('utf8')).name).toBe(session.name);
    expect((await store.backend.read(session.id)).bytes).toEqual(stored.bytes);
    // Saved again (the one-statement path): the search row holds the message id exactly (U+0000
    // dropped), through the array literal its fields are sent in.
    const again = await store.save(session);
    expect(again.ok || again.error).toBe(true);
    const indexed = await store.backend.db.query<{ message_id: string; role: string }>(
      `SELECT message_id, role FROM ${store.backend.schema}.search_messages WHERE session_id = $1`,
      [session.id],
    );
    expect(indexed.rows).toEqual([{ message_id: text.replaceAll('\u0000', ''), role: 'assistant' }]);
  }
  const listing = await store.listPersisted();
  if (!listing.ok) throw listing.error;
  expect(listing.value.problems).toEqual([]);
  expect(listing.value.sessions).toHaveLength(metacharacters.length);
  expect(await store.backend.db.query(`SELECT 1 FROM ${store.backend.schema}.sessions`)).toMatchObject({
    rowCount: metacharacters.length,
  });
});

it('a session just under the 10 MiB cap saves, loads and lists; one over it is refused', async () => {
  const chunk = 'x'.repeat(100_000);
  const big = testSession({}, 0);
  big.conversation = Array.from({ length: 100 }, (_, index) => ({
    id: `big-${index}`,
    role: 'user' as const,
    content: chunk,
    timestamp: big.created_at,
  }));
  const saved = await store.save(big);
  if (!saved.ok) throw saved.error;
  expect(saved.value.bytes).toBeGreaterThan(10_000_000);
  const loaded = await store.load(big.id);
  expect(loaded.ok && loaded.value.session.conversation.length).toBe(100);
  expect((await store.backend.read(big.id)).bytes.byteLength).toBe(saved.value.bytes);
  const tooBig = testSession({}, 0);
  tooBig.conversation = [...big.conversation, ...big.conversation.slice(0, 10)];
  const refused = await store.save(tooBig);
  expect(refused.ok || refused.error.code).toBe('too_large');
});

it('raw and mutated bytes in the table load as a documented typed error, never changed content', async () => {
  const original = testSession({ name: 'original' }, 3);
  expect((await store.save(original)).ok).toBe(true);
  const signed = (await store.backend.read(original.id)).bytes;
  const codes = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.uint8Array({ maxLength: 2048 }),
        fc
          .tuple(fc.nat({ max: signed.byteLength - 1 }), fc.integer({ min: 0, max: 255 }))
          .map(([at, value]) => {
            const copy = new Uint8Array(signed);
            copy[at] = value;
            return copy;
          }),
      ),
      async (bytes) => {
        const id = testSession().id;
        await store.backend.withSession(id, (slot) => slot.write(bytes, false));
        const loaded = await store.load(id);
        if (loaded.ok) {
          // Only the unchanged document (a mutation that wrote the same byte) may load.
          expect(Buffer.from(bytes).equals(Buffer.from(signed))).toBe(true);
        } else {
          expect(documentedLoadCodes).toContain(loaded.error.code);
          codes.set(loaded.error.code, (codes.get(loaded.error.code) ?? 0) + 1);
        }
      },
    ),
    { numRuns: database.kind === 'pglite' ? 100 : 300, seed: 23 },
  );
  console.log('hostile bytes: error codes', Object.fromEntries(codes));
  const listing = await store.listPersisted();
  expect(listing.ok).toBe(true);
});
