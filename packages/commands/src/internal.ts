/**
 * `@jido-code/commands/internal`: the parts the project's own tests and tools use. Not covered by
 * semver; anything here may change or go in any release.
 */
export { helpTopics, type SlashCommandKind } from './command.js';
export { type CommandForm, commandForms, groupUsage } from './command-forms.js';
export { quoteInput, truncateEnd } from './display-text.js';
export { editDistance } from './edit-distance.js';
export { expandProjectPath } from './expand-path.js';
export { maxListedPathLength, shortIdLength } from './format-list.js';
export type { HandlerContext } from './handlers/context.js';
export { handleResumeCommand, resumableSessions } from './handlers/resume-handlers.js';
export { handleSessionCommand, openSessionFor } from './handlers/session-handlers.js';
export { handleTodoCommand } from './handlers/todo-handlers.js';
export { viewOf } from './outcome.js';
export { usageError } from './parse-command.js';
export { maxClockSkewMs, unknownTime } from './relative-time.js';
export { describeCandidates, minimumPrefixLength } from './resolve-target.js';
export { userMessages } from './sanitize-error.js';
export { describeTokenizeError, readToken, type Token, type TokenizeError, tokenize } from './tokenize.js';
