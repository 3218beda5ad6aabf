/**
 * Named points in the write paths where the reliability suite kills the process (SIGKILL) to prove
 * crash safety. Only active when `JIDO_TEST_CRASH_POINT` names the point (optionally `name@N` to
 * die at the Nth time it is reached); costs one comparison otherwise.
 */
export type CrashPoint =
  | 'after-temp-open'
  | 'mid-write'
  | 'after-fsync'
  | 'after-rename'
  | 'before-dir-fsync'
  | 'holding-lock'
  | 'lock-takeover'
  | 'key-creation'
  | 'journal-mid-append'
  | 'journal-after-append'
  | 'before-search-index'
  | 'trash-after-record'
  | 'trash-after-rename'
  | 'trash-before-sessions-fsync'
  | 'restore-after-rename'
  | 'restore-before-record-purge';

const setting = process.env.JIDO_TEST_CRASH_POINT ?? '';
const [armedPoint, armedCount] = setting.split('@');
let remaining = armedCount ? Number(armedCount) : 1;

/** Kills the process here if the test environment armed this point. */
export function reachCrashPoint(point: CrashPoint): void {
  if (armedPoint !== point) return;
  remaining -= 1;
  if (remaining <= 0) process.kill(process.pid, 'SIGKILL');
}
