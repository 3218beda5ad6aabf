import { err, JidoError, ok, type Result } from '@jido-code/core-schema';
import type { SessionMetadata } from '@jido-code/session';
import type { Command } from '../command.js';
import { type Outcome, viewOf } from '../outcome.js';
import { resolveTarget } from '../resolve-target.js';
import type { HandlerContext } from './context.js';

type ResumeCommand = Extract<Command, { kind: `resume.${string}` }>;

/** The saved sessions that can be resumed now, in the order `/resume` lists them. */
export async function resumableSessions(
  context: HandlerContext,
): Promise<Result<readonly SessionMetadata[]>> {
  const listed = await context.manager.listResumable();
  return listed.ok ? ok(listed.value.sessions) : listed;
}

async function resolveResumable(context: HandlerContext, target: string): Promise<Result<SessionMetadata>> {
  const sessions = await resumableSessions(context);
  if (!sessions.ok) return sessions;
  const resolved = resolveTarget(target, sessions.value);
  return resolved.ok ? ok(resolved.value.entry) : resolved;
}

/** `/resume clear` without `--yes`: deleting everything is never done unasked. */
function clearNeedsConfirmation(): JidoError {
  return new JidoError('confirmation_required', 'Deleting every saved session needs confirmation.', {
    details: { action: 'delete every saved session', confirm: '/resume clear --yes' },
  });
}

/** Handles `/resume …`. */
export async function handleResumeCommand(
  context: HandlerContext,
  command: ResumeCommand,
): Promise<Result<Outcome>> {
  const { manager } = context;
  switch (command.kind) {
    case 'resume.list': {
      const sessions = await resumableSessions(context);
      return sessions.ok ? ok({ kind: 'resume.list', sessions: sessions.value }) : sessions;
    }
    case 'resume.open': {
      const target = await resolveResumable(context, command.target);
      if (!target.ok) return target;
      const resumed = await manager.resume(target.value.id);
      if (!resumed.ok) return resumed;
      context.setActive(resumed.value.id);
      return ok({ kind: 'session.opened', session: viewOf(resumed.value, resumed.value.id), resumed: true });
    }
    case 'resume.delete': {
      const target = await resolveResumable(context, command.target);
      if (!target.ok) return target;
      const deleted = await manager.delete(target.value.id);
      if (!deleted.ok) return deleted;
      return ok({ kind: 'resume.deleted', id: target.value.id, name: target.value.name });
    }
    case 'resume.clear': {
      if (!command.yes) return err(clearNeedsConfirmation());
      const cleared = await manager.clear();
      return cleared.ok ? ok({ kind: 'resume.cleared', report: cleared.value }) : cleared;
    }
  }
}
