/**
 * Guarantee 6 (docs/architecture.md) (path safety), ids: 100,000 generated ids (random text in every unit, traversal,
 * absolute paths, NUL, URL-encoding, upper case and non-v4 UUIDs, UUIDs with something around
 * them) are either refused with `invalid_id` or name a file directly inside the sessions folder.
 * A sample also goes through `store.load`/`save`/`delete` on a counting FileSystem: a refused id
 * reaches no file-system call at all.
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { JidoError } from '@jido-code/core-schema';
import { type FileSystem, nodeFileSystem, validateSessionId } from '@jido-code/storage';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reportFigure } from '../support/figures.js';
import { MessageAudit } from '../support/messages.js';
import { makePrivateHome, openSuiteStore, removePrivateHome } from '../support/private-home.js';

const uuid4 = fc.uuid({ version: 4 });

const hostileIds: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom('.', '/', '\\', '%', '2', 'e', 'f', '\0', 'a', '-', '~'),
    maxLength: 40,
  }),
  uuid4,
  uuid4.map((id) => id.toUpperCase()),
  fc.uuid({ version: [1, 2, 3, 5, 6, 7, 8] }),
  fc
    .tuple(
      fc.constantFrom(
        '',
        '../',
        '../../',
        '/',
        '/etc/',
        './',
        'sessions/',
        '..\\',
        '%2e%2e%2f',
        '\0',
        ' ',
        '\u202e',
      ),
      uuid4,
      fc.constantFrom('', '/..', '\0', '.json', ' ', '\n', '/../../x', '%00', '\u200b', '.tmp'),
    )
    .map(([prefix, id, suffix]) => `${prefix}${id}${suffix}`),
  uuid4.map((id) => id.replace(/-/g, '\u2010')),
  uuid4.map((id) => encodeURIComponent(`../${id}`)),
  fc.constantFrom('..', '.', '', '/', '/etc/passwd', '../../../../etc/shadow', 'con', 'nul', '\0'),
);

const audit = new MessageAudit();
let home: string;
let sessionsDir: string;

beforeAll(() => {
  home = makePrivateHome('jido-rel-ids-');
  audit.forbid(home);
});
afterAll(() => {
  removePrivateHome(home);
  expect(audit.violations()).toEqual([]);
});

it('100,000 ids: refused, or a file directly inside the sessions folder', { timeout: 600_000 }, async () => {
  const store = await openSuiteStore(home);
  sessionsDir = realpathSync(store.backend.sessionsDir);
  let accepted = 0;
  let refused = 0;
  fc.assert(
    fc.property(hostileIds, (id) => {
      const checked = validateSessionId(id);
      if (!checked.ok) {
        refused += 1;
        expect(checked.error.code).toBe('invalid_id');
        audit.record(checked.error);
        return;
      }
      accepted += 1;
      const path = resolve(join(sessionsDir, `${checked.value}.json`));
      expect(dirname(path)).toBe(sessionsDir);
      expect(basename(path)).toBe(`${id}.json`);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }),
    { numRuns: 100_000, seed: 6_006 },
  );
  reportFigure('ids', { generated: accepted + refused, accepted, refused });
  expect(accepted + refused).toBe(100_000);
});

it('a refused id reaches no file-system call in load, save, update, delete or lease', {
  timeout: 120_000,
}, async () => {
  let calls = 0;
  const counting = Object.fromEntries(
    Object.entries(nodeFileSystem).map(([name, fn]) => [
      name,
      (...args: unknown[]) => {
        calls += 1;
        return (fn as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  ) as unknown as FileSystem;
  const store = await openSuiteStore(home, { fs: counting });
  let checked = 0;
  await fc.assert(
    fc.asyncProperty(
      hostileIds.filter((id) => !validateSessionId(id).ok),
      async (id) => {
        calls = 0;
        const results = [
          await store.load(id),
          await store.save({ id } as never),
          await store.update(id, (session) => session),
          await store.delete(id),
          await store.acquireLease(id),
        ];
        for (const result of results) {
          expect(result.ok).toBe(false);
          if (!result.ok) {
            expect(result.error).toBeInstanceOf(JidoError);
            expect(result.error.code).toBe('invalid_id');
            audit.record(result.error);
          }
        }
        expect(calls).toBe(0);
        checked += 1;
      },
    ),
    { numRuns: 2_000, seed: 6_007 },
  );
  reportFigure('refused ids through the store with zero fs calls', checked);
});
