import { err, JidoError, ok, type Result } from '@jido-code/core-schema';
import type { ResumableListing } from '@jido-code/session';
import type { Command } from '../command.js';
import { type Outcome, viewOf } from '../outcome.js';
import { type ListedTarget, resolveListed } from '../resolve-listed.js';
import { resolveTarget } from '../resolve-target.js';
import type { HandlerContext } from './context.js';

type ResumeCommand = Extract<Command, { kind: `resume.${string}` }>;

/**
 * The saved sessions `/resume` lists, in its order: every one not open anywhere, those waiting
 * for a project folder open in this shell included (and marked), and the files that failed to load.
 */
export async function resumableSessions(context: HandlerContext): Promise<Result<ResumableListing>> {
  return context.manager.listResumable();
}

async function resolveResumable(context: HandlerContext, target: string): Promise<Result<ListedTarget>> {
  const listing = await resumableSessions(context);
  if (!listing.ok) return listing;
  return orOpenElsewhere(context, target, resolveListed(target, listing.value));
}

/** A target that matched nothing here may name a session open in another process: say so. */
async function orOpenElsewhere(
  context: HandlerContext,
  target: string,
  resolved: Result<ListedTarget>,
): Promise<Result<ListedTarget>> {
  if (resolved.ok || resolved.error.code !== 'not_found' || /^[0-9]+$/.test(target.trim())) return resolved;
  return refuseOpenElsewhere(context, target, resolved.error);
}

/**
 * A target that names no resumable session may name one open in another process (by id, prefix
 * or name, as `jido sessions show` finds it): say so, with the holder's pid, instead of "no match".
 */
async function refuseOpenElsewhere(
  context: HandlerContext,
  target: string,
  notFound: JidoError,
): Promise<Result<ListedTarget>> {
  const { manager } = context;
  const everything = await manager.listSaved();
  if (!everything.ok) return err(notFound);
  const found = resolveTarget(target, everything.value.sessions);
  if (!found.ok || manager.registry.get(found.value.entry.id) !== undefined) return err(notFound);
  const held = await manager.store.leaseHolder(found.value.entry.id);
  if (!held.ok) return err(held.error);
  const holder = held.value;
  if (holder === undefined) return err(notFound);
  return err(
    new JidoError('already_open_elsewhere', 'This session is already open in another jido process.', {
      details: {
        id: holder.id,
        holder: { pid: holder.pid, host: holder.host, started_at: holder.startedAt },
      },
    }),
  );
}

/** `/resume clear` without `--yes`: clearing everything is never done unasked. */
function clearNeedsConfirmation(): JidoError {
  return new JidoError('confirmation_required', 'Clearing every saved session needs confirmation.', {
    details: { action: 'move every saved session to the trash', confirm: '/resume clear --yes' },
  });
}

/** A saved session whose project folder has a session open in this shell: one per folder. */
function projectOpenHere(id: string): JidoError {
  return new JidoError('project_already_open', 'A session on that project folder is open in this shell.', {
    details: { id },
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
      const listing = await resumableSessions(context);
      if (!listing.ok) return listing;
      const { sessions, problems, projectOpenHere: waiting } = listing.value;
      return ok({ kind: 'resume.list', sessions, problems, projectOpenHere: waiting });
    }
    case 'resume.open': {
      const listing = await resumableSessions(context);
      if (!listing.ok) return listing;
      const target = await orOpenElsewhere(
        context,
        command.target,
        resolveListed(command.target, listing.value),
      );
      if (!target.ok) return target;
      // A file that failed to load says what is wrong with it, rather than "no session matches".
      if (target.value.kind === 'problem') return err(target.value.problem.error);
      const { id } = target.value.entry;
      if (listing.value.projectOpenHere.includes(id)) return err(projectOpenHere(id));
      let loadWarnings: readonly string[] = [];
      const resumed = await manager.resume(id, {
        ...(command.project === undefined ? {} : { projectPath: command.project }),
        onLoadWarnings: (warnings) => {
          loadWarnings = warnings;
        },
      });
      if (!resumed.ok) return resumed;
      context.setActive(resumed.value.id);
      return ok({
        kind: 'session.opened',
        session: viewOf(resumed.value, resumed.value.id),
        resumed: true,
        ...(loadWarnings.length === 0 ? {} : { loadWarnings }),
      });
    }
    case 'resume.delete': {
      const target = await resolveResumable(context, command.target);
      if (!target.ok) return target;
      const id = target.value.kind === 'session' ? target.value.entry.id : target.value.problem.id;
      const deleted = await manager.delete(id);
      if (!deleted.ok) return deleted;
      return target.value.kind === 'session'
        ? ok({ kind: 'resume.deleted', id, name: target.value.entry.name })
        : ok({ kind: 'resume.deleted', id, name: '', unreadable: true });
    }
    case 'resume.clear': {
      if (!command.yes) return err(clearNeedsConfirmation());
      const cleared = await manager.clear();
      return cleared.ok ? ok({ kind: 'resume.cleared', report: cleared.value }) : cleared;
    }
  }
}
