/**
 * `@jido-code/session/redaction`: finding and replacing credentials in session text, without the
 * session runtime (manager, live sessions, recovery). The same functions as the main entry, so a
 * program that only redacts what it imports (`jido sessions import`) loads a part of this package.
 */
export { describeKinds, redactionNotice } from './redaction/redaction-notice.js';
export {
  emptySummary,
  type RedactionReport,
  type RedactionSettings,
  type RedactionSummary,
  Redactor,
} from './redaction/redactor.js';
export { redactionMarker, type SecretKind, secretKindLabel } from './redaction/secret-kinds.js';
export { ruleSetName, ruleSetVersion, type SecretSpan } from './redaction/secret-scanner.js';
