import { SessionStore } from '../../src/session-store.js';

/** Opens the store of `home` or exits 1 with the error. */
export async function openStore(home: string): Promise<SessionStore> {
  const opened = await SessionStore.open({ home, env: process.env });
  if (!opened.ok) {
    process.stderr.write(`open failed: ${opened.error.code} ${opened.error.message}\n`);
    process.exit(1);
  }
  return opened.value;
}

/** Waits until the wall clock reaches `startAt` (ms), so that several workers start together. */
export async function waitUntil(startAt: number): Promise<void> {
  const delay = startAt - Date.now();
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
}
