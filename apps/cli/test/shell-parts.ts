import { CommandRunner, sanitizeError } from '@jido-code/commands';
import { SessionManager } from '@jido-code/session';
import { SessionStore } from '@jido-code/storage';
import { temporaryFolder } from '@jido-code/test-support/vitest';
import pc from 'picocolors';
import type { Agent } from '../src/agent.js';
import { OfflineAgent } from '../src/agent.js';
import { Performer, type PerformerOptions } from '../src/shell/performer.js';
import type { ShellOutput } from '../src/shell/shell-output.js';

/** A {@link ShellOutput} that keeps what the shell printed: stdout blocks, and stderr lines. */
export interface RecordedOutput extends ShellOutput {
  readonly printed: string[];
  readonly notes: string[];
}

/** A plain (pipe) output that records; errors are recorded as their sanitized message. */
function recordedOutput(): RecordedOutput {
  const printed: string[] = [];
  const notes: string[] = [];
  return {
    colors: pc.createColors(false),
    terminal: false,
    printed,
    notes,
    print: (text) => {
      if (text !== undefined) printed.push(text);
    },
    note: (text) => notes.push(text),
    fail: async (error) => {
      notes.push(`jido: ${sanitizeError(error).message}`);
    },
  };
}

/** A real store, manager, runner and performer on `home`. */
export async function shellParts(
  home: string,
  options: { agent?: Agent; choose?: PerformerOptions['choose'] } = {},
) {
  const opened = await SessionStore.open({ home, env: {} });
  if (!opened.ok) throw opened.error;
  const manager = new SessionManager({ store: opened.value });
  const cwd = await temporaryFolder('cwd', 'jido-cli-shell-');
  const runner = new CommandRunner({ manager, cwd });
  const output = recordedOutput();
  const performer = new Performer({
    runner,
    agent: options.agent ?? new OfflineAgent(),
    output,
    ...(options.choose === undefined ? {} : { choose: options.choose }),
  });
  return { store: opened.value, manager, runner, output, performer, cwd };
}
