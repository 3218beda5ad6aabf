/**
 * Regression tests for a bug the fault matrix found (guarantee 1/2: "the next save succeeds once the
 * fault clears"): when reading or unlinking the lock record failed at release, the lock file stayed
 * behind with this live process's pid and every later save ended in `lock_timeout`. Storage now
 * judges a record carrying its own pid by the nonces it still holds, so such a leftover is taken over.
 */

import type { Session } from '@jido-code/core-schema';
import { unwrap } from '@jido-code/core-schema';
import { SessionFactory } from '@jido-code/test-support';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FaultHarness } from '../support/fault-fs.js';
import { makePrivateHome, openSuiteStore, removePrivateHome } from '../support/private-home.js';

let home: string;
beforeEach(() => {
  home = makePrivateHome();
});
afterEach(() => removePrivateHome(home));

const factory = new SessionFactory({ seed: 77 });

async function setup() {
  const session = factory.session({ name: 'Lock' }) as Session;
  const seeded = await openSuiteStore(home);
  expect((await seeded.save(session)).ok).toBe(true);
  const harness = new FaultHarness(home);
  const store = await openSuiteStore(home, { fs: harness.fs, config: { lock_timeout_ms: 500 } });
  unwrap(await store.keyring());
  return { session, harness, store };
}

it('a save after an EIO on the lock unlink at release succeeds once the disk heals', async () => {
  const { session, harness, store } = await setup();
  // The successful save's only unlink is the lock release's.
  harness.arm('unlink', 1, 'EIO', 'once');
  const first = await store.save({ ...session, name: 'First' });
  expect(first.ok).toBe(true);
  harness.heal();
  const second = await store.save({ ...session, name: 'Second' });
  expect(second.ok ? 'ok' : second.error.code).toBe('ok');
});

it('a save after an EIO reading the lock record at release succeeds once the disk heals', async () => {
  const { session, harness, store } = await setup();
  // Which read of a save is the lock record's at release: the last read of the session's lock file,
  // counted in a save made once the store's caches are warm, as the faulted save's will be.
  expect((await store.save({ ...session, name: 'Warm' })).ok).toBe(true);
  harness.start();
  expect((await store.save({ ...session, name: 'Recorded' })).ok).toBe(true);
  const lockReads = harness
    .stop()
    .filter((call) => call.method === 'read' && call.site.startsWith('read(locks/'));
  const release = lockReads.at(-1);
  if (release === undefined) throw new Error('a save read no lock record');
  harness.arm('read', release.methodCall, 'EIO', 'once');
  const first = await store.save({ ...session, name: 'First' });
  expect(first.ok).toBe(true);
  expect(harness.faults.injected.map((fault) => `${fault.method} ${fault.code}`)).toEqual(['read EIO']);
  harness.heal();
  const second = await store.save({ ...session, name: 'Second' });
  expect(second.ok ? 'ok' : second.error.code).toBe('ok');
});
