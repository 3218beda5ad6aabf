import { err, JidoError, ok, type Result, textTooLong } from '@jido-code/core-schema';
import type { LiveSession } from '@jido-code/session';
import type { Command } from '../command.js';
import { expandProjectPath } from '../expand-path.js';
import { type Outcome, viewOf } from '../outcome.js';
import { resolveTarget } from '../resolve-target.js';
import type { HandlerContext } from './context.js';

type SessionCommand = Extract<Command, { kind: `session.${string}` }>;

function noActiveSession(): JidoError {
  return new JidoError('no_active_session', 'No active session.');
}

/** The open session a target names (in `/session list` order), or the active one when no target is given. */
export function openSessionFor(context: HandlerContext, target: string | undefined): Result<LiveSession> {
  if (target === undefined) {
    const active = context.active();
    return active ? ok(active) : err(noActiveSession());
  }
  const resolved = resolveTarget(target, context.manager.list());
  return resolved.ok ? ok(resolved.value.entry) : resolved;
}

/** `/session close [target]`: closes it; the most recent open session becomes active if it was. */
async function closeSession(context: HandlerContext, target: string | undefined): Promise<Result<Outcome>> {
  const { manager } = context;
  const session = openSessionFor(context, target);
  if (!session.ok) return session;
  const closed = await manager.close(session.value.id);
  if (!closed.ok) return closed;
  if (context.active()?.id === session.value.id || context.active() === undefined) {
    context.setActive(manager.list().at(-1)?.id);
  }
  const active = context.active();
  if (closed.value.error) return err(closed.value.error);
  return ok({
    kind: 'session.closed',
    report: closed.value,
    ...(active ? { active: viewOf(active, context.active()?.id) } : {}),
  });
}

/** `/session pin` and `/session unpin` of the active session. */
async function pinActive(context: HandlerContext, pinned: boolean): Promise<Result<Outcome>> {
  const session = openSessionFor(context, undefined);
  if (!session.ok) return session;
  // Saved at once: the pin is part of the signed file, and retention reads the file.
  session.value.setMetadata({ pinned });
  const saved = await context.manager.save(session.value.id);
  if (!saved.ok) return saved;
  return ok({ kind: 'session.pinned', session: viewOf(session.value, context.active()?.id), pinned });
}

/** `/session fork [N] [--name]`: forks the active session and opens the fork when it can. */
async function forkActive(
  context: HandlerContext,
  command: Extract<Command, { kind: 'session.fork' }>,
): Promise<Result<Outcome>> {
  const session = openSessionFor(context, undefined);
  if (!session.ok) return session;
  const name = command.name?.trim();
  const tooLong = name === undefined ? undefined : textTooLong('name', name);
  if (tooLong !== undefined) return err(tooLong);
  const forked = await context.manager.forkOpen(session.value.id, {
    ...(command.at === undefined ? {} : { at: command.at }),
    ...(name === undefined ? {} : { name }),
  });
  if (!forked.ok) return forked;
  const { fork, opened, notOpened } = forked.value;
  if (opened) context.setActive(opened.id);
  const view = (live: LiveSession) => viewOf(live, context.active()?.id);
  return ok({
    kind: 'session.forked',
    parent: view(session.value),
    fork: { id: fork.id, name: fork.name },
    at: fork.forked_at_message ?? fork.conversation.length,
    ...(opened ? { opened: view(opened) } : {}),
    ...(notOpened ? { notOpened } : {}),
  });
}

/** Handles `/session …`. */
export async function handleSessionCommand(
  context: HandlerContext,
  command: SessionCommand,
): Promise<Result<Outcome>> {
  const { manager } = context;
  const view = (session: LiveSession) => viewOf(session, context.active()?.id);
  switch (command.kind) {
    case 'session.new': {
      const projectPath = expandProjectPath(command.path ?? '.', context.cwd, context.userHome);
      const created = await manager.create({
        projectPath,
        ...(command.name === undefined ? {} : { name: command.name }),
      });
      if (!created.ok) return created;
      context.setActive(created.value.id);
      return ok({ kind: 'session.opened', session: view(created.value), resumed: false });
    }
    case 'session.list':
      return ok({ kind: 'session.list', sessions: manager.list().map(view) });
    case 'session.switch': {
      const session = openSessionFor(context, command.target);
      if (!session.ok) return session;
      context.setActive(session.value.id);
      return ok({ kind: 'session.switched', session: view(session.value) });
    }
    case 'session.close':
      return closeSession(context, command.target);
    case 'session.rename': {
      const session = openSessionFor(context, undefined);
      if (!session.ok) return session;
      const renamed = await session.value.rename(command.name);
      if (!renamed.ok) return renamed;
      return ok({ kind: 'session.renamed', session: view(session.value) });
    }
    case 'session.pin':
    case 'session.unpin':
      return pinActive(context, command.kind === 'session.pin');
    case 'session.fork':
      return forkActive(context, command);
    case 'session.save': {
      const session = openSessionFor(context, command.target);
      if (!session.ok) return session;
      const saved = await manager.save(session.value.id);
      if (!saved.ok) return saved;
      return ok({ kind: 'session.saved', session: view(session.value), bytes: saved.value.bytes });
    }
  }
}
