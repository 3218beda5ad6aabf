/** The short name written into a redaction marker, `[REDACTED:<kind>]`. */
export type SecretKind = (typeof secretKinds)[number]['kind'];

/**
 * Every kind the rule set can report, with the name shown to people. Each secretlint rule (and,
 * where one rule finds several things, each of its message ids) maps to one kind.
 */
const secretKinds = [
  { kind: 'aws-access-key', label: 'AWS access key', rule: 'aws', messages: ['AWSAccessKeyID'] },
  { kind: 'aws-secret-key', label: 'AWS secret key', rule: 'aws', messages: ['AWSSecretAccessKey'] },
  { kind: 'aws-account-id', label: 'AWS account ID', rule: 'aws', messages: ['AWSAccountID'] },
  { kind: 'gcp-service-account', label: 'GCP service account key', rule: 'gcp', messages: [] },
  { kind: 'private-key', label: 'private key', rule: 'privatekey', messages: [] },
  { kind: 'github-token', label: 'GitHub token', rule: 'npm', messages: ['PackageJSON_xOauthToken'] },
  { kind: 'npm-token', label: 'npm token', rule: 'npm', messages: ['Npmrc_authToken', 'NPM_ACCESS_TOKEN'] },
  { kind: 'url-password', label: 'URL password', rule: 'basicauth', messages: [] },
  { kind: 'slack-token', label: 'Slack token', rule: 'slack', messages: ['SLACK_TOKEN'] },
  { kind: 'slack-webhook', label: 'Slack webhook', rule: 'slack', messages: ['IncomingWebhook'] },
  { kind: 'sendgrid-key', label: 'SendGrid key', rule: 'sendgrid', messages: [] },
  { kind: 'shopify-token', label: 'Shopify token', rule: 'shopify', messages: [] },
  { kind: 'github-token', label: 'GitHub token', rule: 'github', messages: [] },
  { kind: 'gitlab-token', label: 'GitLab token', rule: 'gitlab', messages: [] },
  { kind: 'grafana-token', label: 'Grafana token', rule: 'grafana', messages: [] },
  { kind: 'openai-key', label: 'OpenAI key', rule: 'openai', messages: [] },
  { kind: 'anthropic-key', label: 'Anthropic key', rule: 'anthropic', messages: [] },
  { kind: 'groq-key', label: 'Groq key', rule: 'groq', messages: [] },
  { kind: 'huggingface-token', label: 'Hugging Face token', rule: 'huggingface', messages: [] },
  { kind: 'linear-key', label: 'Linear key', rule: 'linear', messages: [] },
  { kind: 'notion-token', label: 'Notion token', rule: 'notion', messages: [] },
  { kind: '1password-token', label: '1Password token', rule: '1password', messages: [] },
  {
    kind: 'database-password',
    label: 'database password',
    rule: 'database-connection-string',
    messages: [],
  },
  { kind: 'vault-token', label: 'Vault token', rule: 'hashicorp-vault', messages: [] },
  { kind: 'vercel-token', label: 'Vercel token', rule: 'vercel', messages: [] },
  { kind: 'databricks-token', label: 'Databricks token', rule: 'databricks', messages: [] },
  { kind: 'docker-token', label: 'Docker token', rule: 'docker', messages: [] },
  { kind: 'figma-token', label: 'Figma token', rule: 'figma', messages: [] },
  { kind: 'secret', label: 'secret', rule: '', messages: [] },
] as const;

const rulePrefix = '@secretlint/secretlint-rule-';

/** The kind of a finding from its secretlint rule id and message id; `secret` for a rule not listed. */
export function kindOfFinding(ruleId: string, messageId: string): SecretKind {
  const rule = ruleId.startsWith(rulePrefix) ? ruleId.slice(rulePrefix.length) : ruleId;
  const exact = secretKinds.find(
    (entry) => entry.rule === rule && (entry.messages as readonly string[]).includes(messageId),
  );
  const byRule = secretKinds.find((entry) => entry.rule === rule && entry.messages.length === 0);
  return (exact ?? byRule)?.kind ?? 'secret';
}

/** The name people read for a kind ("GitHub token"). */
export function secretKindLabel(kind: SecretKind): string {
  return secretKinds.find((entry) => entry.kind === kind)?.label ?? 'secret';
}

/** The text that replaces a secret. */
export function redactionMarker(kind: SecretKind): string {
  return `[REDACTED:${kind}]`;
}
