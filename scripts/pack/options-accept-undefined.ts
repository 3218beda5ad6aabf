// Type-checked (never run) by the pack check under exactOptionalPropertyTypes on and off: a
// consumer may pass `undefined` for any optional option, e.g. straight from process.env.
import { Keyring, memoryKeyringPersistence } from '@jido-code/crypto';
import { memoryRateLimitStore, RateLimiter } from '@jido-code/rate-limit';
import { SessionManager } from '@jido-code/session';
import { SessionStore } from '@jido-code/storage';
import { waitForFile } from '@jido-code/test-support';

export async function optionsAcceptUndefined(): Promise<void> {
  const unset = process.env.JIDO_EXAMPLE_UNSET;
  const store = await SessionStore.open({ home: unset, logger: undefined });
  if (!store.ok) return;
  const manager = new SessionManager({ store: store.value, maxOpenSessions: undefined });
  await manager.create({ projectPath: process.cwd(), name: unset });
  await Keyring.open(memoryKeyringPersistence(), { now: undefined, logger: undefined });
  new RateLimiter({ store: memoryRateLimitStore(), now: undefined, rules: undefined });
  await waitForFile('/nonexistent', { timeoutMs: undefined }).catch(() => undefined);
}
