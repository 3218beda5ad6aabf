import { ok, type Result } from '@jido-code/core-schema';
import type { SessionListing } from '@jido-code/storage';
import type { ManagerParts } from './manager-parts.js';

/** `SessionManager.listResumable`: a listing, and which of its sessions wait for a project folder. */
export interface ResumableListing extends SessionListing {
  /** Ids of listed sessions whose project folder has another session open in this process. */
  readonly projectOpenHere: readonly string[];
}

/** The saved sessions not open here nor leased elsewhere (see `SessionManager.listResumable`). */
export async function listResumable(parts: ManagerParts): Promise<Result<ResumableListing>> {
  const active = parts.registry.active();
  const listed = await parts.store.listResumable({ ids: active.ids, projectPaths: new Set() });
  if (!listed.ok) return listed;
  const projectOpenHere = listed.value.sessions
    .filter((session) => active.projectPaths.has(session.project_path))
    .map((session) => session.id);
  return ok({ ...listed.value, projectOpenHere });
}
