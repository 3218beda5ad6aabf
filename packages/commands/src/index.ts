/**
 * The public entry of `@jido-code/commands`: run shell lines against a `SessionManager`, render
 * what they did, resolve targets, format lists and print errors safely. Everything else is behind
 * `@jido-code/commands/internal`, which semver does not cover.
 */
export type { Command, CommandKind, HelpTopic } from './command.js';
export { CommandRunner, type CommandRunnerOptions } from './command-runner.js';
export { plural, printable } from './display-text.js';
export { closestMatch } from './edit-distance.js';
export {
  formatSessionTable,
  formatTodos,
  type SessionRow,
  shortenPath,
  shortId,
  todoMarkers,
} from './format-list.js';
export { describeModel, describeUsage, usageLine } from './format-model.js';
export { formatProblems } from './format-problems.js';
export {
  formatSearchResults,
  type Highlighter,
  type SearchMatchView,
  type SearchResultView,
} from './format-search.js';
export { helpText } from './help-text.js';
export type { ModelView, OpenSessionView, Outcome } from './outcome.js';
export { parseLine } from './parse-command.js';
export { formatRelativeTime } from './relative-time.js';
export {
  closeSummary,
  type OutcomeStyle,
  openSessionTable,
  plainStyle,
  renderOutcome,
} from './render-outcome.js';
export { type ListedTarget, resolveListed, type UnreadableSession } from './resolve-listed.js';
export {
  type ResolvedTarget,
  resolveTarget,
  type TargetCandidate,
  type TargetMatch,
  type TargetRules,
} from './resolve-target.js';
export { type ErrorDebugInfo, type SanitizedError, sanitizeError } from './sanitize-error.js';
