import type { LiveSession, SessionManager } from '@jido-code/session';

/** What every handler works with: the runtime and the shell's notion of the active session. */
export interface HandlerContext {
  readonly manager: SessionManager;
  /** Folder relative project paths resolve against. */
  readonly cwd: string;
  /** Home folder `~` expands to. */
  readonly userHome: string;
  /** The active session, if any. */
  active(): LiveSession | undefined;
  /** Makes a session active (or none). */
  setActive(id: string | undefined): void;
}
