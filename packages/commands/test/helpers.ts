import { tmpdir } from 'node:os';
import type { Result } from '@jido-code/core-schema';
import { SessionManager } from '@jido-code/session';
import { SessionStore } from '@jido-code/storage';
import { temporaryFolder } from '@jido-code/test-support/vitest';
import { CommandRunner } from '../src/command-runner.js';
import type { Outcome } from '../src/outcome.js';
import { sanitizeError } from '../src/sanitize-error.js';

/** Opens a real store on a test home. */
export async function openStore(home: string): Promise<SessionStore> {
  const store = await SessionStore.open({ home });
  if (!store.ok) throw store.error;
  return store.value;
}

/** A new empty project folder (real path), removed when the test finishes. */
export async function makeProject(name = 'project'): Promise<string> {
  return temporaryFolder(name, 'jido-commands-');
}

/** A runner over a real manager and store on `home`. */
export async function openRunner(
  home: string,
  options: { cwd?: string; userHome?: string; environment?: Record<string, string> } = {},
): Promise<{ runner: CommandRunner; store: SessionStore; manager: SessionManager }> {
  const store = await openStore(home);
  const manager = new SessionManager({ store });
  const runner = new CommandRunner({ manager, cwd: options.cwd ?? (await makeProject('cwd')), ...options });
  return { runner, store, manager };
}

/** Runs a line that must succeed with an outcome of `kind`. */
export async function expectOutcome<K extends Outcome['kind']>(
  runner: CommandRunner,
  line: string,
  kind: K,
): Promise<Extract<Outcome, { kind: K }>> {
  const result = await runner.run(line);
  if (!result.ok) throw new Error(`${line} failed: ${result.error.code} ${result.error.message}`);
  if (result.value.kind !== kind) throw new Error(`${line} gave ${result.value.kind}, not ${kind}`);
  return result.value as Extract<Outcome, { kind: K }>;
}

/** Errors about a project folder, whose message names the folder tried. */
const projectFolderCodes = new Set(['invalid_project_path', 'project_changed']);

/** Runs a line that must fail; returns the error code. */
export async function errorCodeOf(runner: CommandRunner, line: string): Promise<string> {
  const result: Result<Outcome> = await runner.run(line);
  if (result.ok) throw new Error(`${line} succeeded with ${result.value.kind}`);
  // Every error a handler returns must have a safe one-line message that leaks no path, except the
  // project folder the user typed, which a project-folder error names on purpose (issue #18).
  const { message } = sanitizeError(result.error);
  const typed = projectFolderCodes.has(result.error.code) ? String(result.error.details.path) : undefined;
  const shown = typed === undefined ? message : message.replace(typed, '<project>');
  if (message.trim() === '' || message.includes('\n') || shown.includes(tmpdir())) {
    throw new Error(`${line}: unsafe message for ${result.error.code}: ${message}`);
  }
  return result.error.code;
}
