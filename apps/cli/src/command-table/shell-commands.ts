import { type CommandDefinition, flag, stringOption, target } from './definition.js';

// The subcommand that opens the interactive shell: resume.

export const resumeDefinition: CommandDefinition = {
  path: ['resume'],
  description: 'open the shell with a saved session restored',
  jsonRefused: 'it opens the interactive shell',
  helpText: `Without a target or --last: on a terminal, an arrow-key picker of the saved sessions, pinned
ones first (Enter resumes, d trashes, r renames, f forks, p pins or unpins, / filters, Escape
cancels); on a pipe, the numbered list, then the shell reads its input as usual.
The target is matched against 'jido sessions list'. Resuming is rate limited: 5 per session and 20 in
all per minute (JIDO_RESUME_LIMIT_PER_SESSION, JIDO_RESUME_LIMIT_GLOBAL, JIDO_RESUME_WINDOW_MS).
With --project DIR, a session whose project folder moved or was renamed resumes into DIR (it must
exist, be a folder, be yours and not be a system folder); the old path and the time are kept in the
session's moved_from field.`,
  arguments: [{ ...target, name: '[target]' }],
  options: [
    { flags: '--last', description: 'the most recently closed session' },
    { flags: '--project <dir>', description: 'resume into this project folder (the old one moved)' },
  ],
  run: async (context, input) => {
    const chosen = input.args[0];
    const project = stringOption(input, 'project');
    return (await import('../commands/resume.js')).resumeCommand(context, {
      ...(chosen === undefined ? {} : { target: chosen }),
      ...(project === undefined ? {} : { project }),
      last: flag(input, 'last'),
    });
  },
};
