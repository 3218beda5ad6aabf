export {
  type Command,
  type CommandKind,
  type HelpTopic,
  helpTopics,
  type SlashCommandKind,
} from './command.js';
export { type CommandForm, commandForms, groupUsage } from './command-forms.js';
export { CommandRunner, type CommandRunnerOptions } from './command-runner.js';
export { printable, truncateEnd } from './display-text.js';
export { closestMatch, editDistance } from './edit-distance.js';
export { expandProjectPath } from './expand-path.js';
export {
  formatSessionTable,
  formatTodos,
  maxListedPathLength,
  type SessionRow,
  shortenPath,
  shortId,
  shortIdLength,
  todoMarkers,
} from './format-list.js';
export type { HandlerContext } from './handlers/context.js';
export { handleResumeCommand, resumableSessions } from './handlers/resume-handlers.js';
export { handleSessionCommand, openSessionFor } from './handlers/session-handlers.js';
export { handleTodoCommand } from './handlers/todo-handlers.js';
export { helpText } from './help-text.js';
export { type OpenSessionView, type Outcome, viewOf } from './outcome.js';
export { parseLine, usageError } from './parse-command.js';
export { formatRelativeTime, maxClockSkewMs, unknownTime } from './relative-time.js';
export { renderOutcome } from './render-outcome.js';
export {
  describeCandidates,
  minimumPrefixLength,
  type ResolvedTarget,
  resolveTarget,
  type TargetCandidate,
  type TargetMatch,
} from './resolve-target.js';
export { type ErrorDebugInfo, type SanitizedError, sanitizeError, userMessages } from './sanitize-error.js';
export { describeTokenizeError, readToken, type Token, type TokenizeError, tokenize } from './tokenize.js';
