import {
  err,
  type JidoError,
  ok,
  type Result,
  toJidoError,
  type UnsignedSession,
} from '@jido-code/core-schema';
import type { Lease, SessionJournal } from '@jido-code/storage';
import { encodeChange } from '../journal-records.js';
import { LiveSession } from '../live-session.js';
import { type ProjectFingerprint, revalidateProjectPath } from '../project-path.js';
import { SessionState } from '../session-state.js';
import type { ManagerParts } from './manager-parts.js';

/** How {@link startSession} opens a session. */
export interface StartOptions {
  /** The lease the caller already holds (resume); otherwise one is taken here. */
  lease?: Lease;
  /** Save the session before its journal opens (a new session, a moved one). */
  saveFirst?: boolean;
  /** Check the project folder again after start, against the first check. */
  revalidate?: boolean;
  /** The open session this one forks (the registry allows it on the same project folder). */
  forkOf?: string;
}

/**
 * Opens a session: registry reservation, lease, optional first save, journal with its `open`
 * record, the live session in the registry, optional second project-path check. Any failure undoes
 * every step taken (the saved file is never deleted).
 */
export async function startSession(
  parts: ManagerParts,
  session: UnsignedSession,
  project: ProjectFingerprint,
  options: StartOptions,
): Promise<Result<LiveSession>> {
  const { store, registry } = parts;
  const reservation = registry.reserve(session.id, session.project_path, options.forkOf);
  if (!reservation.ok) {
    await options.lease?.release();
    return reservation;
  }
  let lease = options.lease;
  let journal: SessionJournal | undefined;
  let live: LiveSession | undefined;
  const undo = async (error: JidoError): Promise<Result<LiveSession>> => {
    if (live) registry.remove(live.id);
    reservation.value();
    await journal?.close();
    const journals = journal ? await store.journals() : undefined;
    if (journals?.ok) await journals.value.retire(session.id);
    await lease?.release();
    return err(error);
  };
  try {
    if (!lease) {
      const acquired = await store.acquireLease(session.id);
      if (!acquired.ok) return await undo(acquired.error);
      lease = acquired.value;
    }
    if (options.saveFirst) {
      const saved = await store.save(session);
      if (!saved.ok) return await undo(saved.error);
    }
    const journals = await store.journals();
    if (!journals.ok) return await undo(journals.error);
    const opened = await journals.value.open(session.id);
    if (!opened.ok) return await undo(opened.error);
    journal = opened.value;
    const { conversation: _conversation, todos: _todos, ...metadata } = session;
    const { type, data } = encodeChange({ type: 'open', session: metadata });
    const appended = await journal.append(type, data);
    if (!appended.ok) return await undo(appended.error);
    live = new LiveSession({
      state: new SessionState(session),
      journal,
      lease,
      project,
      now: parts.now,
      newId: parts.newId,
      redactor: parts.redactor,
      ...(parts.onRedaction ? { onRedaction: parts.onRedaction } : {}),
    });
    registry.add(live, reservation.value);
    if (options.revalidate) {
      await parts.afterStartHook?.(live);
      const again = await revalidateProjectPath(project);
      if (!again.ok) return await undo(again.error);
    }
    return ok(live);
  } catch (error) {
    return await undo(toJidoError(error));
  }
}
