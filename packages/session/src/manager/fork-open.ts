import { type JidoError, ok, type Result, type UnsignedSession } from '@jido-code/core-schema';
import type { SaveReport } from '@jido-code/storage';
import { type ForkSessionOptions, forkSession } from '../fork-session.js';
import type { LiveSession } from '../live-session.js';
import { validateProjectPath } from '../project-path.js';
import type { ManagerParts } from './manager-parts.js';
import { startSession } from './start-session.js';

/** What `SessionManager.forkOpen` gives: the saved fork, opened or with the reason it is not. */
export interface ForkOpenOutcome {
  fork: UnsignedSession;
  opened?: LiveSession;
  notOpened?: JidoError;
}

/**
 * `/session fork` (see `SessionManager.forkOpen`): saves the open session with `save`, forks it
 * and opens the fork on the same project folder.
 */
export async function forkOpen(
  parts: ManagerParts,
  save: (id: string) => Promise<Result<SaveReport>>,
  id: string,
  options: ForkSessionOptions,
): Promise<Result<ForkOpenOutcome>> {
  const saved = await save(id);
  if (!saved.ok) return saved;
  const forked = await forkSession(parts.store, id, options);
  if (!forked.ok) return forked;
  const fork = forked.value;
  const project = await validateProjectPath(fork.project_path);
  if (!project.ok) return ok({ fork, notOpened: project.error });
  const opened = await startSession(parts, { ...fork, closed_at: null }, project.value, { forkOf: id });
  return opened.ok ? ok({ fork, opened: opened.value }) : ok({ fork, notOpened: opened.error });
}
