import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { isProcessAlive } from '@jido-code/storage/internal';

/** The pid of a process that has exited (a short-lived child), for planting stale lock records. */
function deadPid(): number {
  for (let attempt = 0; attempt < 10; attempt++) {
    const child = spawnSync('true');
    if (child.pid !== undefined && child.pid > 0 && !isProcessAlive(child.pid)) return child.pid;
  }
  throw new Error('could not find a dead pid');
}

/** Writes a lock (or lease) record held by a dead process on this host: stale at once. */
export function plantStaleLock(path: string, pid = deadPid()): void {
  const record = { pid, host: hostname(), nonce: 'f'.repeat(32), created_at: new Date().toISOString() };
  writeFileSync(path, JSON.stringify(record), { mode: 0o600 });
}
