/**
 * The public entry of `@jido-code/commands`: run shell lines against a `SessionManager`, render
 * what they did, resolve targets, format lists and print errors safely. Everything else is behind
 * `@jido-code/commands/internal`, which semver does not cover.
 */
export type { Command, CommandKind, HelpTopic } from './command.js';
export { CommandRunner, type CommandRunnerOptions } from './command-runner.js';
export { closestMatch } from './edit-distance.js';
export { formatTodos, todoMarkers } from './format-list.js';
export { describeModel, describeUsage, usageLine } from './format-model.js';
export {
  formatSearchResults,
  type Highlighter,
  type SearchMatchView,
  type SearchResultView,
} from './format-search.js';
export { helpText } from './help-text.js';
// The listing's part: the session table, targets, safe error messages (also its own entry).
export * from './listing.js';
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
