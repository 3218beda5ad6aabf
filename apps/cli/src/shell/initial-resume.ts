import type { Performer } from './performer.js';
import type { ShellOutput } from './shell-output.js';

/** What to resume before the first prompt (`jido resume …`). */
export type InitialResume =
  /** `project`: the folder to resume into (`--project`, absolute). */
  | { readonly target: string; readonly project?: string }
  | { readonly last: true }
  /** No target: the picker on a terminal, the numbered list on a pipe. */
  | { readonly picker: true };

/**
 * Resumes what `jido resume` asked for before the shell reads its first line. False when it
 * failed (its error printed): `jido resume` then saves nothing new and exits 1.
 */
export async function performInitialResume(
  performer: Performer,
  output: ShellOutput,
  resume: InitialResume,
): Promise<boolean> {
  if ('target' in resume) {
    const { target, project } = resume;
    return (
      (await performer.perform({
        kind: 'resume.open',
        target,
        ...(project === undefined ? {} : { project }),
      })) === 'done'
    );
  }
  if ('picker' in resume) return (await performer.perform({ kind: 'resume.list' })) === 'done';
  const listed = await performer.execute({ kind: 'resume.list' });
  if (!listed.ok) {
    await output.fail(listed.error);
    return false;
  }
  const latest = listed.value.kind === 'resume.list' ? listed.value.sessions[0] : undefined;
  if (latest === undefined) {
    output.note('jido: There are no saved sessions to resume.');
    return false;
  }
  return (await performer.perform({ kind: 'resume.open', target: latest.id })) === 'done';
}
