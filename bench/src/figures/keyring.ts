import { createHmac, randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson } from '@jido-code/core-schema';
import { nodeFileSystem, type SessionStore } from '@jido-code/storage';
import { SessionFactory } from '@jido-code/test-support';
import { compareInterleaved } from '../harness/compare.js';
import { type BenchContext, openStore, planFor, unwrap } from '../harness/context.js';
import { countingFileSystem } from '../harness/counting-file-system.js';
import { durableWriteFloor } from '../harness/floors.js';
import type { FigureRow } from '../harness/results.js';
import { scaleSummary } from '../harness/stats.js';

const cachedSaves = 50;
const signaturesPerSample = 100;
// A key derivation per save (PBKDF2, scrypt) would cost milliseconds, 100× a bare HMAC or more;
// within 3× of it there is none. The hard evidence is the count of keyring file opens (0).
const cachedTarget = 3;

/**
 * The signing key: first use on a fresh home (create the keyring: random key, lock, durable write)
 * against a plain durable write of a file of the keyring's size; and, once cached, the signature of
 * a save against a bare HMAC-SHA256 of the same payload, with the keyring file's opens counted over
 * 50 saves (there must be none: no file read and no key derivation per save).
 */
export async function keyringFigures(context: BenchContext): Promise<{ rows: FigureRow[] }> {
  const firstUse = await firstUseRow(context);
  return { rows: [firstUse, await cachedRow(context)] };
}

/** Creating the keyring on a fresh home, against a durable write of a file of its size. */
async function firstUseRow(context: BenchContext): Promise<FigureRow> {
  const plan = planFor(context, { warmup: 2, minSamples: 12, maxSamples: 30, budgetMs: 2000 });
  const stores: SessionStore[] = [];
  for (let index = 0; index < plan.warmup + plan.maxSamples; index++) {
    stores.push(await openStore(join(context.root, 'keyring-homes', String(index))));
  }
  const probe = await openStore(join(context.root, 'keyring-homes', 'probe'));
  unwrap(await probe.keyring(), 'the keyring');
  const keyringBytes = (await stat(probe.backend.layout.keyringFile)).size;
  const floorText = 'k'.repeat(keyringBytes);
  const floorPath = join(context.floorDir, 'keyring.json');
  let next = 0;
  context.log('signing key, first use');
  const firstUse = await compareInterleaved(
    () => durableWriteFloor(floorPath, floorText),
    async () => {
      const store = stores[next++];
      if (store === undefined) throw new Error('keyring bench ran out of fresh homes');
      unwrap(await store.keyring(), 'the keyring');
    },
    plan,
  );
  return {
    operation: 'signing key',
    size: 'first use (fresh home)',
    floorName: 'durable write of the keyring-sized file',
    ...firstUse,
    target: 'report',
    status: 'reported',
    facts: { keyringBytes },
  };
}

/** A cached signature against a bare HMAC, with the keyring file's opens counted over the saves. */
async function cachedRow(context: BenchContext): Promise<FigureRow> {
  context.log('signing key, cached');
  const counting = countingFileSystem(nodeFileSystem);
  const store = await openStore(join(context.root, 'keyring-cached'), { fs: counting.fs });
  const keyring = unwrap(await store.keyring(), 'the keyring');
  const opensAtStart = counting.opens.get(store.backend.layout.keyringFile) ?? 0;
  const factory = new SessionFactory({ seed: 31 });
  const session = factory.session({ messageCount: 100, todoCount: 5, project_path: context.projectDir });
  for (let index = 0; index < cachedSaves; index++) unwrap(await store.save(session), 'save');
  const keyringOpensDuringSaves = (counting.opens.get(store.backend.layout.keyringFile) ?? 0) - opensAtStart;
  const payload = unwrap(canonicalJson(session), 'canonical JSON');
  const secret = randomBytes(32);
  // Both sides are microseconds: let the JIT settle first, whatever the sampling plan's warm-up.
  for (let index = 0; index < 2000; index++) {
    createHmac('sha256', secret).update(payload).digest('base64url');
    keyring.sign(payload);
  }
  const cached = await compareInterleaved(
    async () => {
      for (let index = 0; index < signaturesPerSample; index++) {
        createHmac('sha256', secret).update(payload).digest('base64url');
      }
    },
    async () => {
      for (let index = 0; index < signaturesPerSample; index++)
        unwrap(await store.keyring(), 'the keyring').sign(payload);
    },
    planFor(context, { warmup: 5, minSamples: 30, maxSamples: 300, budgetMs: 1000 }),
  );
  const perSignature = 1 / signaturesPerSample;
  const ok = keyringOpensDuringSaves === 0 && cached.ratio <= cachedTarget;
  return {
    operation: 'signing key',
    size: `cached (sign a ${Buffer.byteLength(payload)}-byte payload)`,
    floorName: 'bare HMAC-SHA256 of the same payload',
    floor: scaleSummary(cached.floor, perSignature),
    subject: scaleSummary(cached.subject, perSignature),
    ratio: cached.ratio,
    target: `0 keyring reads in ${cachedSaves} saves; no KDF (≤ ${cachedTarget}× HMAC)`,
    status: ok ? 'ok' : 'over target',
    facts: {
      keyringFileOpensDuring50Saves: keyringOpensDuringSaves,
      keyringFileOpensTotal: counting.opens.get(store.backend.layout.keyringFile) ?? 0,
      signingKeyId: keyring.signingKeyId,
      keyDerivation: 'none (the key is 32 random bytes, used as the HMAC key)',
    },
  };
}
