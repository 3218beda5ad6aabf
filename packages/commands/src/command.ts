/** A help topic: one command group of the shell. */
export type HelpTopic = 'session' | 'resume' | 'todo' | 'search' | 'model' | 'help' | 'quit';

/** Every help topic, in the order help lists them. */
export const helpTopics: readonly HelpTopic[] = [
  'session',
  'resume',
  'todo',
  'search',
  'model',
  'help',
  'quit',
];

/**
 * One line of shell input, parsed. Slash commands are `group.action` kinds; a line that does not
 * start with `/` is a `message` to the active session, and a blank line is `empty`.
 *
 * A `target` is kept exactly as typed (quotes removed): resolving it against a list is
 * {@link resolveTarget}'s job, so every command resolves targets the same way.
 */
export type Command =
  /** `/session new [path] [--name=NAME]`: open a session on `path` (default: the current folder). */
  | { readonly kind: 'session.new'; readonly path?: string; readonly name?: string }
  /** `/session list`: the open sessions. */
  | { readonly kind: 'session.list' }
  /** `/session switch <target>`: make another open session the active one. */
  | { readonly kind: 'session.switch'; readonly target: string }
  /** `/session close [target]`: save and close a session (default: the active one). */
  | { readonly kind: 'session.close'; readonly target?: string }
  /** `/session rename <name>`: rename the active session. */
  | { readonly kind: 'session.rename'; readonly name: string }
  /** `/session pin` / `/session unpin`: keep the active session from every retention rule, or stop. */
  | { readonly kind: 'session.pin' }
  | { readonly kind: 'session.unpin' }
  /** `/session save [target]`: save a session now (default: the active one). */
  | { readonly kind: 'session.save'; readonly target?: string }
  /** `/session fork [N] [--name=NAME]`: fork the active session at message N (default: all) and switch to the fork. */
  | { readonly kind: 'session.fork'; readonly at?: number; readonly name?: string }
  /** `/resume`: the saved sessions that can be resumed. */
  | { readonly kind: 'resume.list' }
  /**
   * `/resume <target>`: bring a saved session back. `project` (from `jido resume --project DIR`,
   * an absolute path) resumes it into a project folder that moved.
   */
  | { readonly kind: 'resume.open'; readonly target: string; readonly project?: string }
  /** `/resume delete <target>`: move one saved session to the trash. */
  | { readonly kind: 'resume.delete'; readonly target: string }
  /** `/resume clear [--yes]`: move every saved session neither open nor pinned to the trash; refused without `yes`. */
  | { readonly kind: 'resume.clear'; readonly yes: boolean }
  /** `/todo add <text>`: append a pending todo to the active session. */
  | { readonly kind: 'todo.add'; readonly text: string }
  /** `/todo start <n>`: mark todo `index` (1-based) in progress. */
  | { readonly kind: 'todo.start'; readonly index: number }
  /** `/todo done <n>`: mark todo `index` (1-based) completed. */
  | { readonly kind: 'todo.done'; readonly index: number }
  /** `/todo list`: the active session's todos. */
  | { readonly kind: 'todo.list' }
  /** `/search <words…>`: saved sessions whose messages hold the words (`"phrase"`, `-excluded`). */
  | { readonly kind: 'search'; readonly text: string }
  /** `/model [<provider>/<model>]`: show, or change and save, the active session's model. */
  | { readonly kind: 'model'; readonly spec?: string }
  /** `/usage`: the active session's token counts and cost, per reply and in total. */
  | { readonly kind: 'usage' }
  /** `/retry`: send the active session's last user message to the model again. */
  | { readonly kind: 'retry' }
  /** `/help [topic]`: the command reference, whole or for one group. */
  | { readonly kind: 'help'; readonly topic?: HelpTopic }
  /** `/quit`: close (and save) every open session and leave the shell. */
  | { readonly kind: 'quit' }
  /** A line not starting with `/` (or starting with `//`, which escapes one slash): text for the active session. */
  | { readonly kind: 'message'; readonly text: string }
  /** A line of only whitespace: nothing to do. */
  | { readonly kind: 'empty' };

/** The discriminant of a {@link Command}. */
export type CommandKind = Command['kind'];

/** The kinds that are slash commands (everything but `message` and `empty`). */
export type SlashCommandKind = Exclude<CommandKind, 'message' | 'empty'>;
