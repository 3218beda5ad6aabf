import type { RedactionReport, RedactionSummary } from './redactor.js';
import { type SecretKind, secretKindLabel } from './secret-kinds.js';

/** "GitHub token, 2 AWS access keys": the kinds found, most frequent first. */
export function describeKinds(summary: RedactionSummary): string {
  return Object.entries(summary.kinds)
    .sort(([, a], [, b]) => (b ?? 0) - (a ?? 0))
    .map(([kind, count]) => {
      const label = secretKindLabel(kind as SecretKind);
      return count === 1 ? label : `${count} ${label}s`;
    })
    .join(', ');
}

/**
 * The one line a person is shown after a redaction, or undefined when nothing was found:
 * `Redacted 1 secret (GitHub token) before saving.` In `warn` mode the text was kept.
 */
export function redactionNotice(report: RedactionReport): string | undefined {
  if (report.count === 0 || report.mode === 'off') return undefined;
  const secrets = `${report.count} ${report.count === 1 ? 'secret' : 'secrets'} (${describeKinds(report)})`;
  return report.mode === 'redact'
    ? `Redacted ${secrets} before saving.`
    : `Found ${secrets}; saved as typed because redaction is set to warn.`;
}
