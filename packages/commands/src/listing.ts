/**
 * `@jido-code/commands/listing`: what prints a list of saved sessions and resolves a target against
 * it (the session table, the files that failed to load, targets, safe error messages), without the command
 * runner, the parser and the handlers. The same functions as the main entry, so a program that only
 * lists (`jido sessions list`) loads and compiles a part of this package.
 */
export { plural, printable } from './display-text.js';
export { formatSessionTable, type SessionRow, shortenPath, shortId } from './format-list.js';
export { formatProblems } from './format-problems.js';
export { type ListedTarget, resolveListed, type UnreadableSession } from './resolve-listed.js';
export {
  type ResolvedTarget,
  resolveTarget,
  type TargetCandidate,
  type TargetMatch,
  type TargetRules,
} from './resolve-target.js';
export { type ErrorDebugInfo, type SanitizedError, sanitizeError } from './sanitize-error.js';
