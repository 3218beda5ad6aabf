/**
 * Guarantee 4 (docs/architecture.md) (integrity) and 10 (honest errors): every single-byte flip of signed files is refused;
 * unknown, rotated and retired keys behave as designed; no error message carries a key id, a MAC,
 * payload text or an absolute path.
 *
 * On "refused": session files are canonical JSON (no insignificant whitespace), so a flip always
 * changes the bytes of a token. It could still leave the signed *content* the same only through an
 * equivalent spelling (a `\u001f` escape flipped to `\u001F`): the signature covers the canonical
 * form of the parsed document, so such a file would load with identical content, which is not a
 * change of the data. The test accepts exactly that (content identical to the original) and counts
 * it; every other flip must be refused. base64url is case-sensitive and the key id is compared
 * exactly, so flips in the signature are always refused.
 *
 * A flip inside the *name* of the `signature` key (`rignature`) turns the file into an unsigned
 * one with an unknown key. Every id here was saved signed, so the downgrade guard (the ledger of ids
 * seen validly signed) refuses such a file as tampered under the default policy too: the flips are
 * loaded through a store with the default configuration, which accepts other unsigned files.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, type Session, unwrap } from '@jido-code/core-schema';
import type { SessionStore } from '@jido-code/storage';
import { SessionFactory } from '@jido-code/test-support';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportFigure } from '../support/figures.js';
import { MessageAudit } from '../support/messages.js';
import { makePrivateHome, openSuiteStore, removePrivateHome } from '../support/private-home.js';
import { longForm, scaled } from '../support/stress.js';

const factory = new SessionFactory({ seed: 8_080 });
const audit = new MessageAudit();
const secretText = 'SECRET-PAYLOAD-TEXT-7f3a';
let home: string;
let store: SessionStore;
const files: { id: string; bytes: Buffer; content: string }[] = [];

beforeAll(async () => {
  home = makePrivateHome('jido-rel-tamper-');
  store = await openSuiteStore(home, { config: { max_sessions: 1_000 } });
  const keyring = unwrap(await store.keyring());
  audit.forbid(home, keyring.signingKeyId, secretText, '/tmp/');
  for (let index = 0; index < 100; index++) {
    const session = factory.session({
      name: `Tamper ${index}`,
      messageCount: 1 + (index % 4),
      todoCount: index % 3,
      ...(index % 5 === 0 ? { language: 'en' } : {}),
    }) as Session;
    session.conversation[0] = {
      ...session.conversation[0],
      content: `${secretText} \u001f ${index}`,
    } as never;
    const saved = await store.save(session);
    if (!saved.ok) throw saved.error;
    const bytes = readFileSync(join(store.backend.sessionsDir, `${session.id}.json`));
    const loaded = await store.load(session.id);
    if (!loaded.ok) throw loaded.error;
    const content = canonicalJson(loaded.value.session);
    if (!content.ok) throw content.error;
    files.push({ id: session.id, bytes, content: content.value });
    audit.forbid(JSON.parse(bytes.toString()).signature);
  }
}, 300_000);

afterAll(() => {
  removePrivateHome(home);
  reportFigure('tamper audit', audit.stats);
});

const stats = {
  flips: 0,
  refused: 0,
  equivalent: 0,
  codes: new Map<string, number>(),
};

async function flipAndLoad(file: (typeof files)[number], position: number, mask: number): Promise<void> {
  const bytes = Buffer.from(file.bytes);
  bytes[position] = (bytes[position] as number) ^ mask;
  const path = join(store.backend.sessionsDir, `${file.id}.json`);
  writeFileSync(path, bytes);
  stats.flips += 1;
  const loaded = await store.load(file.id);
  if (!loaded.ok) {
    stats.refused += 1;
    stats.codes.set(loaded.error.code, (stats.codes.get(loaded.error.code) ?? 0) + 1);
    audit.record(loaded.error);
    return;
  }
  expect(loaded.value.signed).toBe(true);
  const content = canonicalJson(loaded.value.session);
  // Accepted only with the very same signed content (see the header).
  expect(content.ok && content.value, `flip at ${position} ^ ${mask} loaded changed content`).toBe(
    file.content,
  );
  stats.equivalent += 1;
}

describe('byte flips of signed files', () => {
  const fullFiles = scaled(3, 100);
  const masks = longForm ? [0x01, 0x20, 0x80, 0xff] : [0x01, 0x20];

  it(`every byte of ${fullFiles} files (masks ${masks.map((mask) => mask.toString(16)).join(', ')}) is refused`, {
    timeout: 7_200_000,
  }, async () => {
    for (const file of files.slice(0, fullFiles)) {
      for (let position = 0; position < file.bytes.length; position++) {
        for (const mask of masks) await flipAndLoad(file, position, mask);
      }
      writeFileSync(join(store.backend.sessionsDir, `${file.id}.json`), file.bytes);
    }
  });

  it(`100 files × ${scaled('30', '100')} random positions and masks are refused`, {
    timeout: 600_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 99 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 255 }),
        async (fileIndex, at, mask) => {
          const file = files[fileIndex] as (typeof files)[number];
          await flipAndLoad(file, Math.floor(at * file.bytes.length), mask);
          writeFileSync(join(store.backend.sessionsDir, `${file.id}.json`), file.bytes);
        },
      ),
      { numRuns: scaled(3_000, 10_000), seed: 8_081 },
    );
  });

  it('reports the figures', () => {
    reportFigure('tamper', {
      flips: stats.flips,
      refused: stats.refused,
      equivalentContent: stats.equivalent,
      codes: Object.fromEntries([...stats.codes].sort()),
    });
    expect(stats.refused + stats.equivalent).toBe(stats.flips);
    // Every original still loads: nothing was left flipped.
    return Promise.all(files.map(async (file) => expect((await store.load(file.id)).ok).toBe(true)));
  });
});

describe('keys', () => {
  it('rotation: old files verify, new files carry the new key id, another store catches up by reload', async () => {
    const before = unwrap(await store.keyring());
    const oldKid = before.signingKeyId;
    const otherProcess = await openSuiteStore(home, { config: { max_sessions: 1_000 } });
    unwrap(await otherProcess.keyring()); // holds the old ring in memory
    const rotated = await store.rotateKey();
    expect(rotated.ok).toBe(true);
    if (!rotated.ok) return;
    audit.forbid(rotated.value.keyId);
    expect(rotated.value.keyId).not.toBe(oldKid);
    const old = files[0] as (typeof files)[number];
    const loadedOld = await store.load(old.id);
    expect(loadedOld.ok && loadedOld.value.signed).toBe(true);
    const session = factory.session({ name: 'After rotation' }) as Session;
    expect((await store.save(session)).ok).toBe(true);
    const text = readFileSync(join(store.backend.sessionsDir, `${session.id}.json`), 'utf8');
    const signature = JSON.parse(text).signature as string;
    audit.forbid(signature);
    expect(signature.split(':')[1]).toBe(rotated.value.keyId);
    // The other store meets an unknown key id, reloads its ring once, and verifies.
    const seenElsewhere = await otherProcess.load(session.id);
    expect(seenElsewhere.ok && seenElsewhere.value.signed).toBe(true);
  });

  it('a replaced keyring: every file signed with the lost key is unknown_key, never accepted', async () => {
    const foreignHome = makePrivateHome('jido-rel-foreign-');
    try {
      const foreign = await openSuiteStore(foreignHome);
      const foreignKeyring = unwrap(await foreign.keyring());
      audit.forbid(foreignKeyring.signingKeyId, foreignHome);
      writeFileSync(
        join(home, 'keys', 'keyring.json'),
        readFileSync(join(foreignHome, 'keys', 'keyring.json')),
      );
      const replaced = await openSuiteStore(home);
      const codes = new Set<string>();
      for (const file of files.slice(0, 20)) {
        const loaded = await replaced.load(file.id);
        expect(loaded.ok).toBe(false);
        if (!loaded.ok) {
          codes.add(loaded.error.code);
          audit.record(loaded.error);
        }
      }
      expect([...codes]).toEqual(['unknown_key']);
    } finally {
      removePrivateHome(foreignHome);
    }
  });

  it('a retired key: its files become unknown_key', async () => {
    const retireHome = makePrivateHome('jido-rel-retire-');
    try {
      const retireStore = await openSuiteStore(retireHome);
      const keyring = unwrap(await retireStore.keyring());
      const oldKid = keyring.signingKeyId;
      audit.forbid(oldKid);
      const session = factory.session() as Session;
      expect((await retireStore.save(session)).ok).toBe(true);
      const rotated = await retireStore.rotateKey();
      if (rotated.ok) audit.forbid(rotated.value.keyId);
      await keyring.retire(oldKid);
      const loaded = await retireStore.load(session.id);
      expect(loaded.ok ? 'ok' : loaded.error.code).toBe('unknown_key');
      if (!loaded.ok) audit.record(loaded.error);
    } finally {
      removePrivateHome(retireHome);
    }
  });

  it('no error message contains a key id, a MAC, payload text or an absolute path', () => {
    expect(audit.stats.errors).toBeGreaterThan(0);
    expect(audit.violations()).toEqual([]);
  });
});
